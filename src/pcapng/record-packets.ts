/**
 * Record -> packet. Consumes one BuddyRecord, emits the pcapng packet that holds it losslessly
 * (packet-records.ts is the inverse). Which interface each record goes to:
 *
 *   FrameRecord, channel 2, not a fragment, payload not empty, message absent or equal to the
 *     payload, nothing decoded        -> buddy-eth  (the Ethernet frame itself)
 *   FrameRecord, channel 4, same rule -> buddy-ble  (4-byte big-endian direction + H4 bytes)
 *   any other FrameRecord             -> buddy-link (exported-PDU TLVs + the frame re-encoded as on the wire)
 *   TxnRecord, LineRecord             -> buddy-spi  (USER0: layout.ts SPI header + MOSI + MISO)
 *   AnomalyRecord                     -> buddy-events (TLVs + event body) with a readable opt_comment
 *
 * Every packet with a direction has it in epb_flags (CPU->buddy outbound, buddy->CPU inbound);
 * epb_packetid is the transaction index where the record has one. Frame fields the bytes do not
 * hold ride in a custom option (2989, PEN 32473, layout.ts "frame meta").
 *
 * Example: recordToPacket(frameRecord, BUDDY_INTERFACE_IDS) // { interfaceId: 0, timestamp: 1200, data, flags: 1, packetId: 3, custom }
 */
import { Channel, Flag } from '../protocol/constants.ts';
import { encodeFrame } from '../protocol/frame.ts';
import type { AnomalyRecord, BuddyRecord, Direction, FrameRecord } from '../records/types.ts';
import { DIR_INBOUND, DIR_OUTBOUND, type PcapngPacket } from './blocks.ts';
import { BUDDY_INTERFACES, BUDDY_PEN, DISSECTOR_EVENT, DISSECTOR_LINK, upperPduHeaders, type InterfaceKey } from './interfaces.ts';
import { encodeEventBody, encodeFrameMeta, encodeLineHeader, encodeTxnHeader, startTimestamp, type FrameMeta } from './layout.ts';

export type InterfaceIds = Readonly<Record<InterfaceKey, number>>;

/** The ids interfaces get when written up front in BUDDY_INTERFACES order (what the sink does). */
export const BUDDY_INTERFACE_IDS: InterfaceIds = Object.fromEntries(BUDDY_INTERFACES.map((i, n) => [i.key, n])) as Record<InterfaceKey, number>;

export const LINK_HEADERS = upperPduHeaders(DISSECTOR_LINK);
const EVENT_HEADERS = upperPduHeaders(DISSECTOR_EVENT);
export const BLE_PHDR: readonly Uint8Array[] = [Uint8Array.of(0, 0, 0, 0), Uint8Array.of(0, 0, 0, 1)];

