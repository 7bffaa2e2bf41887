/**
 * esp-hosted's records in pcapng, and the way back (docs/esp-hosted.md, "In pcapng"):
 *
 *   a whole Ethernet frame (a frame or a reassembled message on STA/AP) -> eth (the frame itself)
 *   a whole HCI packet                                                  -> ble (H4: type byte first)
 *   any other frame or message  -> link: the exported PDU of pdu.ts (variant prefix, then the wire
 *                                  frame or the message), for wireshark/esp-hosted.lua
 *   idle directions             -> not written (a len = 0 header says nothing a reader needs)
 *
 * Meta, in the custom option (little endian):
 *   0 u8 0x45 ('E': esp-hosted, version 1) | 1 u8 layer (0 frame, 1 message) | 2 u8 variant (pdu.ts
 *   order) | 3 u8 bits: 0x01 request link, 0x02 it is a reply, 0x04 requestTxn, bits 4-5 checksum
 *   state (0 ok, 1 bad, 2 unused), 0x40 fragment (a frame whose content comes in its message)
 *   4 f64 startNs | 12 f64 endNs | 20 u32 reqNo | 24 u32 requestTxn | 28 f64 firstNs (messages)
 *   36 u16 H | H bytes: frames on eth/ble, the wire bytes before the payload (header and any gap)
 *   messages: u8 ifType | u8 pktType | u8 packetType | u8 0 | u16 N | N x u32 fragment transactions
 * The wire form and the meta give every field back; the content is decoded again on reading.
 */
import type { BuddyRecord, LinkRecord } from '../../records/types.ts';
import type { ByteSink, PacketEnvelope, PacketInterface, PacketPlan, PcapngMapping } from '../protocol.ts';
import { decodeContent, type ContentKey } from './content.ts';
import { parseDirection } from './header.ts';
import { ESP_HOSTED_DISSECTOR, exportedPdu, FRAGMENT_BIT, PDU_PREFIX } from './pdu.ts';
import type { ChecksumState, EspFrameRecord, EspMessageRecord, RequestLink } from './records.ts';
import { ESP_FAMILY, toLinkRecord } from './stage.ts';
import { espFields } from './views.ts';
import { VARIANT_IDS, VARIANTS, interfaceKind, type VariantId } from './variants.ts';

const META_MAGIC = 0x45;
const META_FIXED = 38;
const Bit = { link: 0x01, reply: 0x02, requestTxn: 0x04, fragment: 0x40 } as const;
const STATES: readonly ChecksumState[] = ['ok', 'bad', 'unused'];

type Writable = EspFrameRecord | EspMessageRecord;

/** Where it goes and its bytes there. */
function placement(e: Writable): { iface: PacketInterface; body: Uint8Array } {
  const c = e.content;
  const whole = c !== undefined && !(e.kind === 'frame' && e.header.checksumState === 'bad');
  if (whole && c.kind === 'ethernet') return { iface: 'eth', body: c.frame };
  if (whole && c.kind === 'hci') return { iface: 'ble', body: c.packet };
  return { iface: 'link', body: exportedPdu(e) };
}

class EspPlan implements PacketPlan {
  constructor(readonly iface: PacketInterface, readonly body: Uint8Array, private readonly e: Writable) {}

  private get head(): Uint8Array {
    const e = this.e;
    return e.kind === 'frame' && this.iface !== 'link' ? e.wire.subarray(0, e.header.offset) : new Uint8Array(0);
  }

  get metaLength(): number {
    const e = this.e;
    return META_FIXED + this.head.length + (e.kind === 'message' ? 6 + 4 * e.txns.length : 0);
  }

  writeMeta(out: ByteSink): void {
    const e = this.e;
    const link = e.link;
    let bits = 0;
    if (link) bits |= Bit.link | (link.role === 'response' ? Bit.reply : 0) | (link.requestTxn !== undefined ? Bit.requestTxn : 0);
    if (e.kind === 'frame') {
      bits |= STATES.indexOf(e.header.checksumState) << 4;
      if (e.content === undefined) bits |= Bit.fragment;
    }
    const head = this.head;
    out.u8(META_MAGIC).u8(e.kind === 'frame' ? 0 : 1).u8(VARIANT_IDS.indexOf(e.variant)).u8(bits).f64(e.startNs).f64(e.endNs)
      .u32(link?.reqNo ?? 0).u32(link?.requestTxn ?? 0).f64(e.kind === 'message' ? e.firstNs : e.startNs).u16(head.length).bytes(head);
    if (e.kind === 'message') {
      out.u8(e.ifType).u8(e.pktType).u8(e.packetType ?? 0).u8(0).u16(e.txns.length);
      for (const t of e.txns) out.u32(t);
    }
  }
}

interface Meta {
  readonly layer: 'frame' | 'message';
  readonly variant: VariantId;
  readonly bits: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly firstNs: number;
  readonly link?: RequestLink;
  readonly head: Uint8Array;
  readonly msg?: { ifType: number; pktType: number; packetType: number; txns: number[] };
}

