/**
 * How any record reads, whichever protocol made it: the views of the protocol that owns it
 * (src/link/registry.ts viewsOf) for frames and link records, the shared descriptions of
 * src/records/describe.ts for transactions, line edges and anomalies. Tables and the TUI ask here,
 * so they know no protocol's fields.
 *
 * Example:
 *   const d = new Describer();
 *   for (const r of records) { d.observe(r); console.log(laneOf(r), d.summary(r)); }
 */
import { sharedDetail, sharedSummary, type Lane, type TreeNode } from '../records/describe.ts';
import type { BuddyRecord, TxnRecord } from '../records/types.ts';
import type { HexView, PairKey, RecordViews, ViewContext } from './protocol.ts';
import { viewsOf } from './registry.ts';

export { directionArrow } from '../records/describe.ts';

/** Summaries with the state a protocol keeps across records (trace callsite names). */
export class Describer {
  private readonly contexts = new Map<RecordViews, ViewContext>();

  private contextOf(v: RecordViews): ViewContext {
    let c = this.contexts.get(v);
    if (!c) this.contexts.set(v, (c = v.newContext()));
    return c;
  }

  /** Every record, in stream order: a protocol may learn from ones it does not own (a reset). */
  observe(r: BuddyRecord): void {
    const own = viewsOf(r);
    if (own) this.contextOf(own).observe(r);
    else for (const c of this.contexts.values()) c.observe(r);
  }

  summary(r: BuddyRecord): string {
    const v = viewsOf(r);
    if (v) return v.summary(r, this.contextOf(v));
    return r.kind === 'frame' || r.kind === 'link' ? '' : sharedSummary(r);
  }
}

export function laneOf(r: BuddyRecord): Lane {
  switch (r.kind) {
    case 'anomaly':
      return 'anomaly';
    case 'line':
      return 'line';
    case 'txn':
      return 'txn';
    default:
      return viewsOf(r)?.lane(r) ?? 'reserved';
  }
}

export function detailTree(r: BuddyRecord): TreeNode[] {
  if (r.kind === 'frame' || r.kind === 'link') return viewsOf(r)?.detail(r) ?? [];
  return sharedDetail(r);
}

/** Idle frames (the buddy link's empty frames, esp-hosted's len = 0 directions): hidden by default. */
export function isIdle(r: BuddyRecord): boolean {
  return viewsOf(r)?.isIdle(r) ?? false;
}

/** The protocol's short column (the buddy link's seq), or ''. */
export function columnOf(r: BuddyRecord): string {
  return viewsOf(r)?.column(r) ?? '';
}

export function pairKeyOf(r: BuddyRecord): PairKey | null {
  return viewsOf(r)?.pairKey(r) ?? null;
}

export function messageNameOf(r: BuddyRecord): string | null {
  return viewsOf(r)?.messageName(r) ?? null;
}

export function wireBytesOf(r: BuddyRecord): number {
  return viewsOf(r)?.wireBytes(r) ?? 0;
}

/** Whether a record's summary must be made in stream order (see RecordViews.contextual). */
export function isContextual(r: BuddyRecord): boolean {
  return viewsOf(r)?.contextual(r) ?? false;
}

export const EMPTY_HEX: HexView = { sections: [], fields: [] };

function txnView(t: TxnRecord): HexView {
  return {
    sections: [{ title: 'MOSI', bytes: t.mosi }, { title: 'MISO', bytes: t.miso }],
    fields: [{ name: 'MOSI', section: 0, start: 0, end: t.mosi.length }, { name: 'MISO', section: 1, start: 0, end: t.miso.length }],
  };
}

/** The bytes and fields behind a record; `txn` is the transaction it came from, when known. */
export function hexView(r: BuddyRecord, txn: TxnRecord | null): HexView {
  switch (r.kind) {
    case 'txn':
      return txnView(r);
    case 'anomaly': {
      if (!txn) return EMPTY_HEX;
      if (!r.dir) return txnView(txn);
      const bytes = r.dir === 'cpu-to-buddy' ? txn.mosi : txn.miso;
      const title = r.dir === 'cpu-to-buddy' ? 'MOSI' : 'MISO';
      const at = r.offset;
      const fields = at !== undefined && at < bytes.length ? [{ name: `offset ${at}`, section: 0, start: at, end: at + 1 }] : [];
      return { sections: [{ title, bytes }], fields };
    }
    case 'line':
      return EMPTY_HEX;
    default:
      return viewsOf(r)?.hex(r) ?? EMPTY_HEX;
  }
}
