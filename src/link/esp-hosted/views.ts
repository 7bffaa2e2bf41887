/**
 * esp-hosted's records through the seam's RecordViews: the list line, lane, detail tree and hex
 * field map come from describe.ts; pairing is the request numbering of pairing.ts.
 */
import type { Lane, TreeNode } from '../../records/describe.ts';
import type { BuddyRecord } from '../../records/types.ts';
import type { HexField, HexView, RecordViews, ViewContext } from '../protocol.ts';
import { detailTree, headerFieldMap, summaryLine, type DetailNode } from './describe.ts';
import { ESP_FAMILY, type EspLinkFields } from './stage.ts';

/**
 * The EspRecord behind a LinkRecord of this family. Only the esp-hosted stage and its pcapng reader
 * make records of the family, always with an EspRecord as fields, so the cast holds.
 */
export function espFields(r: BuddyRecord): EspLinkFields | null {
  return r.kind === 'link' && r.protocol === ESP_FAMILY ? (r.fields as EspLinkFields) : null;
}

function treeOf(n: DetailNode): TreeNode {
  const label = n.value !== undefined ? `${n.label}: ${n.value}` : n.label;
  return n.children ? { label, children: n.children.map(treeOf) } : { label };
}

const LANES: Readonly<Record<string, Lane>> = { ethernet: 'ethernet', control: 'control', hci: 'ble', idle: 'idle' };

const NO_HEX: HexView = { sections: [], fields: [] };
const WHERE = new Set(['variant', 'transaction', 'direction']);
const STATELESS: ViewContext = { observe: () => undefined };

function hexOf(e: EspLinkFields): HexView {
  const side = e.dir === 'cpu-to-buddy' ? 'MOSI' : 'MISO';
  if (e.kind === 'frame') {
    const fields: HexField[] = headerFieldMap(e.variant).map((f) => ({ name: f.name, section: 0, start: f.start, end: f.end }));
    if (e.payload.length > 0) fields.push({ name: 'payload', section: 0, start: e.header.offset, end: e.header.offset + e.payload.length });
    return { sections: [{ title: `frame ${side}`, bytes: e.wire }], fields };
  }
  if (e.kind === 'message') {
    return { sections: [{ title: `message ${side} (${e.fragments} fragments)`, bytes: e.bytes }], fields: [{ name: 'message', section: 0, start: 0, end: e.bytes.length }] };
  }
  return NO_HEX;
}

export const ESP_VIEWS: RecordViews = {
  newContext: () => STATELESS,
  lane: (r) => {
    const e = espFields(r);
    return e && r.kind === 'link' ? (LANES[r.channel] ?? 'reserved') : 'reserved';
  },
  summary: (r) => {
    const e = espFields(r);
    return e ? summaryLine(e) : '';
  },
  column: (r) => {
    const e = espFields(r);
    return e?.kind === 'frame' && e.header.seq !== undefined ? String(e.header.seq) : '';
  },
  isIdle: (r) => espFields(r)?.kind === 'idle',
  detail: (r) => {
    const e = espFields(r);
    if (!e) return [];
    // Where it was (variant, transaction, direction) in one line; the header may fold like the buddy link's.
    const nodes = detailTree(e);
    const where = nodes.filter((n) => !n.children && WHERE.has(n.label));
    const rest = nodes.filter((n) => !where.includes(n)).map((n) => (n.label === 'header' ? { ...treeOf(n), fold: true } : treeOf(n)));
    const line = where.map((n) => (n.label === 'transaction' ? `txn ${n.value}` : n.value)).join(', ');
    return [...(where.length ? [{ label: line }] : []), ...rest];
  },
  hex: (r) => {
    const e = espFields(r);
    return e ? hexOf(e) : NO_HEX;
  },
  pairKey: (r) => {
    const e = espFields(r);
    if (!e || e.kind === 'idle' || !e.link) return null;
    return { key: `esp:${e.link.reqNo}`, role: e.link.role === 'request' ? 'request' : 'reply' };
  },
  messageName: (r) => {
    const e = espFields(r);
    const c = e && e.kind !== 'idle' ? e.content : undefined;
    if (!c) return null;
    return c.kind === 'control' ? c.control.name : c.kind === 'ng-command' ? c.command.name : c.kind === 'init' ? 'INIT' : null;
  },
  wireBytes: (r) => {
    const e = espFields(r);
    return e?.kind === 'frame' ? e.wire.length : 0;
  },
  contextual: () => false,
};
