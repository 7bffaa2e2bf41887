/**
 * Byte layouts buddyshark defines inside pcapng packets (all little endian, like the link's own
 * frames); docs/pcapng.md describes them byte by byte. Pure encode/decode, no I/O.
 *
 * - A link protocol's meta, in a custom option (2989, PEN 32473) on buddy-eth, buddy-ble and
 *   buddy-link packets, is its own (the buddy link's frame meta: src/link/buddy/pcapng.ts).
 * - SPI header, the packet data of buddy-spi (USER0) packets: TxnRecord and LineRecord.
 * - Event body, after the exported-PDU TLVs of buddy-events packets: AnomalyRecord.
 *
 * Times: every layout starts its fixed part with startNs and endNs as float64, so records come back
 * exactly (fractional and negative times included). The EPB timestamp, floor(startNs) (0 when
 * negative), is for display only: `tshark -w` folds if_tsoffset into rewritten timestamps, so
 * they cannot be trusted to give startNs back.
 *
 * Decoders return null (or a reason string) for bytes that do not fit; they never throw.
 */
import { ByteBuffer } from './bytes.ts';
import { ANOMALY_CODE_PATTERN, type AnomalyCode, type Direction, type LineName } from '../records/types.ts';

/** The EPB timestamp (ns) displayed for a record starting at `startNs`. */
export function startTimestamp(startNs: number): number {
  return Number.isFinite(startNs) && startNs > 0 ? Math.min(Math.floor(startNs), Number.MAX_SAFE_INTEGER) : 0;
}

/** The reader hands out Buffers already; wrap plain Uint8Arrays only. */
function asBuffer(d: Uint8Array): Buffer {
  return Buffer.isBuffer(d) ? d : Buffer.from(d.buffer, d.byteOffset, d.byteLength);
}

function build(size: number, fill: (out: ByteBuffer) => void): Uint8Array {
  const out = new ByteBuffer(size);
  fill(out);
  return new Uint8Array(out.view());
}

// ---- buddy-spi (USER0) header ----
//  txn:  0 u8 type 1 | 1 u8 bits (0x01 partialBits valid, 0x02 word width valid) | 2 u8 partialBits
//        | 3 u8 word width - 1 (0 unless bit 0x02: 8-bit words)
//        4 f64 startNs | 12 f64 endNs | 20 u32 MOSI length | 24 u32 MISO length | 28 MOSI | MISO
//  line: 0 u8 type 2 | 1 u8 0 | 2 u8 line (0 ready, 1 irq, 2 reset, 3 cs) | 3 u8 level
//        4 f64 startNs | 12 f64 endNs   (20 bytes)

export const SPI_TXN = 1;
export const SPI_LINE = 2;
export const SpiBit = { partialBits: 0x01, wordBits: 0x02 } as const;
export const LINE_CODES: readonly LineName[] = ['ready', 'irq', 'reset', 'cs'];
export const TXN_HEADER_SIZE = 28;
export const LINE_HEADER_SIZE = 20;

/** The transaction fields the header carries besides its span and lengths. */
export interface TxnBits {
  readonly partialBits?: number;
  readonly wordBits?: number;
}

export function writeTxnHeader(out: ByteBuffer, startNs: number, endNs: number, t: TxnBits, mosiLen: number, misoLen: number): void {
  const { partialBits, wordBits } = t;
  if (partialBits !== undefined && (!Number.isInteger(partialBits) || partialBits < 0 || partialBits > 0xff)) {
    throw new RangeError(`partialBits ${partialBits} is not in 0..255`);
  }
  if (wordBits !== undefined && (!Number.isInteger(wordBits) || wordBits < 1 || wordBits > 256)) {
    throw new RangeError(`wordBits ${wordBits} is not in 1..256`);
  }
  const wide = wordBits !== undefined && wordBits !== 8;
  out.u8(SPI_TXN).u8((partialBits !== undefined ? SpiBit.partialBits : 0) | (wide ? SpiBit.wordBits : 0)).u8(partialBits ?? 0).u8(wide ? wordBits - 1 : 0);
  out.f64(startNs).f64(endNs).u32(mosiLen).u32(misoLen);
}

export function writeLineHeader(out: ByteBuffer, startNs: number, endNs: number, line: LineName, level: 0 | 1): void {
  out.u8(SPI_LINE).u8(0).u8(LINE_CODES.indexOf(line)).u8(level).f64(startNs).f64(endNs);
}

export function encodeTxnHeader(startNs: number, endNs: number, t: TxnBits, mosiLen: number, misoLen: number): Uint8Array {
  return build(TXN_HEADER_SIZE, (out) => writeTxnHeader(out, startNs, endNs, t, mosiLen, misoLen));
}

export function encodeLineHeader(startNs: number, endNs: number, line: LineName, level: 0 | 1): Uint8Array {
  return build(LINE_HEADER_SIZE, (out) => writeLineHeader(out, startNs, endNs, line, level));
}

export type SpiPacket =
  | { readonly kind: 'txn'; readonly startNs: number; readonly endNs: number; readonly partialBits?: number; readonly wordBits?: number; readonly mosi: Uint8Array; readonly miso: Uint8Array }
  | { readonly kind: 'line'; readonly startNs: number; readonly endNs: number; readonly line: LineName; readonly level: 0 | 1 };

