/**
 * The buddy link's frames in pcapng (docs/pcapng.md): which interface a FrameRecord goes to, its
 * packet bytes, and the "frame meta" that holds what the bytes do not, and the way back.
 *
 *   channel 2, not a fragment, payload not empty, message absent or equal to the payload, nothing
 *     decoded                            -> eth   (the Ethernet frame itself)
 *   channel 4, same rule                 -> ble   (the H4 bytes; the layer adds the direction word)
 *   any other frame                      -> link  (the frame re-encoded as on the wire, for the
 *                                                  "buddylink" Lua dissector)
 *
 * Frame meta (little endian), in a custom option of every frame packet:
 *   0 u8 version 1 | 1 u8 bits (MetaBit) | 2 u16 fragments | 4 f64 startNs | 12 f64 endNs
 *   [20 u8 flags | u8 credit | u8 epoch | u8 0 | u16 seq | u16 ack]   (bit `header`: eth and ble)
 *   [the message, when it is not the payload]                         (bit `message`)
 * Version 1 in the first byte marks it as the buddy link's: other protocols' metas start otherwise.
 */
import { Channel, Flag } from '../../protocol/constants.ts';
import { decodeControl } from '../../protocol/control.ts';
import { decodeFrame, encodeFrame } from '../../protocol/frame.ts';
import { decodeTrace } from '../../protocol/trace.ts';
import type { BuddyRecord, DecodedPayload, FrameRecord } from '../../records/types.ts';
import type { ByteSink, PacketInterface, PacketPlan, PcapngMapping } from '../protocol.ts';
import { sameBytes } from '../../protocol/bytes.ts';

export const META_VERSION = 1;
/** Fixed part of the frame meta: version, bits, fragments, startNs, endNs. */
export const FRAME_META_SIZE = 20;
export const MetaBit = {
  fragments: 0x02,
  message: 0x04,
  /** The message is byte-identical to the payload: not stored twice. */
  messageIsPayload: 0x08,
  decodedControl: 0x10,
  decodedTrace: 0x20,
  /** flags, credit, epoch, seq, ack follow (packets whose data is not the wire frame). */
  header: 0x40,
} as const;

export const BUDDY_DISSECTOR = 'buddylink';

/** Where a frame goes: its own link type when the packet bytes are a whole Ethernet frame / HCI packet. */
export function frameInterface(r: FrameRecord): PacketInterface {
  if (r.channel !== Channel.ethernet && r.channel !== Channel.bleHci) return 'link';
  const whole = (r.flags & Flag.more) === 0 && r.payload.length > 0 && r.decoded === undefined
    && (r.message === undefined || sameBytes(r.message, r.payload));
  if (!whole) return 'link';
  return r.channel === Channel.ethernet ? 'eth' : 'ble';
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
    const d = r.dir === 'cpu-to-buddy' ? 0 : 1;
    const p = lastEmpty[d];
    if (p && p.channel === r.channel && p.flags === r.flags && p.seq === r.seq && p.ack === r.ack && p.credit === r.credit && p.epoch === r.epoch) {
      return lastEmptyWire[d];
    }
    lastEmpty[d] = r;
    return (lastEmptyWire[d] = encodeFrame(r));
  }
  return encodeFrame(r, r.payload);
}

/**
 * One plan, reused: the sink consumes it before asking for the next, and a plan per frame would be
 * garbage on the hot path (a busy capture writes millions of idle frames).
 */
class FramePlan implements PacketPlan {
  iface: PacketInterface = 'link';
  body: Uint8Array = new Uint8Array(0);
  metaLength = FRAME_META_SIZE;
  private r: FrameRecord | null = null;
  private bits = 0;
  private stored: Uint8Array | null = null;

  set(r: FrameRecord): this {
    const iface = frameInterface(r);
    const messageIsPayload = r.message !== undefined && sameBytes(r.message, r.payload);
    this.stored = r.message !== undefined && !messageIsPayload ? r.message : null;
    let bits = 0;
    if (r.fragments !== undefined) bits |= MetaBit.fragments;
    if (messageIsPayload) bits |= MetaBit.message | MetaBit.messageIsPayload;
    else if (this.stored) bits |= MetaBit.message;
    if (r.decoded !== undefined) bits |= r.decoded.kind === 'control' ? MetaBit.decodedControl : MetaBit.decodedTrace;
    // A record is its own header: packets that are not the wire frame carry the header fields.
    if (iface !== 'link') bits |= MetaBit.header;
    const fragments = r.fragments ?? 0;
    if (!Number.isInteger(fragments) || fragments < 0 || fragments > 0xffff) throw new RangeError(`fragments ${fragments} is not in 0..65535`);
    this.r = r;
    this.bits = bits;
    this.iface = iface;
    this.body = iface === 'link' ? wireFrame(r) : r.payload;
    this.metaLength = FRAME_META_SIZE + (iface === 'link' ? 0 : 8) + (this.stored ? this.stored.length : 0);
    return this;
  }

