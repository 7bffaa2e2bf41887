/** Builds .sr zips by hand (yazl + hand-written metadata) and patches their central directory. */
import { once } from 'node:events';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import yazl from 'yazl';

export async function makeZip(path: string, entries: [string, Buffer | string][], compressionLevel = 6): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const [name, data] of entries) zip.addBuffer(Buffer.isBuffer(data) ? data : Buffer.from(data), name, { compressionLevel });
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  zip.end();
  await once(out, 'close');
}

export function metadata(probes: string[], samplerate: string, unitsize = 1, total = probes.length): string {
  const p = probes.map((n, i) => (n ? `probe${i + 1}=${n}\n` : '')).join('');
  return `[global]\nsigrok version=0.5.2\n\n[device 1]\ncapturefile=logic-1\ntotal probes=${total}\nsamplerate=${samplerate}\ntotal analog=0\n${p}unitsize=${unitsize}\n`;
}

/** Rewrites the central-directory sizes of one entry (to fake a bomb or a lying header). */
export function patchEntrySizes(path: string, name: string, sizes: { compressed?: number; uncompressed?: number }): void {
  const buf = readFileSync(path);
  for (let i = buf.length - 46; i >= 0; i--) {
    if (buf.readUInt32LE(i) !== 0x02014b50) continue;
    const nameLen = buf.readUInt16LE(i + 28);
    if (buf.toString('latin1', i + 46, i + 46 + nameLen) !== name) continue;
    if (sizes.compressed !== undefined) buf.writeUInt32LE(sizes.compressed, i + 20);
    if (sizes.uncompressed !== undefined) buf.writeUInt32LE(sizes.uncompressed, i + 24);
    writeFileSync(path, buf);
    return;
  }
  throw new Error(`entry ${name} not found`);
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
