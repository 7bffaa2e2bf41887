/**
 * Bridge packets (docs/bridge.md is the normative description): what a sniffer bridge sends per
 * SPI transaction, per side-band line edge, per loss, plus a hello and a keepalive.
 *
 * Layout of every packet before stuffing: type u8 | body | CRC-32C u32 over type and body. All
 * integers little-endian; ticks are u64 counts of the bridge's clock (`clockHz` in its HELLO).
 *
 * `encodePacketBody(p)` -> type + body + CRC (unstuffed); `parsePacket(bytes)` -> the packet or a
 * reason it is not one (short, bad CRC, unknown type, wrong length). framing.ts adds COBS + 0x00.
 *
 * Example: { type: 'line', ticks: 1500, line: 'irq', level: 1 } -> 03 | dc05000000000000 | 01 | 01 | crc
 */
import { crc32c } from '../protocol/crc.ts';
import type { LineName } from '../records/types.ts';

export const BRIDGE_FORMAT_VERSION = 1;

export const PacketType = { hello: 0x01, txn: 0x02, line: 0x03, drop: 0x04, time: 0x05 } as const;

/** HELLO capability bits: what this bridge reports, so a reader can say what it cannot see. */
export const Capability = {
  /** READY, IRQ and RESET edges are sent as LINE packets. */
  lines: 1 << 0,
  /** A CS pulse with no clock is sent as a TXN with zero bytes. */
  csGlitch: 1 << 1,
  /** MISO is sampled (else MISO bytes are sent as 0xFF). */
  miso: 1 << 2,
  /** CS edges are sent as LINE packets too. */
  csLine: 1 << 3,
  /** TIME keepalives are sent when the bus is idle. */
  keepalive: 1 << 4,
  /** A bridge that overflows sends DROP packets (rather than losing events silently). */
  dropReports: 1 << 5,
} as const;

export const TxnFlag = {
  /** CS rose mid-byte: `partialBits` bits of a last word were clocked (not in the byte count). */
  partial: 1 << 0,
  /** The bridge's buffer filled: bytes past `count` were clocked but not kept. */
  overflow: 1 << 1,
} as const;

/** LINE packet line ids. */
export const LINE_IDS: readonly LineName[] = ['ready', 'irq', 'reset', 'cs'];

export const MAX_NAME_BYTES = 64;
export const MAX_TXN_BYTES = 0xffff;

export interface HelloPacket {
  readonly type: 'hello';
  readonly version: number;
  readonly capabilities: number;
  readonly clockHz: number;
  /** Random per bridge boot: the same id after a reconnect means the clock kept counting. */
  readonly bootId: number;
  /** The tick that is time 0 of this capture. */
  readonly originTicks: number;
  /** The bridge's tick counter when it sent this hello. */
  readonly nowTicks: number;
  readonly name: string;
}

export interface TxnPacket {
  readonly type: 'txn';
  /** The bridge's transaction counter (from 0 at boot, wraps at 2^32). */
  readonly seq: number;
  readonly startTicks: number;
  readonly endTicks: number;
  readonly flags: number;
  readonly partialBits: number;
  readonly mosi: Uint8Array;
  readonly miso: Uint8Array;
}

export interface LinePacket {
  readonly type: 'line';
  readonly ticks: number;
  readonly line: LineName;
  readonly level: 0 | 1;
}

export interface DropPacket {
  readonly type: 'drop';
  readonly startTicks: number;
  readonly endTicks: number;
  /** Events (transactions, edges) the bridge could not send. */
  readonly count: number;
}

export interface TimePacket {
  readonly type: 'time';
  readonly ticks: number;
}

export type BridgePacket = HelloPacket | TxnPacket | LinePacket | DropPacket | TimePacket;

const TXN_FIXED = 1 + 4 + 8 + 8 + 1 + 1 + 2;
/** type, version, reserved, capabilities, clock, boot id, origin, now, name length. */
const HELLO_FIXED = 1 + 1 + 1 + 2 + 4 + 4 + 8 + 8 + 1;
const CRC_BYTES = 4;
const U32 = 0x1_0000_0000;