/** `views`: MOSI and MISO point into `d` instead of being copied (for readers that keep no records). */
export function decodeSpiPacket(d: Uint8Array, views = false): SpiPacket | string {
  const b = asBuffer(d);
  if (b.length < LINE_HEADER_SIZE) return `SPI packet of ${b.length} bytes is shorter than its header`;
  const startNs = b.readDoubleLE(4);
  const endNs = b.readDoubleLE(12);
  if (b[0] === SPI_LINE) {
    if (b.length !== LINE_HEADER_SIZE) return `line packet of ${b.length} bytes, expected ${LINE_HEADER_SIZE}`;
    const line = LINE_CODES[b[2]];
    if (line === undefined || b[3] > 1) return `line code ${b[2]} level ${b[3]} unknown`;
    return { kind: 'line', startNs, endNs, line, level: b[3] as 0 | 1 };
  }
  if (b[0] !== SPI_TXN) return `SPI record type ${b[0]} unknown`;
  if (b.length < TXN_HEADER_SIZE) return `transaction packet of ${b.length} bytes is shorter than its header`;
  const mosiLen = b.readUInt32LE(20);
  const misoLen = b.readUInt32LE(24);
  const head = TXN_HEADER_SIZE;
  if (head + mosiLen + misoLen !== b.length) return `transaction lengths ${mosiLen}+${misoLen} do not match ${b.length - head} data bytes`;
  return {
    kind: 'txn', startNs, endNs,
    ...(b[1] & SpiBit.partialBits ? { partialBits: b[2] } : {}),
    ...(b[1] & SpiBit.wordBits ? { wordBits: b[3] + 1 } : {}),
    mosi: views ? b.subarray(head, head + mosiLen) : new Uint8Array(b.subarray(head, head + mosiLen)),
    miso: views ? b.subarray(head + mosiLen, head + mosiLen + misoLen) : new Uint8Array(b.subarray(head + mosiLen, head + mosiLen + misoLen)),
  };
}

// ---- buddy-events body (after the exported-PDU TLVs) ----
//  0 u8 version 1 | 1 u8 bits (0x01 dir, 0x02 offset, 0x04 count valid) | 2 u8 dir (0 cpu-to-buddy,
//  1 buddy-to-cpu) | 3 u8 code length N | 4 f64 startNs | 12 f64 endNs | 20 u32 offset | 24 u32 count
//  28 code (N ASCII bytes) | detail (UTF-8, to the end)

export const EventBit = { dir: 0x01, offset: 0x02, count: 0x04 } as const;
export const EVENT_HEADER_SIZE = 28;
const DIRS: readonly Direction[] = ['cpu-to-buddy', 'buddy-to-cpu'];

export interface EventBody {
  readonly code: string;
  readonly detail: string;
  readonly startNs: number;
  readonly endNs: number;
  readonly dir?: Direction;
  readonly offset?: number;
  readonly count?: number;
}

function u32Field(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`anomaly ${name} ${v} is not a u32`);
  return v;
}

/** Version of the event body (the first byte). */
const EVENT_VERSION = 1;

export function encodeEventBody(e: EventBody): Uint8Array {
  const code = Buffer.from(e.code, 'latin1');
  const detail = Buffer.from(e.detail, 'utf8');
  const b = Buffer.alloc(EVENT_HEADER_SIZE + code.length + detail.length);
  b[0] = EVENT_VERSION;
  b[1] = (e.dir ? EventBit.dir : 0) | (e.offset !== undefined ? EventBit.offset : 0) | (e.count !== undefined ? EventBit.count : 0);
  b[2] = e.dir ? DIRS.indexOf(e.dir) : 0;
  b[3] = code.length;
  b.writeDoubleLE(e.startNs, 4);
  b.writeDoubleLE(e.endNs, 12);
  b.writeUInt32LE(u32Field('offset', e.offset), 20);
  b.writeUInt32LE(u32Field('count', e.count), 24);
  code.copy(b, EVENT_HEADER_SIZE);
  detail.copy(b, EVENT_HEADER_SIZE + code.length);
  return new Uint8Array(b.buffer, b.byteOffset, b.length);
}

export function decodeEventBody(d: Uint8Array): (EventBody & { readonly code: AnomalyCode }) | string {
  const b = asBuffer(d);
  if (b.length < EVENT_HEADER_SIZE || b[0] !== EVENT_VERSION) return 'event body too short or of an unknown version';
  const bits = b[1];
  const head = EVENT_HEADER_SIZE;
  if (b.length < head + b[3]) return 'event body shorter than its code';
  const code = b.toString('latin1', head, head + b[3]);
  // A code this reader does not list (a newer buddyshark, another link protocol) is still read.
  if (!ANOMALY_CODE_PATTERN.test(code)) return `anomaly code "${code}" is not a kebab-case code`;
  const dir = DIRS[b[2]];
  if (bits & EventBit.dir && dir === undefined) return `direction ${b[2]} unknown`;
  return {
    code: code as AnomalyCode,
    detail: b.toString('utf8', head + b[3]),
    startNs: b.readDoubleLE(4),
    endNs: b.readDoubleLE(12),
    ...(bits & EventBit.dir ? { dir } : {}),
    ...(bits & EventBit.offset ? { offset: b.readUInt32LE(20) } : {}),
    ...(bits & EventBit.count ? { count: b.readUInt32LE(24) } : {}),
  };
}
