/**
 * How the buddy link's frames read: the one-line summary (tables, the TUI list), the detail tree,
 * the lane, the hex field map of the header, request/reply pairing and message names. Trace events
 * name their callsite through a TraceMetaIndex fed with the register_meta events seen so far.
 */
import { channelName, Flag } from '../../protocol/constants.ts';
import { toHex } from '../../protocol/bytes.ts';
import { CONTROL_CODES } from '../../protocol/control-schema.ts';
import { encodeFrame, frameSize } from '../../protocol/frame.ts';
import type { DecodedTrace } from '../../protocol/trace.ts';
import { TRACE_LEVEL_NAMES } from '../../protocol/trace.ts';
import { bodyText, valueTree, type Lane, type TreeNode } from '../../records/describe.ts';
import { ethernetSummary } from '../../records/ethernet-summary.ts';
import type { BuddyRecord, FrameRecord } from '../../records/types.ts';
import type { HexField, HexView, PairKey, RecordViews, ViewContext } from '../protocol.ts';

export interface TraceMeta {
  readonly name: string;
  readonly target: string;
  readonly level: number;
}

/** Remembers trace callsites by id; reset when the buddy reboots (ids are per boot). */
export class TraceMetaIndex implements ViewContext {
  private readonly metas = new Map<string, TraceMeta>();
  observe(r: BuddyRecord): void {
    if (r.kind === 'anomaly' && r.code === 'buddy-reset') this.metas.clear();
    if (r.kind !== 'frame' || r.decoded?.kind !== 'trace') return;
    const e = r.decoded.event;
    if (e.type === 'register_meta') this.metas.set(String(e.body.id), { name: e.body.name, target: e.body.target, level: e.body.level });
  }
  get(id: number | bigint): TraceMeta | undefined {
    return this.metas.get(String(id));
  }
}

export function flagText(flags: number): string {
  const names: string[] = [];
  if (flags & Flag.more) names.push('more');
  if (flags & Flag.pending) names.push('pending');
  if (flags & Flag.ackValid) names.push('ack');
  if (flags & Flag.cont) names.push('cont');
  return names.join(',') || '-';
}

export function traceSummary(e: DecodedTrace, metas?: TraceMetaIndex): string {
  switch (e.type) {
    case 'event': {
      const meta = metas?.get(e.body.meta);
      const level = meta ? TRACE_LEVEL_NAMES[meta.level] : 'EVENT';
      const msg = e.body.fields.message;
      const rest = bodyText(Object.fromEntries(Object.entries(e.body.fields).filter(([k]) => k !== 'message')));
      return `TRACE ${level} ${meta?.target ?? `meta#${String(e.body.meta)}`}: ${typeof msg === 'string' ? msg : ''}${rest ? ` ${rest}` : ''}`.trimEnd();
    }
    case 'register_meta':
      return `TRACE register ${e.body.kind} #${String(e.body.id)} ${e.body.target}::${e.body.name}`;
    case 'new_span': {
      const meta = metas?.get(e.body.meta);
      return `TRACE span #${String(e.body.id)} ${meta?.name ?? `meta#${String(e.body.meta)}`} ${bodyText(e.body.fields)}`.trimEnd();
    }
    case 'discarded':
      return `TRACE discarded ${bodyText(e.body)}`;
    case 'heartbeat':
      return `TRACE heartbeat max_level=${e.body.max_level === undefined || e.body.max_level === null ? 'off' : TRACE_LEVEL_NAMES[e.body.max_level]}`;
    case 'unknown':
      return `TRACE unknown variant ${e.variant}`;
    default:
      return `TRACE ${e.type} #${String(e.body.id)}`;
  }
}

export function frameSummary(r: FrameRecord, metas?: TraceMetaIndex): string {
  if (r.channel === 0 && r.payload.length === 0) return `idle credit=${r.credit}${r.flags & Flag.ackValid ? ` ack=${r.ack}` : ''}`;
  const frag = r.flags & (Flag.more | Flag.cont) ? ' (fragment)' : '';
  if (!r.message) return `${channelName(r.channel)} fragment ${r.payload.length} bytes${frag}`;
  const d = r.decoded;
  if (d?.kind === 'control') {
    const m = d.msg;
    if (m.type === 'unknown') return `CTRL unknown type 0x${m.code.toString(16)} id=${m.id}`;
    const id = m.id ? ` #${m.id}` : '';
    const body = m.type === 'scan_result' ? `${m.body.aps.length} APs: ${apList(m.body.aps)}` : bodyText(m.body);
    return `${m.type}${id}${body ? ` ${body}` : ''}`;
  }
  if (d?.kind === 'trace') return traceSummary(d.event, metas);
  if (r.channel === 2) return ethernetSummary(r.message);
  if (r.channel === 4) return `BLE HCI ${toHex(r.message.subarray(0, 8), ' ')}${r.message.length > 8 ? ' ...' : ''}`;
  return `${channelName(r.channel)} ${r.message.length} bytes`;
}

/** APs named in a scan_result's one-line summary; the rest are counted (the detail pane has them all). */
const SUMMARY_APS = 6;

function apList(aps: readonly { readonly ssid: string; readonly rssi: number }[]): string {
  const shown = aps.slice(0, SUMMARY_APS).map((a) => `${a.ssid}(${a.rssi})`).join(' ');
  return aps.length > SUMMARY_APS ? `${shown} ... (+${aps.length - SUMMARY_APS})` : shown;
}