/** Largest unstuffed packet: a TXN with the most bytes both ways. */
export const MAX_PACKET_BYTES = TXN_FIXED + 2 * MAX_TXN_BYTES + CRC_BYTES;

function putU64(v: DataView, at: number, x: number): void {
  v.setUint32(at, x % U32, true);
  v.setUint32(at + 4, Math.floor(x / U32), true);
}

function getU64(v: DataView, at: number): number {
  return v.getUint32(at, true) + v.getUint32(at + 4, true) * U32;
}

function checkTicks(what: string, x: number): void {
  if (!Number.isSafeInteger(x) || x < 0) throw new RangeError(`bridge packet: ${what} must be a non-negative safe integer (got ${x})`);
}

/** Size of the unstuffed packet (type, body, CRC). */
export function packetSize(p: BridgePacket): number {
  switch (p.type) {
    case 'hello': return HELLO_FIXED + Math.min(Buffer.byteLength(p.name), MAX_NAME_BYTES) + CRC_BYTES;
    case 'txn': return TXN_FIXED + p.mosi.length + p.miso.length + CRC_BYTES;
    case 'line': return 1 + 8 + 1 + 1 + CRC_BYTES;
    case 'drop': return 1 + 8 + 8 + 4 + CRC_BYTES;
    case 'time': return 1 + 8 + CRC_BYTES;
  }
}

/** Writes the unstuffed packet into `dst` (exactly packetSize(p) bytes from 0). */
export function encodePacketInto(p: BridgePacket, dst: Uint8Array): number {
  const v = new DataView(dst.buffer, dst.byteOffset, dst.byteLength);
  let at = 1;
  switch (p.type) {
    case 'hello': {
      dst[0] = PacketType.hello;
      checkTicks('originTicks', p.originTicks);
      checkTicks('nowTicks', p.nowTicks);
      const name = Buffer.from(p.name).subarray(0, MAX_NAME_BYTES);
      dst[at++] = p.version;
      dst[at++] = 0; // reserved
      v.setUint16(at, p.capabilities, true);
      v.setUint32(at + 2, p.clockHz, true);
      v.setUint32(at + 6, p.bootId >>> 0, true);
      putU64(v, at + 10, p.originTicks);
      putU64(v, at + 18, p.nowTicks);
      dst[at + 26] = name.length;
      dst.set(name, at + 27);
      at += 27 + name.length;
      break;
    }
    case 'txn': {
      if (p.mosi.length !== p.miso.length) throw new RangeError(`bridge packet: MOSI and MISO lengths differ (${p.mosi.length} vs ${p.miso.length})`);
      if (p.mosi.length > MAX_TXN_BYTES) throw new RangeError(`bridge packet: ${p.mosi.length} bytes exceed the ${MAX_TXN_BYTES}-byte TXN limit`);
      checkTicks('startTicks', p.startTicks);
      checkTicks('endTicks', p.endTicks);
      dst[0] = PacketType.txn;
      v.setUint32(at, p.seq >>> 0, true);
      putU64(v, at + 4, p.startTicks);
      putU64(v, at + 12, p.endTicks);
      dst[at + 20] = p.flags;
      dst[at + 21] = p.partialBits;
      v.setUint16(at + 22, p.mosi.length, true);
      at += 24;
      dst.set(p.mosi, at);
      dst.set(p.miso, at + p.mosi.length);
      at += 2 * p.mosi.length;
      break;
    }
    case 'line':
      checkTicks('ticks', p.ticks);
      dst[0] = PacketType.line;
      putU64(v, at, p.ticks);
      dst[at + 8] = LINE_IDS.indexOf(p.line);
      dst[at + 9] = p.level;
      at += 10;
      break;
    case 'drop':
      checkTicks('startTicks', p.startTicks);
      checkTicks('endTicks', p.endTicks);
      dst[0] = PacketType.drop;
      putU64(v, at, p.startTicks);
      putU64(v, at + 8, p.endTicks);
      v.setUint32(at + 16, Math.min(p.count, U32 - 1), true);
      at += 20;
      break;
    case 'time':
      checkTicks('ticks', p.ticks);
      dst[0] = PacketType.time;
      putU64(v, at, p.ticks);
      at += 8;
      break;
  }
  v.setUint32(at, crc32c(dst.subarray(0, at)), true);
  return at + CRC_BYTES;
}