export function dirFlags(dir: Direction): number {
  return dir === 'cpu-to-buddy' ? DIR_OUTBOUND : DIR_INBOUND;
}
/** P2P direction: 0 sent by the CPU, 1 received by it. */
export function dirIndex(dir: Direction): 0 | 1 {
  return dir === 'cpu-to-buddy' ? 0 : 1;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Where a frame goes: its own link type when the packet bytes are a whole Ethernet frame / HCI packet. */
export function frameInterface(r: FrameRecord): 'eth' | 'ble' | 'link' {
  if (r.channel !== Channel.ethernet && r.channel !== Channel.bleHci) return 'link';
  const whole = (r.flags & Flag.more) === 0 && r.payload.length > 0 && r.decoded === undefined
    && (r.message === undefined || sameBytes(r.message, r.payload));
  if (!whole) return 'link';
  return r.channel === Channel.ethernet ? 'eth' : 'ble';
}

export function recordToPacket(r: BuddyRecord, ids: InterfaceIds = BUDDY_INTERFACE_IDS): PcapngPacket {
  // The timestamp is for display; startNs and endNs travel exactly in each layout (see layout.ts).
  const ts = startTimestamp(r.startNs);
  switch (r.kind) {
    case 'frame':
      return framePacket(r, ids, ts);
    case 'txn': {
      const head = encodeTxnHeader(r.startNs, r.endNs, r, r.mosi.length, r.miso.length);
      return { interfaceId: ids.spi, timestamp: ts, data: [head, r.mosi, r.miso], packetId: r.txn };
    }
    case 'line':
      return { interfaceId: ids.spi, timestamp: ts, data: encodeLineHeader(r.startNs, r.endNs, r.line, r.level) };
    case 'anomaly':
      return anomalyPacket(r, ids, ts);
  }
}

/** The FrameRecord fields the packet bytes of interface `key` do not hold. */
export function frameMetaOf(r: FrameRecord, key: 'eth' | 'ble' | 'link'): FrameMeta {
  return {
    startNs: r.startNs,
    endNs: r.endNs,
    fragments: r.fragments,
    message: r.message,
    messageIsPayload: r.message !== undefined && sameBytes(r.message, r.payload),
    decoded: r.decoded?.kind,
    // A record is its own header: it has flags, credit, epoch, seq and ack.
    header: key === 'link' ? undefined : r,
  };
}

function framePacket(r: FrameRecord, ids: InterfaceIds, ts: number): PcapngPacket {
  const key = frameInterface(r);
  const meta = encodeFrameMeta(frameMetaOf(r, key));
  let data: Uint8Array | Uint8Array[];
  if (key === 'eth') data = r.payload;
  else if (key === 'ble') data = [BLE_PHDR[dirIndex(r.dir)], r.payload];
  else {
    data = [LINK_HEADERS[dirIndex(r.dir)], wireFrame(r)];
  }
  return { interfaceId: ids[key], timestamp: ts, data, flags: dirFlags(r.dir), packetId: r.txn, custom: [{ pen: BUDDY_PEN, data: meta }] };
}

/**
 * The frame as it was on the wire, via encodeFrame (the CRCs make it identical). An idle side
 * repeats the very same empty frame (same seq, ack, credit) poll after poll, so the last empty
 * frame of each direction is kept and reused: encodeFrame costs two CRC calls.
 */
const lastEmpty: [FrameRecord | null, FrameRecord | null] = [null, null];
const lastEmptyWire: [Uint8Array, Uint8Array] = [new Uint8Array(0), new Uint8Array(0)];
export function wireFrame(r: FrameRecord): Uint8Array {
  if (r.payload.length === 0) {
    const d = dirIndex(r.dir);
    const p = lastEmpty[d];
    if (p && p.channel === r.channel && p.flags === r.flags && p.seq === r.seq && p.ack === r.ack && p.credit === r.credit && p.epoch === r.epoch) {
      return lastEmptyWire[d];
    }
    lastEmpty[d] = r;
    return (lastEmptyWire[d] = encodeFrame(r));
  }
  return encodeFrame(r, r.payload);
}

/** The readable comment on an anomaly packet, e.g. "anomaly payload-crc: frame CRC 0x.., computed 0x.. (txn 12, buddy-to-cpu)". */
export function anomalyComment(r: AnomalyRecord): string {
  const where: string[] = [];
  if (r.txn !== undefined) where.push(`txn ${r.txn}`);
  if (r.dir !== undefined) where.push(r.dir);
  if (r.offset !== undefined) where.push(`byte ${r.offset}`);
  if (r.count !== undefined) where.push(`count ${r.count}`);
  return `anomaly ${r.code}: ${r.detail}${where.length ? ` (${where.join(', ')})` : ''}`;
}

function anomalyPacket(r: AnomalyRecord, ids: InterfaceIds, ts: number): PcapngPacket {
  const body = encodeEventBody({ code: r.code, detail: r.detail, startNs: r.startNs, endNs: r.endNs, dir: r.dir, offset: r.offset, count: r.count });
  const head = EVENT_HEADERS[r.dir === undefined ? 2 : dirIndex(r.dir)];
  const p: { -readonly [K in keyof PcapngPacket]: PcapngPacket[K] } = {
    interfaceId: ids.events, timestamp: ts, data: [head, body], comments: [anomalyComment(r)],
  };
  if (r.dir !== undefined) p.flags = dirFlags(r.dir);
  if (r.txn !== undefined) p.packetId = r.txn;
  return p;
}
