/**
 * Packet -> record: the inverse of record-packets.ts. Consumes one EPB read from one of buddyshark's
 * interfaces (identified by `interfaceKeyOf`), emits the BuddyRecord it holds, field for field, or
 * a reason when the bytes do not fit (the source turns that into a `source-error` anomaly).
 * `decoded` is not stored: it is recomputed from the message with decodeControl / decodeTrace when
 * the writer flagged that the record had one.
 *
 * Example: packetToRecord('eth', epb) // { ok: true, record: { kind: 'frame', channel: 2, ... } }
 */
import { Channel } from '../protocol/constants.ts';
import { decodeControl } from '../protocol/control.ts';
import { decodeFrame } from '../protocol/frame.ts';
import { decodeTrace } from '../protocol/trace.ts';
import type { BuddyRecord, DecodedPayload, Direction, FrameRecord } from '../records/types.ts';
import { DIR_INBOUND, DIR_OUTBOUND } from './blocks.ts';
import { BUDDY_PEN, DISSECTOR_EVENT, DISSECTOR_LINK, parseUpperPdu, type InterfaceKey } from './interfaces.ts';
import { decodeEventBody, decodeFrameMeta, decodeSpiPacket, type FrameMeta } from './layout.ts';
import { timestampToNs, type EpbBlock } from './reader.ts';

export type PacketResult = { readonly ok: true; readonly record: BuddyRecord } | { readonly ok: false; readonly reason: string };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

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

function frameMeta(epb: EpbBlock): FrameMeta | null {
  for (const c of epb.custom) if (c.pen === BUDDY_PEN) return decodeFrameMeta(c.data);
  return null;
}

/** `views`: raw SPI bytes point into the block instead of being copied (see decodeSpiPacket). */
export function packetToRecord(key: InterfaceKey, epb: EpbBlock, views = false): PacketResult {
  switch (key) {
    case 'eth':
    case 'ble':
    case 'link':
      return framePacket(key, epb);
    case 'spi':
      return spiPacket(epb, views);
    case 'events':
      return eventPacket(epb);
  }
}

function framePacket(key: 'eth' | 'ble' | 'link', epb: EpbBlock): PacketResult {
  const meta = frameMeta(epb);
  if (!meta) return bad('frame packet without a readable buddyshark meta option');
  const dir = direction(epb);
  if (!dir) return bad('frame packet without a direction in epb_flags');
  const txn = txnOf(epb);
  if (txn === undefined) return bad('frame packet without epb_packetid (transaction index)');
  let channel: number;
  let payload: Uint8Array;
  let f: { flags: number; credit: number; epoch: number; seq: number; ack: number };
  if (key === 'link') {
    const pdu = parseUpperPdu(epb.data);
    if (!pdu || pdu.dissector !== DISSECTOR_LINK) return bad('buddy-link packet without a "buddylink" exported-PDU header');
    const frame = decodeFrame(epb.data.subarray(pdu.body));
    if (!frame.ok) return bad(`buddy-link frame does not decode: ${frame.error.detail}`);
    const h = frame.value.header;
    channel = h.channel;
    payload = new Uint8Array(frame.value.payload);
    f = h;
  } else {
    if (!meta.header) return bad(`buddy-${key} packet meta lacks the frame header fields`);
    channel = key === 'eth' ? Channel.ethernet : Channel.bleHci;
    if (key === 'ble' && epb.data.length < 4) return bad('buddy-ble packet shorter than its 4-byte direction header');
    payload = new Uint8Array(key === 'ble' ? epb.data.subarray(4) : epb.data);
    f = meta.header;
  }
  const r: Mutable<FrameRecord> = {
    kind: 'frame',
    startNs: meta.startNs,
    endNs: meta.endNs,
    txn, dir, channel,
    flags: f.flags, seq: f.seq, ack: f.ack, credit: f.credit, epoch: f.epoch,
    payload,
  };
  if (meta.fragments !== undefined) r.fragments = meta.fragments;
  const message = meta.messageIsPayload ? payload : meta.message;
  if (message !== undefined) r.message = message;
  if (meta.decoded && message) {
    const d = redecode(meta.decoded, message);
    if (d) r.decoded = d;
  }
  return { ok: true, record: r };
}

function redecode(kind: 'control' | 'trace', message: Uint8Array): DecodedPayload | undefined {
  if (kind === 'control') {
    const d = decodeControl(message);
    return d.ok ? { kind: 'control', msg: d.value } : undefined;
  }
  const d = decodeTrace(message);
  return d.ok ? { kind: 'trace', event: d.value } : undefined;
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