/** `badCrc`: the frame had a packet's shape but its CRC-32C failed (damaged in transit, not noise). */
export type ParseResult = { ok: true; packet: BridgePacket } | { ok: false; reason: string; badCrc?: true };

function bad(reason: string): ParseResult {
  return { ok: false, reason };
}

/** Checks the CRC and decodes one unstuffed packet. */
export function parsePacket(b: Uint8Array): ParseResult {
  if (b.length < 1 + CRC_BYTES) return bad(`${b.length}-byte packet is too short`);
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const end = b.length - CRC_BYTES;
  const want = v.getUint32(end, true);
  const got = crc32c(b.subarray(0, end));
  if (want !== got) return { ok: false, badCrc: true, reason: `CRC 0x${want.toString(16).padStart(8, '0')}, computed 0x${got.toString(16).padStart(8, '0')}` };
  const n = end - 1;
  switch (b[0]) {
    case PacketType.hello: {
      if (n < HELLO_FIXED - 1) return bad(`HELLO body of ${n} bytes, need ${HELLO_FIXED - 1}`);
      const nameLen = b[29];
      if (n !== HELLO_FIXED - 1 + nameLen) return bad(`HELLO body of ${n} bytes, name length says ${HELLO_FIXED - 1 + nameLen}`);
      const clockHz = v.getUint32(5, true);
      if (clockHz === 0) return bad('HELLO with a 0 Hz clock');
      return {
        ok: true,
        packet: {
          type: 'hello', version: b[1], capabilities: v.getUint16(3, true), clockHz, bootId: v.getUint32(9, true),
          originTicks: getU64(v, 13), nowTicks: getU64(v, 21), name: Buffer.from(b.subarray(30, 30 + nameLen)).toString('utf8'),
        },
      };
    }
    case PacketType.txn: {
      if (n < TXN_FIXED - 1) return bad(`TXN body of ${n} bytes, need ${TXN_FIXED - 1}`);
      const count = v.getUint16(23, true);
      if (n !== TXN_FIXED - 1 + 2 * count) return bad(`TXN body of ${n} bytes, byte count ${count} says ${TXN_FIXED - 1 + 2 * count}`);
      const at = TXN_FIXED;
      return {
        ok: true,
        packet: {
          type: 'txn', seq: v.getUint32(1, true), startTicks: getU64(v, 5), endTicks: getU64(v, 13), flags: b[21], partialBits: b[22],
          mosi: b.slice(at, at + count), miso: b.slice(at + count, at + 2 * count),
        },
      };
    }
    case PacketType.line: {
      if (n !== 10) return bad(`LINE body of ${n} bytes, need 10`);
      const line = LINE_IDS[b[9]];
      if (line === undefined) return bad(`LINE with unknown line id ${b[9]}`);
      if (b[10] > 1) return bad(`LINE with level ${b[10]}`);
      return { ok: true, packet: { type: 'line', ticks: getU64(v, 1), line, level: b[10] as 0 | 1 } };
    }
    case PacketType.drop:
      if (n !== 20) return bad(`DROP body of ${n} bytes, need 20`);
      return { ok: true, packet: { type: 'drop', startTicks: getU64(v, 1), endTicks: getU64(v, 9), count: v.getUint32(17, true) } };
    case PacketType.time:
      if (n !== 8) return bad(`TIME body of ${n} bytes, need 8`);
      return { ok: true, packet: { type: 'time', ticks: getU64(v, 1) } };
    default:
      return bad(`unknown packet type 0x${b[0].toString(16).padStart(2, '0')}`);
  }
}
