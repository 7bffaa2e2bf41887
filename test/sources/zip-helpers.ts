/** Builds .sr zips by hand (yazl + hand-written metadata) and patches their central directory. */
import { once } from 'node:events';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import yazl from 'yazl';

/** compressionLevel 0 stores the entries (no deflate). */
export async function makeZip(path: string, entries: [string, Buffer | string][], compressionLevel = 6): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) {
    zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name, compressionLevel === 0 ? { compress: false } : { compressionLevel });
  }
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  zip.end();
  await once(out, 'close');
}

export function metadata(probes: string[], samplerate: string, unitsize = 1, total = probes.length): string {
  const p = probes.map((n, i) => (n ? `probe${i + 1}=${n}\n` : '')).join('');
  return `[global]\nsigrok version=0.5.2\n\n[device 1]\ncapturefile=logic-1\ntotal probes=${total}\nsamplerate=${samplerate}\ntotal analog=0\n${p}unitsize=${unitsize}\n`;
}

/** Offset of an entry's central-directory record. */
function centralRecord(buf: Buffer, name: string): number {
  for (let i = buf.length - 46; i >= 0; i--) {
    if (buf.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLen = buf.readUInt16LE(i + 28);
    if (buf.toString('latin1', i + 46, i + 46 + nameLen) === name) return i;
  }
  throw new Error(`entry ${name} not found`);
}

/** An entry's sizes as the central directory (which yauzl trusts) declares them. */
export function entrySizes(path: string, name: string): { compressed: number; uncompressed: number } {
  const buf = readFileSync(path);
  const i = centralRecord(buf, name);
  return { compressed: buf.readUInt32LE(i + 20), uncompressed: buf.readUInt32LE(i + 24) };
}

/** Rewrites the central-directory sizes of one entry (to fake a bomb or a lying header). */
export function patchEntrySizes(path: string, name: string, sizes: { compressed?: number; uncompressed?: number }): void {
  const buf = readFileSync(path);
  const i = centralRecord(buf, name);
  if (sizes.compressed !== undefined) buf.writeUInt32LE(sizes.compressed, i + 20);
  if (sizes.uncompressed !== undefined) buf.writeUInt32LE(sizes.uncompressed, i + 24);
  writeFileSync(path, buf);
}

/** Offset of an entry's compressed data (after its local header). */
export function entryDataOffset(path: string, name: string): number {
  const buf = readFileSync(path);
  for (let i = 0; i < buf.length - 30; i++) {
    if (buf.readUInt32LE(i) !== 0x04034b50) continue;
    const nameLen = buf.readUInt16LE(i + 26);
    const extraLen = buf.readUInt16LE(i + 28);
    if (buf.toString('latin1', i + 30, i + 30 + nameLen) === name) return i + 30 + nameLen + extraLen;
  }
  throw new Error(`entry ${name} not found`);
}
