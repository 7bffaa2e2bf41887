/**
 * The zip plumbing the sigrok reader needs, on yauzl: open, list the central directory, read a
 * small entry whole (bounded), and refuse zip bombs. Big entries are streamed by entry-bytes.ts.
 *
 * Bomb policy: an entry whose declared size would push the running total past `maxTotal`, or
 * whose compression ratio exceeds 1000x while being over 64 MiB, is refused before a single byte is
 * inflated; entry-bytes.ts never delivers more than the declared size, so it is not a way round.
 */
import yauzl from 'yauzl';
import type { Entry, ZipFile } from 'yauzl';
import { openEntryBytes } from './entry-bytes.ts';
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

/** A small entry (version, metadata) as text, read whole; refused above `cap` bytes. */
export async function readSmallEntry(zip: ZipFile, entry: Entry, path: string, cap = 1 << 20): Promise<string> {
  if (entry.uncompressedSize > cap) throw new SourceError(path, `entry ${entry.fileName}`, `larger than ${cap} bytes`);
  const parts: Buffer[] = [];
  for await (const chunk of openEntryBytes(zip, entry, path)) parts.push(chunk);
  return Buffer.concat(parts).toString('utf8');
}
