/**
 * The viewer's record index: every record of a capture, plus compact per-record arrays (start time,
 * lane, direction, payload size) that the list, the timeline strip and the filter scan without
 * touching the record objects. Built incrementally: `append(batch)` as batches arrive from the
 * record stream, so a live capture can keep appending. Also links control requests to their replies
 * (by request id), maps SPI transaction numbers to their TxnRecord, and keeps READY/IRQ levels.
 *
 * Records are assumed to arrive in time order (the link stage emits them so); lookups by time use a
 * binary search over start times.
 *
 * Example:
 *   const index = new RecordIndex();
 *   for await (const batch of opened.records) index.append(batch);
 *   index.summaryText(0)   // 'hello #1 protocol=1 ...'
 *   index.pairOf(0)        // index of the `ok #1` reply, or -1
 */
import { CONTROL_CODES } from '../protocol/control-schema.ts';
import { addToSummary, newSummary, type RecordSummary } from '../cli/record-summary.ts';
import { laneOf, summary, TraceMetaIndex, type Lane } from '../records/describe.ts';
import type { BuddyRecord, FrameRecord, LineName, TxnRecord } from '../records/types.ts';

export const LANE_CODES: readonly Lane[] = ['control', 'ethernet', 'trace', 'ble', 'reserved', 'idle', 'line', 'anomaly', 'txn'];
const LANE_CODE: Readonly<Record<Lane, number>> = Object.fromEntries(LANE_CODES.map((l, i) => [l, i])) as Record<Lane, number>;

/** Direction codes in `dirCode`: 0 none, 1 cpu-to-buddy (MOSI), 2 buddy-to-cpu (MISO). */
export const DIR_NONE = 0;
export const DIR_MOSI = 1;
export const DIR_MISO = 2;

/** Level changes of one side-band line, in time order. */
export interface LineLevels {
  readonly t: number[];
  readonly level: number[];
}

/** The control type code of a frame's decoded control message, or -1. */
export function controlCode(r: BuddyRecord): number {
  if (r.kind !== 'frame' || r.decoded?.kind !== 'control') return -1;
  const m = r.decoded.msg;
  return m.type === 'unknown' ? m.code : CONTROL_CODES[m.type];
}

