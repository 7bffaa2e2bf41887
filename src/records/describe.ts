/**
 * Human descriptions of records: a one-line summary (tables, the TUI list) and a detail tree
 * (the TUI detail pane, `protocol decode`). Pure functions of the record; trace events name their
 * callsite through a TraceMetaIndex fed with the register_meta events seen so far.
 */
import { channelName, Flag } from '../protocol/constants.ts';
import { toHex } from '../protocol/bytes.ts';
import type { DecodedTrace } from '../protocol/trace.ts';
import { TRACE_LEVEL_NAMES } from '../protocol/trace.ts';
import { ethernetSummary, macText } from './ethernet-summary.ts';
import { toJsonValue } from './json.ts';
import type { BuddyRecord, FrameRecord, TxnRecord } from './types.ts';

export interface TraceMeta {
  readonly name: string;
  readonly target: string;
  readonly level: number;
}

/** Remembers trace callsites by id; reset when the buddy reboots (ids are per boot). */
export class TraceMetaIndex {
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

function shortValue(v: unknown): string {
  if (v instanceof Uint8Array) return v.length === 6 ? macText(v) : toHex(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(toJsonValue(v));
}

function bodyText(body: unknown, keys?: readonly string[]): string {
  if (body === null || typeof body !== 'object') return '';
  const entries = Object.entries(body).filter(([k]) => !keys || keys.includes(k));
  return entries.map(([k, v]) => `${k}=${shortValue(v)}`).join(' ');
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

export function summary(r: BuddyRecord, metas?: TraceMetaIndex): string {
  switch (r.kind) {
    case 'frame':
      return frameSummary(r, metas);
    case 'anomaly':
      return `${r.code}: ${r.detail}`;
    case 'line':
      return `${r.line.toUpperCase()} ${r.level ? 'high' : 'low'}`;
    case 'txn':
      return txnSummary(r);
  }
}

/** Bytes shown per direction in a transaction's one-line summary before it says how many more. */
const TXN_SHOWN_BYTES = 16;

/**
 * "SPI #3  MOSI 5a 6b 7c  MISO 00 00 00", words grouped when they are wider than a byte, a
 * direction that was not captured shown as "-": what a reader of another device's bus wants.
 */
function txnSummary(r: TxnRecord): string {
  const per = Math.ceil((r.wordBits ?? 8) / 8);
  const side = (b: Uint8Array, other: Uint8Array): string => {
    if (b.length === 0) return other.length > 0 ? '-' : '(none)';
    const shown = b.subarray(0, Math.ceil(TXN_SHOWN_BYTES / per) * per);
    const words: string[] = [];
    for (let k = 0; k < shown.length; k += per) words.push(toHex(shown.subarray(k, k + per)));
    return words.join(' ') + (b.length > shown.length ? ` ... (${b.length / per} words)` : '');
  };
  const extra = [r.wordBits && r.wordBits !== 8 ? `${r.wordBits}-bit words` : '', r.partialBits ? `+${r.partialBits} bits` : ''].filter(Boolean).join(', ');
  return `SPI #${r.txn}  MOSI ${side(r.mosi, r.miso)}  MISO ${side(r.miso, r.mosi)}${extra ? `  (${extra})` : ''}`;
}

export interface TreeNode {
  readonly label: string;
  readonly children?: readonly TreeNode[];
}

function valueTree(name: string, v: unknown): TreeNode {
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    return { label: name, children: entries.map(([k, x]) => valueTree(k, x)) };
  }
  return { label: `${name}: ${shortValue(v)}` };
}

/** The decoded tree of a record, as the TUI detail pane and `protocol decode` show it. */
function spanText(r: BuddyRecord): string {
  const us = (ns: number): string => `${(ns / 1000).toFixed(3)} µs`;
  return r.endNs > r.startNs ? `${us(r.startNs)} .. ${us(r.endNs)} (${us(r.endNs - r.startNs)})` : us(r.startNs);
}

export function detailTree(r: BuddyRecord): TreeNode[] {
  if (r.kind === 'anomaly') {
    const children: TreeNode[] = [{ label: r.detail }, { label: `time: ${spanText(r)} from capture start` }];
    if (r.dir) children.push({ label: `direction: ${r.dir}` });
    if (r.txn !== undefined) children.push({ label: `SPI transaction: #${r.txn}` });
    if (r.offset !== undefined) children.push({ label: `byte offset: ${r.offset}` });
    if (r.count !== undefined) children.push({ label: `count: ${r.count}` });
    return [{ label: `Anomaly: ${r.code}`, children }];
  }
  if (r.kind === 'line') return [{ label: `${r.line.toUpperCase()} ${r.level ? 'rises (high)' : 'falls (low)'}`, children: [{ label: `time: ${spanText(r)} from capture start` }] }];
  if (r.kind !== 'frame') return [valueTree(r.kind, toJsonValue(r))];
  const header: TreeNode = {
    label: 'Frame header',
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

/** The lane a record belongs to: its colour in tables and its row in the TUI's timeline strip. */
export type Lane = 'control' | 'ethernet' | 'trace' | 'ble' | 'reserved' | 'idle' | 'line' | 'anomaly' | 'txn';

export function laneOf(r: BuddyRecord): Lane {
  switch (r.kind) {
    case 'anomaly':
      return 'anomaly';
    case 'line':
      return 'line';
    case 'txn':
      return 'txn';
    case 'frame':
      if (r.channel === 0) return 'idle';
      if (r.channel === 1) return 'control';
      if (r.channel === 2) return 'ethernet';
      if (r.channel === 3) return 'trace';
      if (r.channel === 4) return 'ble';
      return 'reserved';
  }
}

export function directionArrow(r: BuddyRecord): string {
  if (r.kind === 'frame' || (r.kind === 'anomaly' && r.dir)) return r.dir === 'cpu-to-buddy' ? 'C→B' : 'B→C';
  return '   ';
}