function readMeta(d: Uint8Array): Meta | string {
  if (d.length < META_FIXED || d[0] !== META_MAGIC) return 'esp-hosted packet without a readable meta option';
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const variant = VARIANT_IDS[d[2]];
  if (variant === undefined || d[1] > 1) return `esp-hosted meta names variant ${d[2]} layer ${d[1]}`;
  const bits = d[3];
  const hl = v.getUint16(36, true);
  if (d.length < META_FIXED + hl) return 'esp-hosted meta cut short';
  const link: RequestLink | undefined = bits & Bit.link
    ? { reqNo: v.getUint32(20, true), role: bits & Bit.reply ? 'response' : 'request', ...(bits & Bit.requestTxn ? { requestTxn: v.getUint32(24, true) } : {}) }
    : undefined;
  const base = {
    layer: d[1] === 0 ? 'frame' as const : 'message' as const, variant, bits,
    startNs: v.getFloat64(4, true), endNs: v.getFloat64(12, true), firstNs: v.getFloat64(28, true),
    head: d.subarray(META_FIXED, META_FIXED + hl), ...(link ? { link } : {}),
  };
  if (base.layer === 'frame') return base;
  const at = META_FIXED + hl;
  if (d.length < at + 6) return 'esp-hosted message meta cut short';
  const n = v.getUint16(at + 4, true);
  if (d.length < at + 6 + 4 * n) return 'esp-hosted message meta cut short';
  const txns = Array.from({ length: n }, (_, k) => v.getUint32(at + 6 + 4 * k, true));
  return { ...base, msg: { ifType: d[at], pktType: d[at + 1], packetType: d[at + 2], txns } };
}

function readFrame(m: Meta, wire: Uint8Array, at: Required<PacketEnvelope>): EspFrameRecord | string {
  const v = VARIANTS[m.variant];
  const p = parseDirection(v, wire);
  if (p.kind !== 'frame') return `esp-hosted frame does not parse: ${p.kind === 'bad' ? p.detail : 'a len = 0 header'}`;
  const header = { ...p.header, checksumState: STATES[(m.bits >> 4) & 3] ?? p.header.checksumState };
  const payload = wire.subarray(p.payloadStart, p.wireLength);
  const key: ContentKey = { iface: header.iface, pktType: header.pktType, ...(header.packetType !== undefined ? { packetType: header.packetType } : {}) };
  const content = m.bits & Bit.fragment || header.checksumState === 'bad' ? undefined : decodeContent(v, key, payload).content;
  return {
    kind: 'frame', protocol: ESP_FAMILY, variant: m.variant, startNs: m.startNs, endNs: m.endNs, txn: at.txn, dir: at.dir,
    header, payload, wire: wire.subarray(0, p.wireLength), ...(content ? { content } : {}), ...(m.link ? { link: m.link } : {}),
  };
}

function readMessage(m: Meta, bytes: Uint8Array, at: Required<PacketEnvelope>): EspMessageRecord | string {
  const msg = m.msg;
  if (!msg) return 'esp-hosted message without its meta';
  const v = VARIANTS[m.variant];
  const iface = interfaceKind(v, msg.ifType) ?? 'unknown';
  const key: ContentKey = { iface, pktType: msg.pktType, ...(v.layout.packetType !== undefined ? { packetType: msg.packetType } : {}) };
  return {
    kind: 'message', protocol: ESP_FAMILY, variant: m.variant, startNs: m.startNs, firstNs: m.firstNs, endNs: m.endNs, txn: at.txn, dir: at.dir,
    ifType: msg.ifType, iface, pktType: msg.pktType, ...(v.layout.packetType !== undefined ? { packetType: msg.packetType } : {}),
    fragments: msg.txns.length, txns: msg.txns, bytes, content: decodeContent(v, key, bytes).content, ...(m.link ? { link: m.link } : {}),
  };
}

function read(iface: PacketInterface, body: Uint8Array, metaBytes: Uint8Array | null, at: PacketEnvelope): LinkRecord | string {
  if (!metaBytes) return 'esp-hosted packet without its meta option';
  const m = readMeta(metaBytes);
  if (typeof m === 'string') return m;
  if (at.dir === undefined || at.txn === undefined) return 'esp-hosted packet without a direction (epb_flags) or transaction (epb_packetid)';
  const where = { dir: at.dir, txn: at.txn };
  let e: EspFrameRecord | EspMessageRecord | string;
  if (iface === 'link') {
    if (body.length < PDU_PREFIX) return 'esp-hosted PDU shorter than its prefix';
    const inner = body.subarray(PDU_PREFIX);
    if (m.layer === 'message') e = readMessage(m, inner.subarray(4), where);
    else e = readFrame({ ...m, bits: (m.bits & ~Bit.fragment) | (body[3] & FRAGMENT_BIT ? Bit.fragment : 0) }, inner, where);
  } else {
    // eth: the frame itself; ble: H4, whose first byte the header carries (hci_pkt_type).
    const payload = iface === 'ble' ? body.subarray(1) : body;
    if (m.layer === 'message') e = readMessage(m, payload, where);
    else {
      const wire = new Uint8Array(m.head.length + payload.length);
      wire.set(m.head);
      wire.set(payload, m.head.length);
      e = readFrame(m, wire, where);
    }
  }
  return typeof e === 'string' ? e : toLinkRecord(e);
}

export const ESP_PCAPNG: PcapngMapping = {
  dissector: ESP_HOSTED_DISSECTOR,
  column: 'ESP-HOSTED',
  owns: (r: BuddyRecord) => espFields(r) !== null,
  plan: (r: BuddyRecord) => {
    const e = espFields(r);
    if (!e || e.kind === 'idle') return null;
    const { iface, body } = placement(e);
    return new EspPlan(iface, body, e);
  },
  ownsMeta: (meta) => meta.length >= 1 && meta[0] === META_MAGIC,
  read,
};
