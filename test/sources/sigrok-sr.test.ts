import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { openSource } from '../../src/sources/open.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { parseSamplerate } from '../../src/sources/sigrok-metadata.ts';
import { collect, collectUntilError, FIXTURES, signals, SKIP_SIGROK, tempDir } from './helpers.ts';
import { entryDataOffset, makeZip, metadata, patchEntrySizes } from './zip-helpers.ts';
import { ourEdges, sigrokBits } from './sigrok-bits.ts';

test('reads a hand-made .sr: chunks in numeric order (logic-1-10 after logic-1-2), sample period from samplerate', async () => {
  const t = tempDir();
  try {
    const p = t.path('a.sr');
    // Chunk k holds one sample of value k & 0xf: changes at every sample.
    const chunks: [string, Buffer][] = [];
    for (let k = 1; k <= 12; k++) chunks.push([`logic-1-${k}`, Buffer.from([k & 0xf])]);
    chunks.reverse();
    await makeZip(p, [['version', '2'], ['metadata', metadata(['CLK', 'MOSI', 'MISO', 'CS'], '2 MHz')], ...chunks]);
    const src = signals(await openSource(p));
    assert.deepEqual(src.info.channels, ['CLK', 'MOSI', 'MISO', 'CS']);
    assert.equal(src.info.samplePeriodNs, 500);
    const c = await collect(src.batches);
    assert.deepEqual(c.states, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    assert.deepEqual(c.times, c.states.map((_, i) => i * 500));
  } finally {
    t.cleanup();
  }
});

test('unitsize 2: probe k is bit k-1, unnamed probes are masked out, runs become single changes', async () => {
  const t = tempDir();
  try {
    const p = t.path('u2.sr');
    const samples = new Uint16Array([0x0000, 0x0000, 0x0201, 0x0205, 0x0004, 0x0004, 0x8000]);
    const names = ['A', 'B', '', '', '', '', '', '', '', 'J'];
    await makeZip(p, [['version', '2'], ['metadata', metadata(names, '100 kHz', 2, 16)], ['logic-1-1', Buffer.from(samples.buffer)]]);
    const src = signals(await openSource(p));
    assert.deepEqual(src.info.channels, ['A', 'B', 'probe3', 'probe4', 'probe5', 'probe6', 'probe7', 'probe8', 'probe9', 'J']);
    const c = await collect(src.batches);
    assert.deepEqual(c.times, [0, 20000, 40000]);
    assert.deepEqual(c.states, [0, 0x0201, 0]);
  } finally {
    t.cleanup();
  }
});

test('samplerate strings parse with Hz/kHz/MHz/GHz', () => {
  assert.equal(parseSamplerate('1 MHz'), 1e6);
  assert.equal(parseSamplerate('200 kHz'), 2e5);
  assert.equal(parseSamplerate('1.5 GHz'), 1.5e9);
  assert.equal(parseSamplerate('500'), 500);
  assert.ok(Number.isNaN(parseSamplerate('fast')));
});

async function srError(p: string, opts = {}): Promise<{ error: SourceError; states: number[] }> {
  try {
    const r = await collectUntilError(signals(await openSource(p, opts)).batches);
    assert.ok(r.error instanceof SourceError, `expected SourceError, got ${String(r.error)}`);
    return { error: r.error, states: r.states };
  } catch (e) {
    assert.ok(e instanceof SourceError, `expected SourceError, got ${String(e)}`);
    return { error: e, states: [] };
  }
}

test('a zip bomb (absurd ratio) is refused at its entry, before inflating, after the earlier chunks', async () => {
  const t = tempDir();
  try {
    const p = t.path('bomb.sr');
    await makeZip(p, [['version', '2'], ['metadata', metadata(['CLK'], '1 MHz')], ['logic-1-1', Buffer.from([0, 1, 0])], ['logic-1-2', Buffer.alloc(4096)]]);
    patchEntrySizes(p, 'logic-1-2', { uncompressed: 0xfffffff0 });
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const r = await srError(p);
    assert.equal(r.error.where, 'entry logic-1-2');
    assert.match(r.error.reason, /zip bomb/);
    assert.deepEqual(r.states, [0, 1, 0]);
    assert.ok(Date.now() - started < 2000);
    assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024);
  } finally {
    t.cleanup();
  }
});

