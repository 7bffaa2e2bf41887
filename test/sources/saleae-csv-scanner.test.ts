import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import type { ByteInput } from '../../src/sources/byte-input.ts';
import { openStream } from '../../src/sources/byte-input.ts';
import { secondsToNs } from '../../src/sources/csv.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { readSaleaeCsv } from '../../src/sources/saleae-csv.ts';
import type { SourceStream } from '../../src/sources/types.ts';
import { readSaleaeCsvReference } from './saleae-csv-reference.ts';
import { signals } from './helpers.ts';

/** A ByteInput handing over `parts` (Buffers) as its chunks. */
function inputOf(parts: Buffer[]): ByteInput {
  const all = Buffer.concat(parts);
  return { name: 'mem.csv', path: null, head: all.subarray(0, 4096), chunks: () => Readable.from(parts, { objectMode: true }) };
}

function chunked(bytes: Buffer, size: number): Buffer[] {
  const parts: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) parts.push(bytes.subarray(i, i + size));
  return parts;
}

interface Outcome {
  /** Float64 bit patterns of the times, so -0/0 and the last ulp count. */
  bits: bigint[];
  states: number[];
  unknown: number | undefined;
  error: string | null;
}

async function outcome(read: (input: ByteInput) => Promise<SourceStream>, parts: Buffer[]): Promise<Outcome> {
  const bits: bigint[] = [];
  const states: number[] = [];
  let src: SourceStream;
  try {
    src = await read(inputOf(parts));
  } catch (e) {
    assert.ok(e instanceof SourceError, String(e));
    return { bits, states, unknown: undefined, error: `${e.where}: ${e.reason}` };
  }
  const s = signals(src);
  let error: string | null = null;
  try {
    for await (const b of s.batches) {
      const view = new BigUint64Array(Float64Array.from(b.times.subarray(0, b.length)).buffer);
      for (let i = 0; i < b.length; i++) {
        bits.push(view[i]);
        states.push(b.states[i]);
      }
    }
  } catch (e) {
    assert.ok(e instanceof SourceError, String(e));
    error = `${e.where}: ${e.reason}`;
  }
  return { bits, states, unknown: s.stats?.unknownValues, error };
}

async function assertSameAsReference(text: string | Buffer, sizes: number[], label: string): Promise<Outcome> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text;
  const want = await outcome(readSaleaeCsvReference, [bytes]);
  for (const size of sizes) {
    const parts = size >= bytes.length ? [bytes] : chunked(bytes, size);
    const got = await outcome(readSaleaeCsv, parts);
    const ref = size >= bytes.length ? want : await outcome(readSaleaeCsvReference, parts);
    assert.deepEqual(got, ref, `${label}, chunks of ${size}`);
  }
  return want;
}

/** Deterministic PRNG (mulberry32) so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function digits(r: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(Math.floor(r() * 10));
  return s;
}

/**
 * A seconds string in one of the forms a CSV could hold: Logic 2 (nine decimals), Logic 1.x (15),
 * short and long fractions (past the ns digits and past 2^53, sub-ns), long whole parts, signs, a bare
 * "5." or ".5", and exponents of both cases and signs, small and out of the exact range.
 */
function timeText(r: () => number): string {
  const pick = r();
  if (pick < 0.25) return `${Math.floor(r() * 3)}.${digits(r, 9)}`;
  if (pick < 0.35) return `${r() < 0.5 ? '-' : ''}0.${digits(r, 15)}`;
  // Sub-ns times: the digits past the ninth decide every bit.
  if (pick < 0.45) return `0.00000000${r() < 0.5 ? '0' : digits(r, 1)}${digits(r, 1 + Math.floor(r() * 16))}`;
  const sign = r() < 0.2 ? '-' : r() < 0.1 ? '+' : '';
  const wholeLen = r() < 0.1 ? 15 + Math.floor(r() * 4) : Math.floor(r() * 5);
  let whole = digits(r, wholeLen);
  if (r() < 0.1) whole = `000${whole}`;
  const fracLen = r() < 0.15 ? 16 + Math.floor(r() * 20) : Math.floor(r() * 14);
  let frac = r() < 0.1 ? '.' : fracLen > 0 ? `.${digits(r, fracLen)}` : '';
  if (whole === '' && (frac === '' || frac === '.')) whole = '0';
  if (whole === '' && frac === '.') frac = '.5';
  if (r() < 0.3) {
    const e = r() < 0.1 ? 290 + Math.floor(r() * 30) : Math.floor(r() * 30);
    const es = r() < 0.5 ? '-' : r() < 0.3 ? '+' : '';
    return `${sign}${whole}${frac}${r() < 0.5 ? 'e' : 'E'}${es}${r() < 0.1 ? '00' : ''}${e}`;
  }
  return `${sign}${whole}${frac}`;
}

