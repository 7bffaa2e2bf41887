/**
 * Hand-damaged zips: a wrong compressed size (larger, smaller, past the end of the file), corrupt
 * deflate data, a bad CRC. Each is one SourceError naming the file and the entry, thrown after every
 * byte that could be decoded before the fault, and never an unhandled 'error' event.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { constants, inflateRawSync } from 'node:zlib';
import { openEntryBytes } from '../../src/sources/entry-bytes.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { openSource } from '../../src/sources/open.ts';
import { listEntries, openZip } from '../../src/sources/zip-entries.ts';
import { collect, collectUntilError, signals, tempDir } from './helpers.ts';
import { entryDataOffset, entrySizes, makeZip, metadata, patchEntrySizes } from './zip-helpers.ts';

/** Samples that compress about 45x: many 1 MiB output chunks, and one 16 KiB write yields ~0.7 MiB. */
function samplesOf(n: number, seed = 1): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  let v = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 63) === 0) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      v = x >> 28;
    }
    b[i] = v;
  }
  return b;
}

/** Reads one entry's bytes until the end or the error. */
async function entryBytes(path: string, name: string): Promise<{ data: Buffer; error: unknown }> {
  const zip = await openZip(path);
  const parts: Buffer[] = [];
  try {
    const entry = (await listEntries(zip, path)).get(name);
    assert.ok(entry);
    for await (const b of openEntryBytes(zip, entry, path)) parts.push(b);
    return { data: Buffer.concat(parts), error: null };
  } catch (e) {
    return { data: Buffer.concat(parts), error: e };
  } finally {
    zip.close();
  }
}

function compressedOf(path: string, name: string): Buffer {
  const off = entryDataOffset(path, name);
  return readFileSync(path).subarray(off, off + entrySizes(path, name).compressed);
}

/** What zlib can decode from the first `n` compressed bytes. */
function decodable(comp: Buffer, n: number): Buffer {
  return inflateRawSync(comp.subarray(0, n), { finishFlush: constants.Z_SYNC_FLUSH });
}

function assertSourceError(e: unknown, path: string, where: string, re: RegExp): void {
  assert.ok(e instanceof SourceError, `expected SourceError, got ${String(e)}`);
  assert.equal(e.where, where);
  assert.match(e.reason, re);
  assert.ok(e.message.startsWith(`${path}: ${where}: `) && !e.message.includes('\n'), e.message);
}

test('compressed size too large but inside the file: the entry still reads whole (inflate stops at its end)', async () => {
  const t = tempDir();
  try {
    const p = t.path('big-size.sr');
    const data = samplesOf(3 << 20);
    await makeZip(p, [['version', '2'], ['metadata', metadata(['A', 'B', 'C', 'D'], '1 MHz')], ['logic-1-1', data], ['logic-1-2', data.subarray(0, 1000)]]);
    patchEntrySizes(p, 'logic-1-1', { compressed: entrySizes(p, 'logic-1-1').compressed + 100 });
    const r = await entryBytes(p, 'logic-1-1');
    assert.equal(r.error, null);
    assert.ok(r.data.equals(data));
  } finally {
    t.cleanup();
  }
});

test('compressed size past the end of the file: a SourceError at that entry, after the samples of the entries before it', async () => {
  const t = tempDir();
  try {
    const p = t.path('past-end.sr');
    await makeZip(p, [['version', '2'], ['metadata', metadata(['A', 'B'], '1 MHz')], ['logic-1-1', Buffer.from([1, 2, 3])], ['logic-1-2', samplesOf(100_000)]]);
    patchEntrySizes(p, 'logic-1-2', { compressed: 50_000_000 });
    const r = await collectUntilError(signals(await openSource(p)).batches);
    assertSourceError(r.error, p, 'entry logic-1-2', /read error/);
    assert.deepEqual(r.states, [1, 2, 3]);
  } finally {
    t.cleanup();
  }
});