test('the maxDecompressedBytes cap stops a capture that inflates past it', async () => {
  const t = tempDir();
  try {
    const p = t.path('big.sr');
    await makeZip(p, [['version', '2'], ['metadata', metadata(['CLK'], '1 MHz')], ['logic-1-1', Buffer.alloc(600_000, 1)], ['logic-1-2', Buffer.alloc(600_000)]]);
    const r = await srError(p, { maxDecompressedBytes: 1_000_000 });
    assert.equal(r.error.where, 'entry logic-1-2');
    assert.match(r.error.reason, /limit of 1000000 bytes/);
    assert.deepEqual(r.states, [1]);
  } finally {
    t.cleanup();
  }
});

test('an entry larger than its declared size is a SourceError at that entry', async () => {
  const t = tempDir();
  try {
    const p = t.path('lie.sr');
    await makeZip(p, [['version', '2'], ['metadata', metadata(['CLK'], '1 MHz')], ['logic-1-1', Buffer.from([1, 0, 1, 0, 1, 0, 1, 0])]]);
    patchEntrySizes(p, 'logic-1-1', { uncompressed: 4 });
    const r = await srError(p);
    assert.equal(r.error.where, 'entry logic-1-1');
  } finally {
    t.cleanup();
  }
});

test('corrupt compressed data is a SourceError naming the entry, after the earlier chunks', async () => {
  const t = tempDir();
  try {
    const p = t.path('corrupt.sr');
    const noisy = Buffer.alloc(20000);
    for (let i = 0; i < noisy.length; i++) noisy[i] = (i * 7919) % 251 & 1;
    await makeZip(p, [['version', '2'], ['metadata', metadata(['CLK'], '1 MHz')], ['logic-1-1', Buffer.from([1, 0])], ['logic-1-2', noisy]]);
    const buf = readFileSync(p);
    const off = entryDataOffset(p, 'logic-1-2');
    buf.fill(0xff, off, off + 64);
    writeFileSync(p, buf);
    const r = await srError(p);
    assert.equal(r.error.where, 'entry logic-1-2');
    assert.deepEqual(r.states.slice(0, 2), [1, 0]);
  } finally {
    t.cleanup();
  }
});

test('a truncated .sr, a wrong version and bad metadata are SourceErrors', async () => {
  const t = tempDir();
  try {
    const p = t.path('t.sr');
    await makeZip(p, [['version', '2'], ['metadata', metadata(['CLK'], '1 MHz')], ['logic-1-1', Buffer.alloc(1000, 1)]]);
    const full = readFileSync(p);
    writeFileSync(p, full.subarray(0, full.length - 30));
    assert.equal((await srError(p, { format: 'sigrok-sr' })).error.where, 'zip directory');
    await makeZip(t.path('v.sr'), [['version', '3'], ['metadata', metadata(['CLK'], '1 MHz')]]);
    assert.equal((await srError(t.path('v.sr'))).error.where, 'entry version');
    await makeZip(t.path('m.sr'), [['version', '2'], ['metadata', metadata(['CLK'], 'quick')]]);
    const m = await srError(t.path('m.sr'));
    assert.equal(m.error.where, 'entry metadata');
    assert.match(m.error.reason, /samplerate/);
  } finally {
    t.cleanup();
  }
});