/** The decoded tree of a frame. */
export function frameDetail(r: FrameRecord): TreeNode[] {
  const header: TreeNode = {
    label: 'Frame header',
    fold: true,
    children: [
      { label: `channel: ${r.channel} (${channelName(r.channel)})` },
      { label: `flags: 0x${r.flags.toString(16).padStart(2, '0')} (${flagText(r.flags)})` },
      { label: `seq: ${r.seq}` },
      { label: `ack: ${r.ack}${r.flags & Flag.ackValid ? '' : ' (not valid)'}` },
      { label: `length: ${r.payload.length}` },
      { label: `credit: ${r.credit}` },
      { label: `epoch: ${r.epoch}` },
    ],
  };
  const nodes: TreeNode[] = [header];
  if (r.fragments && r.fragments > 1) nodes.push({ label: `Reassembled from ${r.fragments} fragments (${r.message?.length ?? 0} bytes)` });
  if (r.decoded?.kind === 'control') {
    const m = r.decoded.msg;
    nodes.push(valueTree(m.type === 'unknown' ? `Control: unknown 0x${m.code.toString(16)} id ${m.id}` : `Control: ${m.type} id ${m.id}`, m.body));
  } else if (r.decoded?.kind === 'trace') {
    nodes.push(valueTree(`Trace: ${r.decoded.event.type}`, r.decoded.event.body));
  } else if (r.channel === 2 && r.message) {
    nodes.push({ label: ethernetSummary(r.message) });
  }
  return nodes;
}

export function frameLane(r: FrameRecord): Lane {
  if (r.channel === 0) return 'idle';
  if (r.channel === 1) return 'control';
  if (r.channel === 2) return 'ethernet';
  if (r.channel === 3) return 'trace';
  if (r.channel === 4) return 'ble';
  return 'reserved';
}

export function isIdleFrame(r: FrameRecord): boolean {
  return r.channel === 0 && r.payload.length === 0;
}

const FRAME_HEADER: readonly [string, number, number][] = [
  ['sync', 0, 1], ['version', 1, 2], ['channel', 2, 3], ['flags', 3, 4], ['seq', 4, 6], ['ack', 6, 8],
  ['len', 8, 10], ['credit', 10, 11], ['epoch', 11, 12], ['hcrc', 12, 16],
];

const NO_HEX: HexView = { sections: [], fields: [] };

/** The frame re-encoded (encodeFrame gives back its exact wire bytes, CRCs included), fields mapped. */
export function frameHex(r: FrameRecord): HexView {
  let bytes: Uint8Array;
  try {
    bytes = encodeFrame({ channel: r.channel, flags: r.flags, seq: r.seq, ack: r.ack, credit: r.credit, epoch: r.epoch }, r.payload);
  } catch {
    return NO_HEX; // a record built by hand with out-of-range fields has no wire form
  }
  const fields: HexField[] = FRAME_HEADER.map(([name, start, end]) => ({ name, section: 0, start, end }));
  if (r.payload.length > 0) {
    fields.push({ name: 'payload', section: 0, start: 16, end: 16 + r.payload.length });
    fields.push({ name: 'crc', section: 0, start: 16 + r.payload.length, end: 20 + r.payload.length });
  }
  return { sections: [{ title: `frame ${r.dir === 'cpu-to-buddy' ? 'MOSI' : 'MISO'}`, bytes }], fields };
}

/** The control type code of a frame's decoded control message, or -1. */
export function controlCode(r: FrameRecord): number {
  if (r.decoded?.kind !== 'control') return -1;
  const m = r.decoded.msg;
  return m.type === 'unknown' ? m.code : CONTROL_CODES[m.type];
}

const asFrame = (r: BuddyRecord): FrameRecord | null => (r.kind === 'frame' ? r : null);

export const BUDDY_VIEWS: RecordViews = {
  newContext: () => new TraceMetaIndex(),
  lane: (r) => {
    const f = asFrame(r);
    return f ? frameLane(f) : 'reserved';
  },
  summary: (r, ctx) => {
    const f = asFrame(r);
    return f ? frameSummary(f, ctx instanceof TraceMetaIndex ? ctx : undefined) : '';
  },
  column: (r) => (r.kind === 'frame' ? String(r.seq) : ''),
  isIdle: (r) => r.kind === 'frame' && isIdleFrame(r),
  detail: (r) => {
    const f = asFrame(r);
    return f ? frameDetail(f) : [];
  },
  hex: (r) => {
    const f = asFrame(r);
    return f ? frameHex(f) : NO_HEX;
  },
  pairKey: (r): PairKey | null => {
    const f = asFrame(r);
    if (!f) return null;
    const code = controlCode(f);
    // Requests are 0x01-0x3f, replies 0x40-0x4f (events, 0x50 up, pair with nothing).
    if (code < 0x01 || code > 0x4f || f.decoded?.kind !== 'control' || (code <= 0x3f && f.decoded.msg.id === 0)) return null;
    return { key: `buddy:${f.decoded.msg.id}`, role: code <= 0x3f ? 'request' : 'reply' };
  },
  messageName: (r) => {
    const f = asFrame(r);
    if (!f || !f.decoded) return null;
    return f.decoded.kind === 'control' ? f.decoded.msg.type : f.decoded.event.type;
  },
  wireBytes: (r) => {
    const f = asFrame(r);
    return f && !isIdleFrame(f) ? frameSize(f.payload.length) : 0;
  },
  // A trace event is named by the callsite its boot registered earlier.
  contextual: (r) => r.kind === 'frame' && r.decoded?.kind === 'trace',
};
