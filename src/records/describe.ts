/**
 * Human descriptions of the records every link protocol shares: SPI transactions, line edges and
 * anomalies (a one-line summary and a detail tree), and the shapes every protocol's own views use
 * (Lane, TreeNode, value trees). A protocol's frames are described by its module
 * (src/link/<protocol>/views.ts); src/link/describe.ts dispatches between the two.
 */
import { toHex } from '../protocol/bytes.ts';
import { macText } from './ethernet-summary.ts';
import { toJsonValue } from './json.ts';
import { captureTime } from './summary.ts';
import type { AnomalyRecord, BuddyRecord, LineRecord, TxnRecord } from './types.ts';

/** The lane a record belongs to: its colour in tables and its row in the TUI's timeline strip. */
export type Lane = 'control' | 'ethernet' | 'trace' | 'ble' | 'reserved' | 'idle' | 'line' | 'anomaly' | 'txn';

export interface TreeNode {
  readonly label: string;
  readonly children?: readonly TreeNode[];
  /** Fields the hex dump shows anyway (a frame header): folded into one line when space is short. */
  readonly fold?: boolean;
}

export function shortValue(v: unknown): string {
  if (v instanceof Uint8Array) return v.length === 6 ? macText(v) : toHex(v);
  if (typeof v === 'string') return JSON.stringify(v);
  return JSON.stringify(toJsonValue(v));
}

export function bodyText(body: unknown, keys?: readonly string[]): string {
  if (body === null || typeof body !== 'object') return '';
  const entries = Object.entries(body).filter(([k]) => !keys || keys.includes(k));
  return entries.map(([k, v]) => `${k}=${shortValue(v)}`).join(' ');
}

/** Words shown per direction in a transaction's one-line summary, at most, before it says how many more. */
const TXN_SHOWN_BYTES = 16;

/**
 * "SPI #3  MOSI 5a 6b 7c  MISO 00 00 00", words grouped when they are wider than a byte, a
 * direction that was not captured shown as "-": what a reader of another device's bus wants.
 * Given `maxChars` (a list row's room), it shows fewer words a side so both directions fit.
 */
export function txnSummary(r: TxnRecord, maxChars = Infinity): string {
  const per = Math.ceil((r.wordBits ?? 8) / 8);
  const side = (b: Uint8Array, other: Uint8Array, words: number): string => {
    if (b.length === 0) return other.length > 0 ? '-' : '(none)';
    const shown = b.subarray(0, words * per);
    const out: string[] = [];
    for (let k = 0; k < shown.length; k += per) out.push(toHex(shown.subarray(k, k + per)));
    return out.join(' ') + (b.length > shown.length ? ` ... (${b.length / per} words)` : '');
  };
  const extra = [r.wordBits && r.wordBits !== 8 ? `${r.wordBits}-bit words` : '', r.partialBits ? `+${r.partialBits} bits` : ''].filter(Boolean).join(', ');
  const text = (words: number): string => `SPI #${r.txn}  MOSI ${side(r.mosi, r.miso, words)}  MISO ${side(r.miso, r.mosi, words)}${extra ? `  (${extra})` : ''}`;
  let words = Math.ceil(TXN_SHOWN_BYTES / per);
  let line = text(words);
  while (line.length > maxChars && words > 1) line = text(--words);
  return line;
}

/** A line edge as the link protocol names it (esp-hosted calls READY the handshake). */
function lineName(r: LineRecord): string {
  return (r.label ?? r.line).toUpperCase();
}

/** The one-line summary of a record no protocol owns: a transaction, a line edge, an anomaly. */
export function sharedSummary(r: TxnRecord | LineRecord | AnomalyRecord): string {
  switch (r.kind) {
    case 'anomaly':
      return `${r.code}: ${r.detail}`;
    case 'line':
      return `${lineName(r)} ${r.level ? 'high' : 'low'}`;
    case 'txn':
      return txnSummary(r);
  }
}

export function valueTree(name: string, v: unknown): TreeNode {
  if (v !== null && typeof v === 'object' && !(v instanceof Uint8Array)) {
    const entries = Array.isArray(v) ? v.map((x, i) => [String(i), x] as const) : Object.entries(v);
    return { label: name, children: entries.map(([k, x]) => valueTree(k, x)) };
  }
  return { label: `${name}: ${shortValue(v)}` };
}

/** A record's time span, for detail trees. */
export function spanText(r: BuddyRecord): string {
  return r.endNs > r.startNs ? `${captureTime(r.startNs)} .. ${captureTime(r.endNs)} (${captureTime(r.endNs - r.startNs)})` : captureTime(r.startNs);
}

/** The detail tree of a record no protocol owns. */
export function sharedDetail(r: TxnRecord | LineRecord | AnomalyRecord): TreeNode[] {
  if (r.kind === 'anomaly') {
    const children: TreeNode[] = [{ label: r.detail }, { label: `time: ${spanText(r)} from capture start` }];
    if (r.dir) children.push({ label: `direction: ${r.dir}` });
    if (r.txn !== undefined) children.push({ label: `SPI transaction: #${r.txn}` });
    if (r.offset !== undefined) children.push({ label: `byte offset: ${r.offset}` });
    if (r.count !== undefined) children.push({ label: `count: ${r.count}` });
    return [{ label: `Anomaly: ${r.code}`, children }];
  }
  if (r.kind === 'line') return [{ label: `${lineName(r)} ${r.level ? 'rises (high)' : 'falls (low)'}`, children: [{ label: `time: ${spanText(r)} from capture start` }] }];
  return txnDetail(r);
}

/** A transaction's tree: when, how much each direction carried, in what words (the bytes are in the hex pane). */
function txnDetail(r: TxnRecord): TreeNode[] {
  const bits = r.wordBits ?? 8;
  const per = Math.ceil(bits / 8);
  const side = (name: string, b: Uint8Array, other: Uint8Array): TreeNode => ({
    label: b.length === 0 && other.length > 0 ? `${name}: not captured` : `${name}: ${b.length} bytes${per > 1 ? ` (${b.length / per} words)` : ''}`,
  });
  const children: TreeNode[] = [
    { label: `time: ${spanText(r)} from capture start` },
    side('MOSI', r.mosi, r.miso),
    side('MISO', r.miso, r.mosi),
    { label: `word: ${bits} bits${per > 1 ? `, ${per} bytes each, most significant byte first` : ''}` },
  ];
  if (r.partialBits) children.push({ label: `partial word at CS release: ${r.partialBits} bits (not in the bytes; the partial-word anomaly has their values)` });
  return [{ label: `SPI transaction #${r.txn}`, children }];
}

/** CPU to buddy (C→B), buddy to CPU (B→C), or blank, for tables. */
export function directionArrow(r: BuddyRecord): string {
  const dir = r.kind === 'frame' || r.kind === 'link' || r.kind === 'anomaly' ? r.dir : undefined;
  if (dir === undefined) return '   ';
  return dir === 'cpu-to-buddy' ? 'C→B' : 'B→C';
}
