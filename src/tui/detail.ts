/**
 * What the detail pane says about one record, as pure functions: the decoded tree flattened to
 * indented lines, the SPI transaction it came from, and the linked request or reply with latency.
 *
 * Example: pairLine(index, 4) -> 'reply: ok #7 after 120.500 µs (r jumps)'
 */
import { captureMicros, captureTime, formatDuration } from '../records/summary.ts';
import { detailTree, messageNameOf, pairKeyOf } from '../link/describe.ts';
import type { TreeNode } from '../records/describe.ts';
import type { RecordIndex } from './record-index.ts';

export function treeLines(nodes: readonly TreeNode[], depth = 0, out: string[] = []): string[] {
  for (const n of nodes) {
    out.push(`${'  '.repeat(depth)}${n.children ? '▾ ' : '  '}${n.label}`);
    if (n.children) treeLines(n.children, depth + 1, out);
  }
  return out;
}

/**
 * The record's tree in at most `rows` lines: when it does not fit, the nodes marked `fold` (a frame
 * header, whose fields the hex dump shows anyway) fold into one line each so the decoded message
 * stays visible; `offset` scrolls a tree that is still too long (clamped so the last line stays at
 * the bottom).
 */
export function recordTree(index: RecordIndex, i: number, rows = Infinity, offset = 0): string[] {
  const nodes = detailTree(index.record(i));
  let lines = treeLines(nodes);
  if (lines.length > rows && nodes.some((n) => n.fold && n.children)) {
    lines = [];
    for (const n of nodes) {
      if (n.fold && n.children) lines.push(`▸ ${n.label}: ${n.children.map((c) => c.label.replace(/ \(not valid\)$/, '')).join(', ')}`);
      else treeLines([n], 0, lines);
    }
  }
  const from = Math.max(0, Math.min(offset, lines.length - rows));
  return lines.slice(from, from + rows);
}

export function txnLine(index: RecordIndex, i: number): string {
  const t = index.txnOf(i);
  if (!t) return index.record(i).kind === 'line' ? 'side-band line event (no SPI transaction)' : 'SPI transaction: not in this capture';
  const span = `${captureMicros(t.startNs)}–${captureTime(t.endNs)} (${formatDuration(t.endNs - t.startNs)})`;
  return `SPI txn #${t.txn}  ${span}  MOSI ${t.mosi.length} B  MISO ${t.miso.length} B${t.partialBits ? ` +${t.partialBits} bits` : ''}`;
}

/** The request/reply link, or null when the record is not a control request or reply. */
export function pairLine(index: RecordIndex, i: number): string | null {
  const pair = pairKeyOf(index.record(i));
  if (!pair) return null;
  const isRequest = pair.role === 'request';
  const other = index.pairOf(i);
  if (other < 0) return isRequest ? 'reply: none seen' : 'request: not in this capture';
  const latency = formatDuration(Math.abs(index.startNs(other) - index.startNs(i)));
  // The other side's message name and the id both carry (the key's part after the protocol).
  const name = messageNameOf(index.record(other)) ?? index.summaryText(other).split(' ')[0];
  const what = `${name} #${pair.key.slice(pair.key.indexOf(':') + 1)}`;
  return isRequest ? `reply: ${what} after ${latency} (r jumps)` : `request: ${what}, latency ${latency} (r jumps)`;
}