function grow<T extends Float64Array | Uint8Array | Uint16Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export class RecordIndex {
  readonly records: BuddyRecord[] = [];
  readonly summary: RecordSummary;
  private start = new Float64Array(1024);
  private laneArr = new Uint8Array(1024);
  private dirArr = new Uint8Array(1024);
  /** Payload bytes per record (frames), for the MOSI/MISO activity lanes. */
  private sizeArr = new Uint16Array(1024);
  private readonly summaries: (string | undefined)[] = [];
  private readonly metas = new TraceMetaIndex();
  private readonly txnAt = new Map<number, number>();
  private readonly pairs = new Map<number, number>();
  private readonly pending = new Map<number, number>();
  readonly lines: Readonly<Record<LineName, LineLevels>> = {
    ready: { t: [], level: [] }, irq: { t: [], level: [] }, reset: { t: [], level: [] }, cs: { t: [], level: [] },
  };
  /** Records per lane over the whole capture (the strip only draws lanes that have any). */
  readonly laneTotals = new Uint32Array(LANE_CODES.length);
  /** Set by the loader: true once the stream has ended. */
  done = false;
  /** Set by the loader when the stream failed (the records before the fault stay). */
  error: string | null = null;

  constructor(summaryOrInput: RecordSummary | string = 'capture') {
    this.summary = typeof summaryOrInput === 'string' ? newSummary(summaryOrInput, 'records') : summaryOrInput;
  }

  get length(): number {
    return this.records.length;
  }

  /** Adds a batch; cost is a few array writes per record (summaries are built lazily). */
  append(batch: readonly BuddyRecord[]): void {
    const base = this.records.length;
    const need = base + batch.length;
    this.start = grow(this.start, need, (n) => new Float64Array(n));
    this.laneArr = grow(this.laneArr, need, (n) => new Uint8Array(n));
    this.dirArr = grow(this.dirArr, need, (n) => new Uint8Array(n));
    this.sizeArr = grow(this.sizeArr, need, (n) => new Uint16Array(n));
    addToSummary(this.summary, batch);
    for (let k = 0; k < batch.length; k++) {
      const r = batch[k];
      const i = base + k;
      this.records.push(r);
      this.start[i] = r.startNs;
      const lane = LANE_CODE[laneOf(r)];
      this.laneArr[i] = lane;
      this.laneTotals[lane]++;
      if (r.kind === 'frame') {
        this.dirArr[i] = r.dir === 'cpu-to-buddy' ? DIR_MOSI : DIR_MISO;
        this.sizeArr[i] = Math.min(r.payload.length + 16, 0xffff);
        if (r.decoded) this.noteMessage(r, i);
      } else if (r.kind === 'txn') {
        this.txnAt.set(r.txn, i);
      } else if (r.kind === 'line') {
        const l = this.lines[r.line];
        l.t.push(r.startNs);
        l.level.push(r.level);
      } else if (r.dir) {
        this.dirArr[i] = r.dir === 'cpu-to-buddy' ? DIR_MOSI : DIR_MISO;
      }
      if (r.kind === 'anomaly' && r.code === 'buddy-reset') {
        this.metas.observe(r);
        this.pending.clear();
      }
    }
  }

  private noteMessage(r: FrameRecord, i: number): void {
    if (r.decoded?.kind === 'trace') {
      this.metas.observe(r);
      // Trace callsite ids are per boot, so the name is resolved now, in stream order.
      this.summaries[i] = summary(r, this.metas);
      return;
    }
    const code = controlCode(r);
    if (code < 0 || r.decoded?.kind !== 'control') return;
    const id = r.decoded.msg.id;
    if (code >= 0x01 && code <= 0x3f && id !== 0) {
      this.pending.set(id, i);
    } else if (code >= 0x40 && code <= 0x4f) {
      const req = this.pending.get(id);
      if (req !== undefined) {
        this.pending.delete(id);
        this.pairs.set(req, i);
        this.pairs.set(i, req);
      }
    }
  }

  record(i: number): BuddyRecord {
    return this.records[i];
  }
  startNs(i: number): number {
    return this.start[i];
  }
  lane(i: number): Lane {
    return LANE_CODES[this.laneArr[i]];
  }
  laneCode(i: number): number {
    return this.laneArr[i];
  }
  dirCode(i: number): number {
    return this.dirArr[i];
  }
  wireSize(i: number): number {
    return this.sizeArr[i];
  }
  /** Idle frames and raw transactions: hidden from the list unless asked for. */
  hiddenByDefault(i: number): boolean {
    const l = this.laneArr[i];
    return l === LANE_CODE.idle || l === LANE_CODE.txn;
  }

  get firstNs(): number {
    return this.records.length ? this.start[0] : 0;
  }
  get lastNs(): number {
    return this.summary.lastNs ?? this.firstNs;
  }

  summaryText(i: number): string {
    let s = this.summaries[i];
    if (s === undefined) {
      s = summary(this.records[i]);
      this.summaries[i] = s;
    }
    return s;
  }

  /** The request's reply or the reply's request, or -1. */
  pairOf(i: number): number {
    return this.pairs.get(i) ?? -1;
  }

  /** The TxnRecord a record came from, if the capture holds it. */
  txnOf(i: number): TxnRecord | null {
    const r = this.records[i];
    const n = r.kind === 'txn' ? r.txn : r.kind === 'frame' || r.kind === 'anomaly' ? r.txn : undefined;
    if (n === undefined) return null;
    const at = this.txnAt.get(n);
    const t = at === undefined ? undefined : this.records[at];
    return t?.kind === 'txn' ? t : null;
  }

  /** First record index whose start time is >= tNs. */
  lowerBound(tNs: number): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.start[mid] < tNs) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** A line's level at a time: the last change at or before it (0 before any change). */
  levelAt(line: LineName, tNs: number): number {
    const l = this.lines[line];
    let lo = 0;
    let hi = l.t.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (l.t[mid] <= tNs) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? 0 : l.level[lo - 1];
  }
}