test('a .sr written by sigrok-cli reads back to the same changes as its VCD source', { skip: SKIP_SIGROK }, async () => {
  const t = tempDir();
  try {
    const sr = t.path('x.sr');
    const r = spawnSync('sigrok-cli', ['-i', `${FIXTURES}sigrok.vcd`, '-o', sr], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const fromSr = signals(await openSource(sr));
    const fromVcd = signals(await openSource(`${FIXTURES}sigrok.vcd`));
    assert.deepEqual(fromSr.info.channels, fromVcd.info.channels);
    assert.equal(fromSr.info.samplePeriodNs, 1000);
    const a = await collect(fromSr.batches);
    const b = await collect(fromVcd.batches);
    assert.deepEqual(a.states, b.states);
    assert.deepEqual(a.times, b.times);
  } finally {
    t.cleanup();
  }
});

test('stopping early releases the file: the generator finishes and a second read works', async () => {
  const t = tempDir();
  try {
    const p = t.path('stop.sr');
    const data = Buffer.alloc(300_000);
    for (let i = 0; i < data.length; i++) data[i] = i & 1;
    await makeZip(p, [['version', '2'], ['metadata', metadata(['CLK'], '1 MHz')], ['logic-1-1', data], ['logic-1-2', data]]);
    const src = signals(await openSource(p));
    for await (const b of src.batches) {
      assert.equal(b.length, 65536);
      break;
    }
    const all = await collect(signals(await openSource(p)).batches);
    assert.equal(all.times.length, 600_000);
  } finally {
    t.cleanup();
  }
});

/** Metadata as sigrok 0.2 wrote session version 1 (mx25l1605d): spaced keys, an indented trigger line. */
const V1_METADATA = `[global]
sigrok version = 0.2.0
[device 1]
driver = chronovu-la8
capturefile = logic-1
unitsize = 1
total probes = 8
samplerate = 25 MHz
probe1 = CS#
probe2 = MISO
probe3 = SCLK
 trigger3 = 1
probe4 = MOSI
`;

test('session version 1: one logic-1 entry, metadata as sigrok 0.2 wrote it; probes 5-8 are disabled and read as 0', async () => {
  const t = tempDir();
  try {
    const p = t.path('v1.sr');
    await makeZip(p, [['version', '1'], ['logic-1', Buffer.from([0x01, 0x01, 0xf5, 0x04, 0x0c, 0x10])], ['metadata', V1_METADATA]]);
    const src = signals(await openSource(p));
    assert.deepEqual(src.info.channels, ['CS#', 'MISO', 'SCLK', 'MOSI']);
    assert.equal(src.info.samplePeriodNs, 40);
    const c = await collect(src.batches);
    assert.deepEqual(c.times, [0, 80, 120, 160, 200]);
    assert.deepEqual(c.states, [0x01, 0x05, 0x04, 0x0c, 0x00], 'bits 4-7 of 0xf5 and 0x10 are disabled probes');
  } finally {
    t.cleanup();
  }
});

test('unitsize 3 and 8: a probe in every byte reads as sigrok-cli -O bits reads it', async () => {
  const t = tempDir();
  try {
    // Probe 1 (bit 0), probe 12 (bit 11), probe 24 (bit 23), probe 32 (bit 31, unitsize 8 only).
    const cases: [number, number[]][] = [
      [3, [0x000001, 0x000801, 0x800800, 0x800000, 0x000000]],
      [8, [0x00000001, 0x80000801, 0x80800800, 0x00800000, 0x80000000]],
    ];
    for (const [u, values] of cases) {
      const p = t.path(`u${u}.sr`);
      const bytes = Buffer.alloc(values.length * u, 0xff); // unnamed high bytes set: must be masked
      values.forEach((v, i) => {
        for (let b = 0; b < Math.min(u, 4); b++) bytes[i * u + b] = (v >>> (8 * b)) & 0xff;
      });
      const probes = u === 3 ? ['A', ...Array(10).fill(''), 'L', ...Array(11).fill(''), 'X'] : ['A', ...Array(10).fill(''), 'L', ...Array(11).fill(''), 'X', ...Array(7).fill(''), 'Z'];
      await makeZip(p, [['version', '2'], ['metadata', metadata(probes, '1 MHz', u, u * 8)], ['logic-1-1', bytes]]);
      const src = signals(await openSource(p));
      assert.equal(src.info.channels.length, probes.length);
      const mask = u === 3 ? 0x800801 : 0x80800801;
      const want = values.map((v) => (v & mask) >>> 0);
      const c = await collect(src.batches);
      assert.deepEqual(c.states, want.filter((v, i) => i === 0 || v !== want[i - 1]), `unitsize ${u}`);
      if (!SKIP_SIGROK) {
        const ref = await sigrokBits(p);
        const ours = await ourEdges(p);
        assert.deepEqual(ref.names, probes.filter((n) => n));
        ref.names.forEach((name, j) => assert.deepEqual(ours.edges[src.info.channels.indexOf(name)], ref.edges[j], `${name}, unitsize ${u}`));
      }
    }
  } finally {
    t.cleanup();
  }
});

test('samplerate in sr_parse_sizestring form', () => {
  const cases: [string, number][] = [['25 MHz', 25e6], ['500 kHz', 5e5], ['1 MHz', 1e6], ['1000000', 1e6], ['24m', 24e6], ['3k', 3e3], ['1.5 MHz', 1.5e6], ['33.333333 MHz', 33333333], ['2 G', 2e9], ['100 hz', 100]];
  for (const [text, hz] of cases) assert.equal(parseSamplerate(text), hz, text);
  // libsigrok refuses a trailing space and "1 k Hz", and reads "1.5MHz" as 1 Hz: all refused here.
  for (const text of ['25 MHz ', '1 k Hz', '1.5MHz', 'MHz', '', '1,5 MHz']) assert.ok(Number.isNaN(parseSamplerate(text)), text);
});

test('probes: unlisted and empty-named ones keep their index; one past 32, past the unitsize or past total probes is refused', async () => {
  const t = tempDir();
  try {
    const meta = (extra: string, u = 1, total = 8): string => `[device 1]\ncapturefile=logic-1\ntotal probes=${total}\nsamplerate=1 MHz\nunitsize=${u}\n${extra}`;
    const p = t.path('p.sr');
    await makeZip(p, [['version', '2'], ['metadata', meta('probe2=B\nprobe3=\nprobe5=E\n')], ['logic-1-1', Buffer.from([0xff, 0x00, 0x04])]]);
    const src = signals(await openSource(p));
    assert.deepEqual(src.info.channels, ['probe1', 'B', 'probe3', 'probe4', 'E']);
    // Probe 3 is enabled though unnamed (sigrok-cli shows it); probes 1, 4, 6-8 are off.
    assert.deepEqual((await collect(src.batches)).states, [0x16, 0x00, 0x04]);
    const refused: [string, string, RegExp][] = [
      ['probe33', meta('probe1=A\nprobe33=D32\n', 8, 64), /probe33=D32: only probes 1 to 32/],
      ['unitsize', meta('probe1=A\nprobe9=I\n', 1, 16), /probe9 is outside the 8 bits of a 1-byte sample/],
      ['total', meta('probe1=A\nprobe9=I\n', 2, 8), /probe9 is outside the 8 probes/],
      ['no-total', '[device 1]\ncapturefile=logic-1\nsamplerate=1 MHz\nunitsize=1\nprobe1=A\n', /total probes/],
      ['unitsize-9', meta('probe1=A\n', 9), /unitsize "9" is not 1 to 8/],
      ['rate', meta('probe1=A\n').replace('1 MHz', '1.5MHz'), /line 4: bad samplerate "1.5MHz"/],
      ['semicolon', `; sigrok\n${meta('probe1=A\n')}`, /line 1: .*not a key-value pair/],
    ];
    for (const [name, text, re] of refused) {
      const f = t.path(`${name}.sr`);
      await makeZip(f, [['version', '2'], ['metadata', text], ['logic-1-1', Buffer.alloc(16)]]);
      const r = await srError(f);
      assert.equal(r.error.where, 'entry metadata', name);
      assert.match(r.error.reason, re, name);
      assert.ok(!r.error.message.includes('\n'), 'one line');
    }
  } finally {
    t.cleanup();
  }
});

test('chunks are read from logic-1-1 up: a missing one is an error there, after every sample before it; a single logic-1 wins', async () => {
  const t = tempDir();
  try {
    const gap = t.path('gap.sr');
    await makeZip(gap, [['version', '2'], ['metadata', metadata(['A', 'B'], '1 MHz')], ['logic-1-1', Buffer.from([1, 3])], ['logic-1-2', Buffer.from([2, 0])], ['logic-1-4', Buffer.from([1])]]);
    const r = await srError(gap);
    assert.equal(r.error.where, 'entry logic-1-3');
    assert.match(r.error.reason, /missing.*after logic-1-2/);
    assert.deepEqual(r.states, [1, 3, 2, 0]);
    // As libsigrok's session driver: logic-1 present means the chunks are not read.
    const both = t.path('both.sr');
    await makeZip(both, [['version', '2'], ['metadata', metadata(['A', 'B'], '1 MHz')], ['logic-1', Buffer.from([2, 2, 3])], ['logic-1-1', Buffer.from([1, 0])]]);
    assert.deepEqual((await collect(signals(await openSource(both)).batches)).states, [2, 3]);
  } finally {
    t.cleanup();
  }
});
