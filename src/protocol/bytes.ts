/** Little-endian helpers over a Uint8Array. No bounds checks: callers check lengths first. */

export function readU16(b: Uint8Array, at: number): number {
  return b[at] | (b[at + 1] << 8);
}
export function readU32(b: Uint8Array, at: number): number {
  return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
}
export function writeU16(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
}
export function writeU32(b: Uint8Array, at: number, v: number): void {
  b[at] = v & 0xff;
  b[at + 1] = (v >>> 8) & 0xff;
  b[at + 2] = (v >>> 16) & 0xff;
  b[at + 3] = (v >>> 24) & 0xff;
}
/** Byte-for-byte equality, by Node's Buffer.compare. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  return a.length === b.length && Buffer.compare(asBuffer(a), asBuffer(b)) === 0;
}
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
export function toHex(b: Uint8Array, sep = ''): string {
  // The plain form is on the --json hot path: Node's hex encoder is ~40x faster than the loop.
  if (sep === '') return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
  let s = '';
  for (let i = 0; i < b.length; i++) s += (i && sep ? sep : '') + b[i].toString(16).padStart(2, '0');
  return s;
}
/** Parses hex with optional whitespace, colons or 0x prefixes; returns null for anything else. */
export function fromHex(text: string): Uint8Array | null {
  const clean = text.replace(/0x/gi, '').replace(/[\s:,_-]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) return null;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}
