import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openSource } from '../../src/sources/open.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { collect, collectUntilError, signals, tempDir } from './helpers.ts';

/** Builds a Saleae binary export file by hand, following Saleae's documented layout. */
function v0(initial: number, begin: number, end: number, times: number[]): Buffer {
  const b = Buffer.alloc(44 + 8 * times.length);
  b.write('<SALEAE>', 0, 'latin1');
  b.writeInt32LE(0, 8);
  b.writeInt32LE(0, 12);
  b.writeUInt32LE(initial, 16);
  b.writeDoubleLE(begin, 20);
  b.writeDoubleLE(end, 28);
  b.writeBigUInt64LE(BigInt(times.length), 36);
  times.forEach((t, i) => b.writeDoubleLE(t, 44 + 8 * i));
  return b;
}

function v1(chunks: { initial: number; rate: number; begin: number; end: number; times: number[] }[]): Buffer {
  const parts: Buffer[] = [];
  const h = Buffer.alloc(24);
  h.write('<SALEAE>', 0, 'latin1');
  h.writeInt32LE(1, 8);
  h.writeInt32LE(0, 12);
  h.writeBigUInt64LE(BigInt(chunks.length), 16);
  parts.push(h);
  for (const c of chunks) {
    const b = Buffer.alloc(36 + 8 * c.times.length);
    b.writeUInt32LE(c.initial, 0);
    b.writeDoubleLE(c.rate, 4);
    b.writeDoubleLE(c.begin, 12);
    b.writeDoubleLE(c.end, 20);
    b.writeBigUInt64LE(BigInt(c.times.length), 28);
    c.times.forEach((t, i) => b.writeDoubleLE(t, 36 + 8 * i));
    parts.push(b);
  }
  return Buffer.concat(parts);
}

test('merges version-0 digital_N.bin files in time order, from the directory or any one file', async () => {
  const t = tempDir();
  try {
    const d = t.path('export');
    mkdirSync(d);
    // Trigger-relative times: the capture begins at -1 us.
    writeFileSync(join(d, 'digital_0.bin'), v0(0, -1e-6, 3e-6, [0, 1e-6, 2e-6]));
    writeFileSync(join(d, 'digital_1.bin'), v0(1, -1e-6, 3e-6, [5e-7, 1e-6]));
    writeFileSync(join(d, 'digital_3.bin'), v0(0, -1e-6, 3e-6, []));
    writeFileSync(join(d, 'analog_0.bin'), 'ignored');
    for (const path of [d, join(d, 'digital_1.bin')]) {
      const src = signals(await openSource(path));
      assert.deepEqual(src.info.channels, ['Channel 0', 'Channel 1', 'Channel 3']);
      assert.equal(src.info.samplePeriodNs, undefined);
      const c = await collect(src.batches);
      assert.deepEqual(c.times, [0, 1000, 1500, 2000, 3000]);
      assert.deepEqual(c.states, [0b010, 0b011, 0b001, 0b010, 0b011]);
    }
  } finally {
    t.cleanup();
  }
});

test('reads version-1 chunked files: each chunk restarts from its initial state, sample rate gives the period', async () => {
  const t = tempDir();
  try {
    const p = t.path('digital_0.bin');
    writeFileSync(p, v1([
      { initial: 0, rate: 500e6, begin: 0, end: 1e-6, times: [1e-7, 2e-7] },
      { initial: 1, rate: 500e6, begin: 2e-6, end: 3e-6, times: [2.5e-6] },
    ]));
    const src = signals(await openSource(p));
    assert.equal(src.info.samplePeriodNs, 2);
    const c = await collect(src.batches);
    assert.deepEqual(c.states, [0, 1, 0, 1, 0]);
    assert.deepEqual(c.times.map((x) => Math.round(x)), [0, 100, 200, 2000, 2500]);
  } finally {
    t.cleanup();
  }
});

test('many transitions stream through in several batches', async () => {
  const t = tempDir();
  try {
    const d = t.path('x');
    mkdirSync(d);
    const n = 150_000;
    writeFileSync(join(d, 'digital_0.bin'), v0(0, 0, 1, Array.from({ length: n }, (_, i) => (i + 1) * 1e-6)));
    writeFileSync(join(d, 'digital_1.bin'), v0(0, 0, 1, Array.from({ length: n }, (_, i) => (i + 1.5) * 1e-6)));
    const c = await collect(signals(await openSource(d)).batches);
    assert.equal(c.times.length, 2 * n + 1);
    assert.ok(c.batches >= 4);
    for (let i = 1; i < c.times.length; i++) assert.ok(c.times[i] > c.times[i - 1]);
  } finally {
    t.cleanup();
  }
});

test('truncated, non-monotonic and foreign files are SourceErrors naming the byte', async () => {
  const t = tempDir();
  try {
    const p = t.path('digital_0.bin');
    const full = v0(0, 0, 1, [1e-6, 2e-6, 3e-6]);
    writeFileSync(p, full.subarray(0, full.length - 4));
    const tr = await collectUntilError(signals(await openSource(p)).batches);
    assert.ok(tr.error instanceof SourceError);
    assert.equal((tr.error as SourceError).where, `byte ${full.length - 4}`);
    assert.match((tr.error as SourceError).reason, /truncated/);
    assert.deepEqual(tr.times, [0, 1000, 2000]);

    writeFileSync(p, v0(0, 0, 1, [1e-6, 3e-6, 2e-6]));
    const r = await collectUntilError(signals(await openSource(p)).batches);
    assert.ok(r.error instanceof SourceError);
    assert.equal((r.error as SourceError).where, 'byte 60');
    assert.deepEqual(r.times, [0, 1000, 3000]);

    writeFileSync(p, Buffer.concat([Buffer.from('<SALEAE>'), Buffer.from([7, 0, 0, 0, 0, 0, 0, 0])]));
    const err = await openSource(p).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof SourceError);
    assert.equal(err.where, 'byte 8');
  } finally {
    t.cleanup();
  }
});