test('compressed size too small: every byte decodable from the shortened data is delivered, then a SourceError', async () => {
  const t = tempDir();
  try {
    const p = t.path('small-size.sr');
    const data = samplesOf(4 << 20);
    await makeZip(p, [['version', '2'], ['metadata', metadata(['A', 'B', 'C', 'D'], '1 MHz')], ['logic-1-1', data]]);
    const comp = compressedOf(p, 'logic-1-1');
    const cut = Math.floor(comp.length * 0.6) + 7;
    patchEntrySizes(p, 'logic-1-1', { compressed: cut });
    const want = decodable(comp, cut);
    assert.ok(want.length % (1 << 20) !== 0 && want.length > 2 << 20, `${want.length} decodable bytes`);
    const r = await entryBytes(p, 'logic-1-1');
    assertSourceError(r.error, p, 'entry logic-1-1', new RegExp(`compressed data ends after ${want.length} of ${data.length} bytes`));
    assert.equal(r.data.length, want.length);
    assert.ok(r.data.equals(data.subarray(0, want.length)));
  } finally {
    t.cleanup();
  }
});

test('corrupt deflate data mid-entry: the bytes before the bad one are delivered, not just whole writes, then a SourceError', async () => {
  const t = tempDir();
  try {
    const p = t.path('corrupt.sr');
    const data = samplesOf(4 << 20, 7);
    await makeZip(p, [['version', '2'], ['metadata', metadata(['A', 'B', 'C', 'D'], '1 MHz')], ['logic-1-1', data]]);
    const comp = compressedOf(p, 'logic-1-1');
    const at = Math.floor(comp.length * 0.55) + 3;
    const buf = readFileSync(p);
    buf.fill(0xff, entryDataOffset(p, 'logic-1-1') + at, entryDataOffset(p, 'logic-1-1') + at + 200);
    writeFileSync(p, buf);
    const before = decodable(comp, at).length;
    const r = await entryBytes(p, 'logic-1-1');
    assertSourceError(r.error, p, 'entry logic-1-1', /corrupt compressed data at compressed byte \d+, after \d+ of \d+ bytes/);
    assert.ok(r.data.length >= before, `${r.data.length} delivered, ${before} decodable before the fault`);
    assert.ok(r.data.subarray(0, before).equals(data.subarray(0, before)));
  } finally {
    t.cleanup();
  }
});

test('a damaged entry inflating ahead while the one before is scanned is no unhandled error: every sample of that one comes first', async () => {
  const t = tempDir();
  try {
    const p = t.path('ahead.sr');
    // Many changes in chunk 1, so scanning it takes a while; chunk 2 is cut near its start.
    const first = Buffer.alloc(6 << 20);
    for (let i = 0; i < first.length; i++) first[i] = (i >> 2) & 3;
    await makeZip(p, [['version', '2'], ['metadata', metadata(['A', 'B'], '1 MHz')], ['logic-1-1', first], ['logic-1-2', samplesOf(1 << 20)]]);
    patchEntrySizes(p, 'logic-1-2', { compressed: 40 });
    const r = await collectUntilError(signals(await openSource(p)).batches);
    assertSourceError(r.error, p, 'entry logic-1-2', /compressed data ends after/);
    const firstEnd = first.length * 1000; // ns, at 1 MHz
    assert.equal(r.times.filter((t) => t < firstEnd).length, first.length / 4, 'every change of logic-1-1');
    assert.ok(r.times.length > first.length / 4, 'then what logic-1-2 had before its cut');
  } finally {
    t.cleanup();
  }
});

test('a stored entry whose bytes do not match its CRC-32: a SourceError after its bytes', async () => {
  const t = tempDir();
  try {
    const p = t.path('crc.sr');
    const data = Buffer.from([0, 1, 0, 1, 3, 3, 2]);
    await makeZip(p, [['version', '2'], ['metadata', metadata(['A', 'B'], '1 MHz')], ['logic-1-1', data]], 0);
    const buf = readFileSync(p);
    buf[entryDataOffset(p, 'logic-1-1') + 5] = 0;
    writeFileSync(p, buf);
    const r = await collectUntilError(signals(await openSource(p)).batches);
    assertSourceError(r.error, p, 'entry logic-1-1', /CRC-32 mismatch/);
    assert.deepEqual(r.states, [0, 1, 0, 1, 3, 0, 2]);
    // The same file undamaged reads clean.
    await makeZip(p, [['version', '2'], ['metadata', metadata(['A', 'B'], '1 MHz')], ['logic-1-1', data]], 0);
    assert.deepEqual((await collect(signals(await openSource(p)).batches)).states, [0, 1, 0, 1, 3, 2]);
  } finally {
    t.cleanup();
  }
});
