import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { openSource } from '../../src/sources/open.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { parseSamplerate } from '../../src/sources/sigrok-sr.ts';
import { collect, collectUntilError, FIXTURES, signals, SKIP_SIGROK, tempDir } from './helpers.ts';
import { entryDataOffset, makeZip, metadata, patchEntrySizes } from './zip-helpers.ts';

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