function blank(r: () => number): string {
  const p = r();
  return p < 0.7 ? '' : p < 0.85 ? ' ' : p < 0.95 ? '\t' : ' \t ';
}

/**
 * Rows with times sorted by their value (so they never go backwards), random values and blanks.
 * Times beyond 1e4 s are left out (they would swamp the others once shifted to the first row).
 * `fromZero`: only times >= 0 after a first row at 0, so each row's ns is its parsed value, unshifted.
 */
function generated(seed: number, rows: number, nch: number, fromZero: boolean): string {
  const r = rng(seed);
  const times = Array.from({ length: rows }, () => timeText(r));
  const keyed = times.map((t) => ({ t, v: secondsToNs(t) })).filter((x) => Math.abs(x.v) <= 1e13 && (!fromZero || x.v >= 0));
  keyed.sort((a, b) => a.v - b.v);
  const head = `Time [s],${Array.from({ length: nch }, (_, k) => `D${k}`).join(',')}\n`;
  let out = fromZero ? `${head}0${',0'.repeat(nch)}\n` : head;
  for (const { t } of keyed) {
    let line = `${blank(r)}${t}${blank(r)}`;
    for (let k = 0; k < nch; k++) {
      const v = r();
      line += `,${blank(r)}${v < 0.45 ? '0' : v < 0.9 ? '1' : v < 0.95 ? 'X' : 'x'}${blank(r)}`;
    }
    out += `${line}${r() < 0.2 ? '\r\n' : '\n'}`;
    if (r() < 0.02) out += r() < 0.5 ? '\n' : ' \r\n';
  }
  return out;
}

test('times are bit-identical to the string reader on generated rows of many formats', async () => {
  for (const [seed, nch, fromZero] of [
    [1, 4, false],
    [2, 1, true],
    [3, 8, false],
    [4, 32, true],
  ] as const) {
    const text = generated(seed, 4000, nch, fromZero);
    const want = await assertSameAsReference(text, [Infinity, 4096, 997], `seed ${seed}`);
    assert.equal(want.error, null, `seed ${seed}: ${want.error}`);
    assert.ok(want.bits.length > 1000, `seed ${seed}: ${want.bits.length} changes`);
  }
});

test('single rows: every time form gives the same ns bits as secondsToNs, via the fast and slow paths', async () => {
  const r = rng(99);
  const forms = ['0', '5.', '.5', '-0', '-0.0', '+1.25', '1e-6', '1E-6', '1.5e-7', '.5e3', '5.e3', '-2.5E+2', '1e0', '1e22', '1e23', '1e-22', '1e-23', '12345678901234567e-10', '1e400', '-1e-400', '0.0000000001', '0.000000000123456789012345678901234'];
  for (let i = 0; i < 300; i++) forms.push(timeText(r));
  const bad = ['e5', '.', '+', '-', '1e', '1e+', '1.2.3', '1e5e5', '0x10', '1_0', '١', ''];
  for (const t of forms) {
    // Paired with a row at 0 so that the second change is exactly the row's ns (0 - abs is an
    // exact negation): after it when the time is >= 0, before it when negative.
    const text = secondsToNs(t) >= 0 ? `Time [s],A\n0,0\n${t},1\n` : `Time [s],A\n${t},1\n0,0\n`;
    const got = await outcome(readSaleaeCsv, [Buffer.from(text)]);
    const ref = await outcome(readSaleaeCsvReference, [Buffer.from(text)]);
    assert.deepEqual(got, ref, JSON.stringify(t));
  }
  for (const t of bad) {
    const got = await outcome(readSaleaeCsv, [Buffer.from(`Time [s],A\n0,0\n${t},1\n`)]);
    assert.match(got.error ?? '', /^line 3: bad time/, JSON.stringify(t));
    assert.deepEqual(got, await outcome(readSaleaeCsvReference, [Buffer.from(`Time [s],A\n0,0\n${t},1\n`)]));
  }
});

const SMALL = [
  'Time [s],CLK,MOSI,MISO,CS',
  '-0.000001000,0,0,0,1',
  '  -0.000000500 ,0, 1 ,0,0',
  '0.000000000,1,1,0,0\r',
  '',
  '1.25e-7,0,1,1,0',
  '0.000000250000000123,1,1,1,0',
  '\t0.000000375\t,0,0,X,0',
  '3.75E-7,0,x,1,0',
  '0.000001000,0,0,0,1',
].join('\n');

