import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { readVcd } from '../../src/sources/vcd.ts';
import type { ByteInput } from '../../src/sources/byte-input.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { collect, collectUntilError, signals } from './helpers.ts';

/** A ByteInput that hands `text` over in chunks of `size` bytes through a Readable. */
function inputOf(text: string, size = Infinity): ByteInput {
  const bytes = Buffer.from(text, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += Math.min(size, bytes.length)) parts.push(bytes.subarray(i, i + size));
  return { name: 'mem.vcd', path: null, head: bytes.subarray(0, 4096), chunks: () => Readable.from(parts, { objectMode: true }) };
}

async function read(text: string, size = Infinity) {
  const src = signals(await readVcd(inputOf(text, size)));
  const c = await collect(src.batches);
  return { times: c.times, states: c.states, unknown: src.stats?.unknownValues };
}

// Every token kind, ids of 1, 2 and 3 bytes, a comment and a vector/real in the body.
const SAMPLE = [
  '$date today $end',
  '$timescale 10 ns $end',
  '$scope module top $end',
  '$var wire 1 ! clk $end',
  '$var wire 1 #a mosi $end',
  '$var wire 1 xyz miso $end',
  '$var wire 8 %% bus [7:0] $end',
  '$var real 1 ^ volts $end',
  '$upscope $end',
  '$enddefinitions $end',
  '$dumpvars 0! 0#a 0xyz b0 %% r0.5 ^ $end',
  '#1 1! 1#a',
  '$comment a 1! note #0 that is $end',
  '#12 0! x#a 1xyz b10101010 %% r1.25 ^',
  '#123',
  'z#a',
  '0xyz 1!',
  '#1234 0!',
  '',
].join('\n');
const EXPECTED = { times: [0, 10, 120, 1230, 12340], states: [0b000, 0b011, 0b100, 0b001, 0b000], unknown: 2 };

test('reads every body token kind, with 1-, 2- and 3-byte ids, comments, vectors and reals', async () => {
  assert.deepEqual(await read(SAMPLE), EXPECTED);
});

test('a token split across chunk boundaries decodes the same at every offset (1- and 7-byte chunks)', async () => {
  for (const size of [1, 2, 3, 7, 13]) assert.deepEqual(await read(SAMPLE, size), EXPECTED, `chunks of ${size}`);
  // Every split point of a two-chunk input.
  const bytes = Buffer.from(SAMPLE);
  for (let cut = 1; cut < bytes.length; cut++) {
    const input: ByteInput = {
      name: 'mem.vcd',
      path: null,
      head: bytes.subarray(0, 4096),
      chunks: () => Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)], { objectMode: true }),
    };
    const c = await collect(signals(await readVcd(input)).batches);
    assert.deepEqual(c.times, EXPECTED.times, `cut at ${cut}`);
    assert.deepEqual(c.states, EXPECTED.states, `cut at ${cut}`);
  }
});

test('CRLF line endings read like LF, in one chunk and in 1-byte chunks', async () => {
  const crlf = SAMPLE.replace(/\n/g, '\r\n');
  assert.deepEqual(await read(crlf), EXPECTED);
  assert.deepEqual(await read(crlf, 1), EXPECTED);
});

test('a UTF-8 BOM and sigrok\'s META line before the header are skipped', async () => {
  assert.deepEqual(await read(`\ufeffMETA samplerate: 1 MHz\n${SAMPLE}`, 5), EXPECTED);
});

const HEAD = '$timescale 1 ns $end\n$var wire 1 ! CLK $end\n$var wire 1 ab D $end\n$enddefinitions $end\n';

async function errorOf(text: string, size = Infinity): Promise<{ error: SourceError; times: number[] }> {
  const src = signals(await readVcd(inputOf(text, size)));
  const r = await collectUntilError(src.batches);
  assert.ok(r.error instanceof SourceError, `expected a SourceError, got ${String(r.error)}`);
  return { error: r.error, times: r.times };
}

test('errors in the body name the right line, with CRLF and in small chunks, after the earlier changes', async () => {
  for (const eol of ['\n', '\r\n']) {
    for (const size of [Infinity, 1, 7]) {
      const head = HEAD.replace(/\n/g, eol);
      const cases: [string, RegExp, number[]][] = [
        [`#0 0!${eol}${eol}#10 1!${eol}#5 0!${eol}`, /backwards/, [0, 10]],
        [`#0 0!${eol}#1 1ab${eol}$comment${eol}x${eol}$end 0zz${eol}`, /undeclared id "zz"/, [0, 1]],
        [`#0 0!${eol}#1 1!${eol}${eol}${eol}#2x${eol}`, /bad timestamp "#2x"/, [0, 1]],
        [`#0 0!${eol}#1 1!${eol}hello${eol}`, /unexpected "hello"/, [0, 1]],
      ];
      const lines = [8, 9, 9, 7];
      for (let i = 0; i < cases.length; i++) {
        const [body, reason, times] = cases[i];
        const r = await errorOf(head + body, size);
        const what = `case ${i}, eol ${JSON.stringify(eol)}, chunks of ${size}`;
        assert.equal(r.error.where, `line ${lines[i]}`, what);
        assert.match(r.error.reason, reason, what);
        assert.deepEqual(r.times, times, what);
      }
    }
  }
});

test('a NUL byte in the body is a SourceError naming its line, after the complete lines before it', async () => {
  const r = await errorOf(`${HEAD}#0 0!\n#1 1!\n#2 0! \u0000\n`, 3);
  assert.equal(r.error.where, 'line 7');
  assert.match(r.error.reason, /NUL/);
  assert.deepEqual(r.times, [0, 1]);
});

test('a value at the very end without a final newline is read', async () => {
  const c = await read(`${HEAD}#0 0!\n#4 1ab`, 2);
  assert.deepEqual(c.times, [0, 4]);
  assert.deepEqual(c.states, [0, 2]);
});
