/**
 * Human-readable renderings of wire data, for the CLI and the spec: `formatFrameDump(bytes)` lays a
 * frame out field by field (offset, bytes, field name, value), straight from the byte layout and
 * without CRC checks, so it shows broken frames too; `describeValue(v)` prints a decoded CBOR value
 * on one line, byte strings as h'..' and bigints with an n.
 *
 *   offset  bytes                                            field
 *   0000    b5                                               sync     0xb5
 *   0002    01                                               channel  1 (control)
 */
import { readU16, readU32 } from './bytes.ts';
import { channelName, Flag, FLAGS_RESERVED_MASK, HEADER_SIZE, TRAILER_SIZE } from './constants.ts';

const BYTES_COLUMN = 48;

/**
 * The frame at the start of `frame`, field by field, from the layout alone (no CRC check: this
 * shows what is there, right or wrong). Payload rows hold 16 bytes each.
 */
export function formatFrameDump(frame: Uint8Array): string[] {
  const out = [`${'offset'.padEnd(8)}${'bytes'.padEnd(BYTES_COLUMN + 1)}field`];
  const row = (at: number, n: number, field: string, value: string): void => {
    const hex = Array.from(frame.subarray(at, at + n), (b) => b.toString(16).padStart(2, '0')).join(' ');
    out.push(`${at.toString(16).padStart(4, '0').padEnd(8)}${hex.padEnd(BYTES_COLUMN + 1)}${field.padEnd(9)}${value}`.trimEnd());
  };
  if (frame.length < HEADER_SIZE) {
    row(0, frame.length, 'short', `${frame.length} bytes, a header needs ${HEADER_SIZE}`);
    return out;
  }
  const length = readU16(frame, 8);
  row(0, 1, 'sync', `0x${hex2(frame[0])}`);
  row(1, 1, 'version', String(frame[1]));
  row(2, 1, 'channel', `${frame[2]} (${channelName(frame[2])})`);
  row(3, 1, 'flags', `0x${hex2(frame[3])}${flagNames(frame[3])}`);
  row(4, 2, 'seq', String(readU16(frame, 4)));
  row(6, 2, 'ack', String(readU16(frame, 6)));
  row(8, 2, 'len', String(length));
  row(10, 1, 'credit', String(frame[10]));
  row(11, 1, 'epoch', String(frame[11]));
  row(12, 4, 'hcrc', `0x${readU32(frame, 12).toString(16).padStart(8, '0')} (CRC-32C of bytes 0-11)`);
  if (length === 0) return out;
  const end = Math.min(HEADER_SIZE + length, frame.length);
  for (let at = HEADER_SIZE; at < end; at += 16) {
    const first = at === HEADER_SIZE;
    row(at, Math.min(16, end - at), first ? 'payload' : '', first ? `${length} bytes` : '');
  }
  if (frame.length >= HEADER_SIZE + length + TRAILER_SIZE) {
    row(HEADER_SIZE + length, 4, 'crc', `0x${readU32(frame, HEADER_SIZE + length).toString(16).padStart(8, '0')} (CRC-32C of bytes 0-${HEADER_SIZE + length - 1})`);
  }
  return out;
}

function flagNames(flags: number): string {
  const names: string[] = [];
  if (flags & Flag.more) names.push('more');
  if (flags & Flag.cont) names.push('cont');
  if (flags & Flag.pending) names.push('pending');
  if (flags & Flag.ackValid) names.push('ack-valid');
  if (flags & FLAGS_RESERVED_MASK) names.push('RESERVED');
  return names.length ? ` (${names.join(', ')})` : '';
}

export function describeValue(v: unknown): string {
  if (v instanceof Uint8Array) return `h'${Array.from(v, hex2).join('')}'`;
  if (typeof v === 'bigint') return `${v}n`;
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(describeValue).join(', ')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.entries(v).map(([k, x]) => `${k}: ${describeValue(x)}`).join(', ')}}`;
  }
  return String(v);
}

function hex2(b: number): string {
  return b.toString(16).padStart(2, '0');
}