test('a row split across two chunks at every byte offset decodes the same (with and without a final newline)', async () => {
  for (const text of [`${SMALL}\n`, SMALL, `${SMALL}\r`, `${SMALL}\r\n\n`]) {
    const bytes = Buffer.from(text);
    const want = await outcome(readSaleaeCsvReference, [bytes]);
    assert.equal(want.error, null);
    assert.equal(want.bits.length, 7);
    assert.equal(want.unknown, 2);
    for (let cut = 1; cut < bytes.length; cut++) {
      assert.deepEqual(await outcome(readSaleaeCsv, [bytes.subarray(0, cut), bytes.subarray(cut)]), want, `cut at ${cut}`);
    }
    for (const size of [1, 2, 3, 7]) assert.deepEqual(await outcome(readSaleaeCsv, chunked(bytes, size)), want, `chunks of ${size}`);
  }
});

test('malformed rows give the same error, line and earlier changes as the string reader, at any chunking', async () => {
  const head = 'Time [s],A,B\n0.0,0,0\n0.1,1,0\n';
  const cases: Array<[string, RegExp]> = [
    [`${head}0.05,1,1\n0.2,0,0\n`, /^line 4: time goes backwards: 0\.05 s$/],
    [`${head}  5e-2 ,1,1\n`, /^line 4: time goes backwards: 5e-2 s$/],
    [`${head}0.2,1\n`, /^line 4: expected 3 fields, found 2/],
    [`${head}0.2,1,0,1\n`, /^line 4: expected 3 fields, found 4/],
    [`${head}0.2,1,7\n`, /^line 4: bad value "7" for channel 1/],
    [`${head}0.2,1,10\n`, /^line 4: bad value "10" for channel 1/],
    [`${head}0.2,,1\n`, /^line 4: bad value "" for channel 0/],
    [`${head}zz,1,1\n`, /^line 4: bad time "zz"/],
    [`${head}"0.2",1,1\n`, /^line 4: bad time/],
    [`${head}0.2,1,1\n0.3,1`, /^line 5: expected 3 fields, found 2/],
    [`${head}0.2,1\u00a0,1\n0.1,0,0\n`, /^line 5: time goes backwards/],
    [`${head}0.2,1\u00a0\u00a0,1\n0.3,\u00e91,0\n`, /^line 5: bad value "\?1" for channel 0/],
    [`${head}0.2,1,1\n\u00a0\n0.3,0,1\n0.1,0,0\n`, /^line 7: time goes backwards/],
    [`${head}0.2,1,1\n0.3,0\u00001\n`, /^line 5: binary data/],
    ['Voltage,A\n1,2\n', /^line 1: expected a Saleae header/],
    ['\n\n', /^line 2: expected a Saleae header/],
  ];
  for (const [text, want] of cases) {
    const ref = await assertSameAsReference(text, [Infinity, 1, 5, 16], JSON.stringify(text));
    assert.match(ref.error ?? '', want, JSON.stringify(text));
  }
  // The changes before a fault are kept.
  const r = await outcome(readSaleaeCsv, [Buffer.from(`${head}0.05,1,1\n`)]);
  assert.deepEqual(r.states, [0, 1]);
  assert.equal(r.bits.length, 2);
});

test('an unfinished line over 1 MiB is refused at its line, after the rows before', async () => {
  const bytes = Buffer.concat([Buffer.from('Time [s],A\n0.0,1\n0.1,0\n'), Buffer.alloc(3 * 1024 * 1024, 0x31)]);
  const got = await outcome(readSaleaeCsv, chunked(bytes, 1 << 20));
  assert.equal(got.error, 'line 4: line longer than 1048576 bytes: binary junk?');
  assert.deepEqual(got.states, [1, 0]);
  assert.deepEqual(got, await outcome(readSaleaeCsvReference, chunked(bytes, 1 << 20)));
});

test('rows from a live stream (stdin) are handed over as each chunk arrives, before the input ends', async () => {
  const pipe = new PassThrough();
  // openStream waits for 4 KiB of head: send more than that before opening.
  let early = 'Time [s],CLK,CS\n';
  for (let i = 0; i < 400; i++) early += `0.000${String(i).padStart(6, '0')},${i & 1},1\n`;
  pipe.write(early);
  const src = signals(await readSaleaeCsv(await openStream('<stdin>', pipe)));
  const it = src.batches[Symbol.asyncIterator]();
  const b1 = await it.next();
  assert.equal(b1.done, false);
  const seen: number[] = [];
  if (!b1.done) for (let i = 0; i < b1.value.length; i++) seen.push(b1.value.times[i]);
  // Everything but the latest change (held back until a later time) came out while the pipe is open.
  assert.equal(seen.length, 399);
  pipe.write('0.000400000,0,0\n0.000400500,1,');
  pipe.end('0\n0.000401000,X,1\n');
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    for (let i = 0; i < r.value.length; i++) seen.push(r.value.times[i]);
  }
  assert.equal(seen.length, 403);
  assert.deepEqual(seen.slice(-4), [399, 400000, 400500, 401000]);
  assert.equal(src.stats?.unknownValues, 1);
});