  writeMeta(out: ByteSink): void {
    const r = this.r as FrameRecord;
    out.u8(META_VERSION).u8(this.bits).u16(r.fragments ?? 0).f64(r.startNs).f64(r.endNs);
    if (this.iface !== 'link') out.u8(r.flags).u8(r.credit).u8(r.epoch).u8(0).u16(r.seq).u16(r.ack);
    if (this.stored) out.bytes(this.stored);
  }
}

const plan = new FramePlan();

/** The frame meta, read back. */
interface FrameMeta {
  readonly startNs: number;
  readonly endNs: number;
  readonly fragments?: number;
  readonly message?: Uint8Array;
  readonly messageIsPayload: boolean;
  readonly decoded?: 'control' | 'trace';
  readonly header?: { readonly flags: number; readonly credit: number; readonly epoch: number; readonly seq: number; readonly ack: number };
}

export function decodeFrameMeta(d: Uint8Array): FrameMeta | null {
  if (d.length < FRAME_META_SIZE || d[0] !== META_VERSION) return null;
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  const bits = d[1];
  let at = FRAME_META_SIZE;
  let header: FrameMeta['header'];
  if (bits & MetaBit.header) {
    if (d.length < at + 8) return null;
    header = { flags: d[at], credit: d[at + 1], epoch: d[at + 2], seq: v.getUint16(at + 4, true), ack: v.getUint16(at + 6, true) };
    at += 8;
  }
  const messageIsPayload = (bits & MetaBit.messageIsPayload) !== 0;
  const meta: { -readonly [K in keyof FrameMeta]: FrameMeta[K] } = { startNs: v.getFloat64(4, true), endNs: v.getFloat64(12, true), messageIsPayload };
  if (bits & MetaBit.fragments) meta.fragments = v.getUint16(2, true);
  if (bits & MetaBit.message && !messageIsPayload) meta.message = new Uint8Array(d.subarray(at));
  if (bits & MetaBit.decodedControl) meta.decoded = 'control';
  else if (bits & MetaBit.decodedTrace) meta.decoded = 'trace';
  if (header) meta.header = header;
  return meta;
}

function redecode(kind: 'control' | 'trace', message: Uint8Array): DecodedPayload | undefined {
  if (kind === 'control') {
    const d = decodeControl(message);
    return d.ok ? { kind: 'control', msg: d.value } : undefined;
  }
  const d = decodeTrace(message);
  return d.ok ? { kind: 'trace', event: d.value } : undefined;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export const BUDDY_PCAPNG: PcapngMapping = {
  dissector: BUDDY_DISSECTOR,
  column: 'BUDDY',
  owns: (r: BuddyRecord) => r.kind === 'frame',
  plan: (r: BuddyRecord) => {
    if (r.kind !== 'frame') throw new TypeError(`the buddy link's pcapng mapping got a ${r.kind} record`);
    return plan.set(r);
  },
  ownsMeta: (meta) => meta.length >= 1 && meta[0] === META_VERSION,
  read: (iface, body, metaBytes, at) => {
    const meta = metaBytes ? decodeFrameMeta(metaBytes) : null;
    if (!meta) return 'frame packet without a readable buddyshark meta option';
    const dir = at.dir;
    if (!dir) return 'frame packet without a direction in epb_flags';
    const txn = at.txn;
    if (txn === undefined) return 'frame packet without epb_packetid (transaction index)';
    let channel: number;
    let payload: Uint8Array;
    let f: { flags: number; credit: number; epoch: number; seq: number; ack: number };
    if (iface === 'link') {
      const frame = decodeFrame(body);
      if (!frame.ok) return `buddy-link frame does not decode: ${frame.error.detail}`;
      const h = frame.value.header;
      channel = h.channel;
      payload = new Uint8Array(frame.value.payload);
      f = h;
    } else {
      if (!meta.header) return `buddy-${iface} packet meta lacks the frame header fields`;
      channel = iface === 'eth' ? Channel.ethernet : Channel.bleHci;
      payload = new Uint8Array(body);
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
    return r;
  },
};
