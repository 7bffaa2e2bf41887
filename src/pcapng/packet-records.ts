/**
 * Packet -> record: the inverse of record-packets.ts. Consumes one EPB read from one of buddyshark's
 * interfaces (identified by `interfaceKeyOf`), emits the BuddyRecord it holds, field for field, or
 * a reason when the bytes do not fit (the source turns that into a `source-error` anomaly). A link
 * protocol's packets are read back by its own mapping (src/link/<protocol>/pcapng.ts), which
 * decodes messages again from their bytes rather than storing them twice.
 *
 * Example: packetToRecord('eth', epb) // { ok: true, record: { kind: 'frame', channel: 2, ... } }
 */
import { PCAPNG_MAPPINGS } from '../link/registry.ts';
import type { BuddyRecord, Direction } from '../records/types.ts';
import { DIR_INBOUND, DIR_OUTBOUND } from './blocks.ts';
import { BUDDY_PEN, DISSECTOR_EVENT, parseUpperPdu, type InterfaceKey } from './interfaces.ts';
import { decodeEventBody, decodeSpiPacket } from './layout.ts';
import { timestampToNs, type EpbBlock } from './reader.ts';

export type PacketResult = { readonly ok: true; readonly record: BuddyRecord } | { readonly ok: false; readonly reason: string };

const bad = (reason: string): PacketResult => ({ ok: false, reason });

/** The EPB timestamp in ns (if_tsoffset not applied). Display only: records carry their exact startNs. */
export function packetStartNs(epb: EpbBlock): number {
  return Number(timestampToNs(epb.timestamp, epb.iface.tsresol));
}

function direction(epb: EpbBlock): Direction | undefined {
  const d = (epb.flags ?? 0) & 3;
  return d === DIR_OUTBOUND ? 'cpu-to-buddy' : d === DIR_INBOUND ? 'buddy-to-cpu' : undefined;
}

function txnOf(epb: EpbBlock): number | undefined {
  return epb.packetId === undefined ? undefined : Number(epb.packetId);
}

/** The meta a link protocol stored in the packet's custom option (PEN 32473), if any. */
function linkMeta(epb: EpbBlock): Uint8Array | null {
  for (const c of epb.custom) if (c.pen === BUDDY_PEN) return c.data;
  return null;
}

/** `views`: raw SPI bytes point into the block instead of being copied (see decodeSpiPacket). */
export function packetToRecord(key: InterfaceKey, epb: EpbBlock, views = false): PacketResult {
  switch (key) {
    case 'eth':
    case 'ble':
    case 'link':
      return linkPacket(key, epb);
    case 'spi':
      return spiPacket(epb, views);
    case 'events':
      return eventPacket(epb);
  }
}

/**
 * A link protocol's packet, read back by its mapping: on buddy-link the exported PDU names it (the
 * dissector tag), on buddy-eth and buddy-ble the meta option does (its first bytes).
 */
function linkPacket(key: 'eth' | 'ble' | 'link', epb: EpbBlock): PacketResult {
  const meta = linkMeta(epb);
  let body: Uint8Array = epb.data;
  let mapping;
  if (key === 'link') {
    const pdu = parseUpperPdu(epb.data);
    mapping = pdu ? PCAPNG_MAPPINGS.find((m) => m.dissector === pdu.dissector) : undefined;
    if (!pdu || !mapping) return bad(`buddy-link packet without the exported-PDU header of a known link protocol (${PCAPNG_MAPPINGS.map((m) => `"${m.dissector}"`).join(', ')})`);
    body = epb.data.subarray(pdu.body);
  } else {
    mapping = meta ? PCAPNG_MAPPINGS.find((m) => m.ownsMeta(meta)) : undefined;
    if (!mapping) return bad('frame packet without a readable buddyshark meta option');
    if (key === 'ble') {
      if (epb.data.length < 4) return bad('buddy-ble packet shorter than its 4-byte direction header');
      body = epb.data.subarray(4);
    }
  }
  const dir = direction(epb);
  const txn = txnOf(epb);
  const r = mapping.read(key, body, meta, { ...(dir ? { dir } : {}), ...(txn !== undefined ? { txn } : {}) });
  return typeof r === 'string' ? bad(r) : { ok: true, record: r };
}

function spiPacket(epb: EpbBlock, views: boolean): PacketResult {
  const p = decodeSpiPacket(epb.data, views);
  if (typeof p === 'string') return bad(p);
  const startNs = p.startNs;
  if (p.kind === 'line') return { ok: true, record: { kind: 'line', startNs, endNs: p.endNs, line: p.line, level: p.level } };
  const txn = txnOf(epb);
  if (txn === undefined) return bad('transaction packet without epb_packetid (transaction index)');
  return {
    ok: true,
    record: { kind: 'txn', startNs, endNs: p.endNs, txn, mosi: p.mosi, miso: p.miso, ...(p.partialBits !== undefined ? { partialBits: p.partialBits } : {}), ...(p.wordBits !== undefined ? { wordBits: p.wordBits } : {}) },
  };
}

function eventPacket(epb: EpbBlock): PacketResult {
  const pdu = parseUpperPdu(epb.data);
  if (!pdu || pdu.dissector !== DISSECTOR_EVENT) return bad('buddy-events packet without a "buddyevent" exported-PDU header');
  const e = decodeEventBody(epb.data.subarray(pdu.body));
  if (typeof e === 'string') return bad(e);
  const txn = txnOf(epb);
  return {
    ok: true,
    record: {
      kind: 'anomaly',
      startNs: e.startNs,
      endNs: e.endNs,
      code: e.code,
      detail: e.detail,
      ...(txn !== undefined ? { txn } : {}),
      ...(e.dir !== undefined ? { dir: e.dir } : {}),
      ...(e.offset !== undefined ? { offset: e.offset } : {}),
      ...(e.count !== undefined ? { count: e.count } : {}),
    },
  };
}
