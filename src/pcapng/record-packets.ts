/**
 * Record -> packet. Consumes one BuddyRecord, emits the pcapng packet that holds it losslessly
 * (packet-records.ts is the inverse). Which interface each record goes to:
 *
 *   a link protocol's frame or record -> what its PcapngMapping plans (src/link/<protocol>/pcapng.ts):
 *     eth (a whole Ethernet frame), ble (4-byte big-endian direction + H4 bytes) or link
 *     (exported-PDU TLVs naming the protocol's dissector + the bytes it gives), with its meta in a
 *     custom option (2989, PEN 32473)
 *   TxnRecord, LineRecord             -> buddy-spi  (USER0: layout.ts SPI header + MOSI + MISO)
 *   AnomalyRecord                     -> buddy-events (TLVs + event body) with a readable opt_comment
 *
 * Every packet with a direction has it in epb_flags (CPU->buddy outbound, buddy->CPU inbound);
 * epb_packetid is the transaction index where the record has one.
 *
 * Example: recordToPacket(frameRecord, BUDDY_INTERFACE_IDS) // { interfaceId: 0, timestamp: 1200, data, flags: 1, packetId: 3, custom }
 */
import { PCAPNG_MAPPINGS } from '../link/registry.ts';
import type { PacketPlan, PcapngMapping } from '../link/protocol.ts';
import type { AnomalyRecord, BuddyRecord, Direction, FrameRecord, LinkRecord } from '../records/types.ts';
import { DIR_INBOUND, DIR_OUTBOUND, type PcapngPacket } from './blocks.ts';
import { ByteBuffer } from './bytes.ts';
import { BUDDY_INTERFACES, BUDDY_PEN, DISSECTOR_EVENT, upperPduHeaders, type InterfaceKey } from './interfaces.ts';
import { encodeEventBody, encodeLineHeader, encodeTxnHeader, startTimestamp } from './layout.ts';

export type InterfaceIds = Readonly<Record<InterfaceKey, number>>;

/** The ids interfaces get when written up front in BUDDY_INTERFACES order (what the sink does). */
export const BUDDY_INTERFACE_IDS: InterfaceIds = Object.fromEntries(BUDDY_INTERFACES.map((i, n) => [i.key, n])) as Record<InterfaceKey, number>;

const EVENT_HEADERS = upperPduHeaders(DISSECTOR_EVENT);
export const BLE_PHDR: readonly Uint8Array[] = [Uint8Array.of(0, 0, 0, 0), Uint8Array.of(0, 0, 0, 1)];

export function dirFlags(dir: Direction): number {
  return dir === 'cpu-to-buddy' ? DIR_OUTBOUND : DIR_INBOUND;
}
/** P2P direction: 0 sent by the CPU, 1 received by it. */
export function dirIndex(dir: Direction): 0 | 1 {
  return dir === 'cpu-to-buddy' ? 0 : 1;
}

/** The mapping that writes a link record (the buddy link's FrameRecords, another protocol's LinkRecords). */
export function mappingOf(r: FrameRecord | LinkRecord): PcapngMapping {
  const m = PCAPNG_MAPPINGS.find((x) => x.owns(r));
  if (!m) throw new TypeError(`no pcapng mapping for ${r.kind === 'link' ? `protocol ${r.protocol}` : 'the buddy link'}`);
  return m;
}

/** Exported-PDU headers per mapping (its dissector and column), built once. */
const pduHeaders = new Map<PcapngMapping, readonly [Uint8Array, Uint8Array, Uint8Array]>();
export function linkHeaders(m: PcapngMapping): readonly [Uint8Array, Uint8Array, Uint8Array] {
  let h = pduHeaders.get(m);
  if (!h) pduHeaders.set(m, (h = upperPduHeaders(m.dissector, m.column)));
  return h;
}

/** Where a record's plan puts its bytes: the layer's own prefix, if any, then the plan's body. */
export function planHead(m: PcapngMapping, plan: PacketPlan, dir: Direction): Uint8Array | null {
  if (plan.iface === 'ble') return BLE_PHDR[dirIndex(dir)];
  if (plan.iface === 'link') return linkHeaders(m)[dirIndex(dir)];
  return null;
}

/** The packet a record becomes; null for one the file does not hold (see PcapngMapping.plan). */
export function recordToPacket(r: BuddyRecord, ids: InterfaceIds = BUDDY_INTERFACE_IDS): PcapngPacket | null {
  // The timestamp is for display; startNs and endNs travel exactly in each layout (see layout.ts).
  const ts = startTimestamp(r.startNs);
  switch (r.kind) {
    case 'frame':
    case 'link':
      return linkPacket(r, ids, ts);
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

function linkPacket(r: FrameRecord | LinkRecord, ids: InterfaceIds, ts: number): PcapngPacket | null {
  const m = mappingOf(r);
  const plan = m.plan(r);
  if (!plan) return null;
  const meta = new ByteBuffer(plan.metaLength);
  plan.writeMeta(meta);
  const head = planHead(m, plan, r.dir);
  return {
    interfaceId: ids[plan.iface], timestamp: ts, data: head ? [head, plan.body] : plan.body, flags: dirFlags(r.dir), packetId: r.txn,
    custom: [{ pen: BUDDY_PEN, data: new Uint8Array(meta.view()) }],
  };
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
