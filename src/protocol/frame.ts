/**
 * Frame codec. Layout (little-endian), see docs/protocol.md "Frame layout":
 *
 *   0  u8   sync     0xB5
 *   1  u8   version  1
 *   2  u8   channel  0 link/idle, 1 control, 2 ethernet, 3 trace, 4 BLE HCI, others reserved
 *   3  u8   flags    bit0 more-fragments, bit1 pending, bit2 ack-valid, bits 3-7 reserved (0)
 *   4  u16  seq      per-direction sequence number of this frame (idle frames: the next one)
 *   6  u16  ack      seq of the last frame received intact from the peer (valid with ack-valid)
 *   8  u16  len      payload length, 0..1536
 *  10  u8   credit   credited (ethernet/BLE) frames the sender can accept beyond `ack`
 *  11  u8   epoch    buddy boot epoch (buddy: its own; CPU: the one it is synced to, 0 = none)
 *  12  u32  hcrc     CRC-32C of bytes 0..11
 *  16  ...  payload  len bytes
 *  16+len u32 crc   CRC-32C of bytes 0..15+len (only when len > 0)
 *
 * An idle frame is channel 0 with len 0: exactly 16 bytes.
 */
import { readU16, readU32, writeU16, writeU32 } from './bytes.ts';
import {
  FLAGS_RESERVED_MASK,
  HEADER_FIELDS_SIZE,
  HEADER_SIZE,
  MAX_PAYLOAD,
  PROTOCOL_VERSION,
  SYNC,
  TRAILER_SIZE,
} from './constants.ts';
import { crc32c } from './crc.ts';
import { fail, ok, type Result } from './errors.ts';

export interface FrameHeader {
  readonly version: number;
  readonly channel: number;
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly length: number;
  readonly credit: number;
  readonly epoch: number;
}

export interface Frame {
  readonly header: FrameHeader;
  readonly payload: Uint8Array;
}

export type FrameInit = Omit<FrameHeader, 'version' | 'length'> & { readonly version?: number };

/** Bytes a frame with this payload length occupies on the wire. */
export function frameSize(payloadLength: number): number {
  return HEADER_SIZE + payloadLength + (payloadLength > 0 ? TRAILER_SIZE : 0);
}

/** Encodes one frame. Throws RangeError on a programming error (bad field range), never on data. */
export function encodeFrame(init: FrameInit, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  checkRange('channel', init.channel, 0xff);
  checkRange('flags', init.flags, 0xff);
  checkRange('seq', init.seq, 0xffff);
  checkRange('ack', init.ack, 0xffff);
  checkRange('credit', init.credit, 0xff);
  checkRange('epoch', init.epoch, 0xff);
  if (payload.length > MAX_PAYLOAD) throw new RangeError(`payload of ${payload.length} bytes exceeds ${MAX_PAYLOAD}`);
  const out = new Uint8Array(frameSize(payload.length));
  out[0] = SYNC;
  out[1] = init.version ?? PROTOCOL_VERSION;
  out[2] = init.channel;
  out[3] = init.flags;
  writeU16(out, 4, init.seq);
  writeU16(out, 6, init.ack);
  writeU16(out, 8, payload.length);
  out[10] = init.credit;
  out[11] = init.epoch;
  writeU32(out, HEADER_FIELDS_SIZE, crc32c(out.subarray(0, HEADER_FIELDS_SIZE)));
  if (payload.length > 0) {
    out.set(payload, HEADER_SIZE);
    const end = HEADER_SIZE + payload.length;
    writeU32(out, end, crc32c(out.subarray(0, end)));
  }
  return out;
}

function checkRange(name: string, v: number, max: number): void {
  if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`${name} ${v} is not an integer in 0..${max}`);
}

/**
 * Decodes and checks a header from the first 16 bytes. This is what the CPU does mid-transaction to
 * learn how many more bytes to clock, so it validates everything the length depends on.
 */
export function decodeHeader(bytes: Uint8Array): Result<FrameHeader> {
  if (bytes.length < HEADER_SIZE) return fail('truncated', bytes.length, `header needs ${HEADER_SIZE} bytes, have ${bytes.length}`);
  if (bytes[0] !== SYNC) return fail('bad-sync', 0, `sync byte 0x${hex2(bytes[0])}, expected 0x${hex2(SYNC)}`);
  const want = readU32(bytes, HEADER_FIELDS_SIZE);
  const got = crc32c(bytes.subarray(0, HEADER_FIELDS_SIZE));
  if (want !== got) return fail('header-crc', HEADER_FIELDS_SIZE, `header CRC 0x${hex8(want)}, computed 0x${hex8(got)}`);
  if (bytes[1] !== PROTOCOL_VERSION) return fail('bad-version', 1, `protocol version ${bytes[1]}, this decoder speaks ${PROTOCOL_VERSION}`);
  const length = readU16(bytes, 8);
  if (length > MAX_PAYLOAD) return fail('oversized', 8, `payload length ${length} exceeds ${MAX_PAYLOAD}`);
  if (bytes[3] & FLAGS_RESERVED_MASK) return fail('reserved-flags', 3, `reserved flag bits 0x${hex2(bytes[3] & FLAGS_RESERVED_MASK)} set`);
  return ok({
    version: bytes[1],
    channel: bytes[2],
    flags: bytes[3],
    seq: readU16(bytes, 4),
    ack: readU16(bytes, 6),
    length,
    credit: bytes[10],
    epoch: bytes[11],
  });
}

/** Decodes the frame at the start of `bytes`; bytes after it (transaction padding) are ignored. */
export function decodeFrame(bytes: Uint8Array): Result<Frame> {
  const head = decodeHeader(bytes);
  if (!head.ok) return head;
  const header = head.value;
  const size = frameSize(header.length);
  if (bytes.length < size) return fail('truncated', bytes.length, `frame of ${size} bytes cut at ${bytes.length}`);
  if (header.length === 0) return ok({ header, payload: bytes.subarray(HEADER_SIZE, HEADER_SIZE) });
  const end = HEADER_SIZE + header.length;
  const want = readU32(bytes, end);
  const got = crc32c(bytes.subarray(0, end));
  if (want !== got) return fail('payload-crc', end, `frame CRC 0x${hex8(want)}, computed 0x${hex8(got)}`);
  return ok({ header, payload: bytes.subarray(HEADER_SIZE, end) });
}

export function isIdle(header: FrameHeader): boolean {
  return header.channel === 0 && header.length === 0;
}

function hex2(v: number): string {
  return v.toString(16).padStart(2, '0');
}
function hex8(v: number): string {
  return v.toString(16).padStart(8, '0');
}
