/**
 * The zip plumbing the sigrok reader needs, on yauzl: open with size validation, list the central
 * directory, read a small entry whole (bounded), stream a big one, and refuse zip bombs.
 *
 * Bomb policy: an entry whose declared size would push the running total past `maxTotal`, or
 * whose compression ratio exceeds 1000x while being over 64 MiB, is refused before a single byte is
 * inflated; yauzl's `validateEntrySizes` guarantees the declared size is not a lie.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import type { Readable } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import { SourceError } from './errors.ts';

export const MAX_RATIO = 1000;
export const RATIO_FLOOR_BYTES = 64 * 1024 * 1024;
const MAX_ENTRIES = 1_000_000;

export function openZip(path: string): Promise<ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true }, (err, zip) => {
      if (err) reject(new SourceError(path, 'zip directory', `not a readable zip: ${err.message}`));
      else resolve(zip);
    });
  });
}

export async function listEntries(zip: ZipFile, path: string): Promise<Map<string, Entry>> {
  const map = new Map<string, Entry>();
  try {
    for await (const e of zip.eachEntry()) {
      map.set(e.fileName, e);
      if (map.size > MAX_ENTRIES) throw new SourceError(path, 'zip directory', `more than ${MAX_ENTRIES} entries`);
    }
  } catch (e) {
    if (e instanceof SourceError) throw e;
    throw new SourceError(path, 'zip directory', (e as Error).message);
  }
  return map;
}

/** Throws if inflating `entry` would break the bomb policy; `already` = bytes accepted so far. */
export function checkBomb(entry: Entry, already: number, maxTotal: number, path: string): void {
  const where = `entry ${entry.fileName}`;
  if (already + entry.uncompressedSize > maxTotal) {
    throw new SourceError(path, where, `decompressed size would exceed the limit of ${maxTotal} bytes (zip bomb?)`);
  }
  const ratio = entry.uncompressedSize / Math.max(entry.compressedSize, 1);
  if (ratio > MAX_RATIO && entry.uncompressedSize > RATIO_FLOOR_BYTES) {
    throw new SourceError(path, where, `compression ratio ${Math.round(ratio)}x of ${entry.uncompressedSize} bytes is not plausible (zip bomb?)`);
  }
}

export async function entryStream(zip: ZipFile, entry: Entry, path: string): Promise<Readable> {
  try {
    return await new Promise<Readable>((resolve, reject) => {
      zip.openReadStream(entry, (err, s) => (err ? reject(err) : resolve(s)));
    });
  } catch (e) {
    throw new SourceError(path, `entry ${entry.fileName}`, (e as Error).message);
  }
}

/**
 * An entry's decompressed bytes, for big entries: our own inflate with 1 MiB output chunks and read-ahead, so inflate (on the libuv thread pool) overlaps the caller's scan loop; yauzl's
 * default 16 KiB chunks halve the throughput. Read with streamChunks (no concatenation). The caller must count bytes against
 * `entry.uncompressedSize` (see sigrok-sr.ts): this path skips yauzl's size validation.
 */
export async function entryData(zip: ZipFile, entry: Entry, path: string): Promise<Readable> {
  if (entry.compressionMethod !== 8) return entryStream(zip, entry, path);
  let raw: Readable;
  try {
    raw = await new Promise<Readable>((resolve, reject) => {
      zip.openReadStream(entry, { decodeFileData: false }, (err, s) => (err ? reject(err) : resolve(s)));
    });
  } catch (e) {
    throw new SourceError(path, `entry ${entry.fileName}`, (e as Error).message);
  }
  // Read-ahead comes from streamChunks' queue (4 chunks), on top of zlib's own buffer.
  const inflate = createInflateRaw({ chunkSize: 1 << 20 });
  raw.on('error', (e) => inflate.destroy(e));
  return raw.pipe(inflate);
}

export async function readSmallEntry(zip: ZipFile, entry: Entry, path: string, cap = 1 << 20): Promise<string> {
  if (entry.uncompressedSize > cap) throw new SourceError(path, `entry ${entry.fileName}`, `larger than ${cap} bytes`);
  const stream = await entryStream(zip, entry, path);
  const parts: Buffer[] = [];
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) parts.push(chunk);
  } catch (e) {
    throw new SourceError(path, `entry ${entry.fileName}`, (e as Error).message);
  }
  return Buffer.concat(parts).toString('utf8');
}
