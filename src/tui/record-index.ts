/**
 * The viewer's record index: every record of a capture, plus compact per-record arrays (start time,
 * lane, direction) and sparse running totals (records per lane, frame bytes per direction) that the
 * list, the timeline strip and the filter read without touching the record objects. It also keeps
 * the capture summary (records per channel, anomalies, duration) current as batches arrive. Built incrementally: `append(batch)` as batches arrive from the
 * record stream, so a live capture can keep appending. Also links control requests to their replies
 * (by request id), maps SPI transaction numbers to their TxnRecord, and keeps READY/IRQ levels.
 *
 * Records are assumed to arrive in time order (the link stage emits them so); lookups by time use a
 * binary search over start times.
 *
 * A live view keeps a bounded window: `dropOldest(n)` forgets the first n records and renumbers the
 * rest from 0 (record i becomes i - n), rebuilding the arrays and totals over what is kept (O(kept),
 * so callers drop in chunks); `dropped` counts the records forgotten so far, and the summary then
 * describes the window. Trace message names already resolved are kept.
 *
 * Example:
 *   const index = new RecordIndex();
 *   for await (const batch of opened.records) index.append(batch);
 *   index.summaryText(0)   // 'hello #1 protocol=1 ...'
 *   index.pairOf(0)        // index of the `ok #1` reply, or -1
 */
import { channelOf, newSummary, type RecordSummary } from '../records/summary.ts';
import { Describer, isContextual, laneOf, pairKeyOf, wireBytesOf } from '../link/describe.ts';
import { isResetAnomaly } from '../link/registry.ts';
import type { Lane } from '../records/describe.ts';
import type { BuddyRecord, LineName, TxnRecord } from '../records/types.ts';
import { RawView } from '../records/raw-view.ts';
import { Series } from './series.ts';

export const LANE_CODES: readonly Lane[] = ['control', 'ethernet', 'trace', 'ble', 'reserved', 'idle', 'line', 'anomaly', 'txn'];
const LANE_CODE: Readonly<Record<Lane, number>> = Object.fromEntries(LANE_CODES.map((l, i) => [l, i])) as Record<Lane, number>;

/** Lanes the strip counts records of. */
export const STRIP_COUNT_LANES: readonly Lane[] = ['control', 'ethernet', 'trace', 'ble', 'anomaly'];

/** Direction codes in `dirCode`: 0 none, 1 cpu-to-buddy (MOSI), 2 buddy-to-cpu (MISO). */
export const DIR_NONE = 0;
export const DIR_MOSI = 1;
export const DIR_MISO = 2;

/** Level changes of one side-band line, in time order. */
export interface LineLevels {
  readonly t: number[];
  readonly level: number[];
}

function grow<T extends Float64Array | Uint8Array>(a: T, need: number, make: (n: number) => T): T {
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
  /** 1 for a transaction listed by default: there is no link layer to read it through (see RawView). */
  private rawArr = new Uint8Array(1024);
  private readonly rawView: RawView;
  /**
   * Sparse series for the timeline strip: records per counted lane, and wire bytes of non-idle
   * frames per direction. A strip cell is two binary searches, however many records it covers.
   */
  private laneSeries = STRIP_COUNT_LANES.map(() => new Series());
  private mosiSeries = new Series();
  private misoSeries = new Series();
  private readonly summaries: (string | undefined)[] = [];
  private readonly describer = new Describer();
  /** Record index of each transaction number - txnBase, + 1 (0: not seen); numbers are dense. */
  private txnAt = new Int32Array(1024);
  /** The transaction number txnAt[0] stands for (the first kept one, once records were dropped). */
  private txnBase = 0;
  /** True while dropOldest re-appends the kept records (stream-order state is not observed twice). */
  private replaying = false;
  /** Records forgotten from the front by dropOldest, in total. */
  dropped = 0;
  private readonly pairs = new Map<number, number>();
  /** Requests waiting for their reply, by pair key (see RecordViews.pairKey). */
  private readonly pending = new Map<string, number>();
  readonly lines: Readonly<Record<LineName, LineLevels>> = {
    ready: { t: [], level: [] }, irq: { t: [], level: [] }, reset: { t: [], level: [] }, cs: { t: [], level: [] },
  };
  /** What the link protocol calls a side-band line, when it named it (LineRecord.label). */
  readonly lineLabels: Partial<Record<LineName, string>> = {};
  /** Counters behind `summary` (kept here: the shared addToSummary costs more than the rest of append). */
  private readonly channelCount = new Map<string, number>();
  private messageCount = 0;
  private readonly anomalyCount = new Map<string, number>();
  private minStart = Infinity;
  private maxEnd = -Infinity;
  /** Records per lane over the whole capture (the strip only draws lanes that have any). */
  readonly laneTotals = new Uint32Array(LANE_CODES.length);
  /** Set by the loader: true once the stream has ended. */
  done = false;
  /** Set by the loader when the stream failed (the records before the fault stay). */
  error: string | null = null;

  constructor(summaryOrInput: RecordSummary | string = 'capture') {
    this.summary = typeof summaryOrInput === 'string' ? newSummary(summaryOrInput, 'records') : summaryOrInput;
    this.rawView = new RawView(this.summary.link !== null);
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
    this.rawArr = grow(this.rawArr, need, (n) => new Uint8Array(n));
    const countSlot = LANE_CODES.map((l) => STRIP_COUNT_LANES.indexOf(l));
    for (let k = 0; k < batch.length; k++) {
      const r = batch[k];
      const i = base + k;
      this.records.push(r);
      this.start[i] = r.startNs;
      if (r.startNs < this.minStart) this.minStart = r.startNs;
      if (r.endNs > this.maxEnd) this.maxEnd = r.endNs;
      const lane = LANE_CODE[laneOf(r)];
      this.laneArr[i] = lane;
      // Re-appended records keep their value (dropOldest moved it): the anomaly that set it may be gone.
      if (!this.replaying) this.rawArr[i] = this.rawView.shows(r) ? 1 : 0;
      this.laneTotals[lane]++;
      const slot = countSlot[lane];
      if (slot >= 0) this.laneSeries[slot].add(i);
      if (r.kind === 'frame' || r.kind === 'link') {
        this.dirArr[i] = r.dir === 'cpu-to-buddy' ? DIR_MOSI : DIR_MISO;
        const channel = channelOf(r);
        if (channel !== null) this.channelCount.set(channel, (this.channelCount.get(channel) ?? 0) + 1);
        const bytes = wireBytesOf(r);
        if (bytes > 0) (r.dir === 'cpu-to-buddy' ? this.mosiSeries : this.misoSeries).add(i, bytes);
        if (r.kind === 'frame' ? r.message !== undefined : r.whole) this.messageCount++;
        this.noteMessage(r, i);
      } else if (r.kind === 'txn') {
        const n = r.txn - this.txnBase;
        if (n >= 0 && n < 0x4000000) {
          if (n >= this.txnAt.length) {
            const b = new Int32Array(Math.max(n + 1, this.txnAt.length * 2));
            b.set(this.txnAt);
            this.txnAt = b;
          }
          this.txnAt[n] = i + 1;
        }
      } else if (r.kind === 'line') {
        if (!this.replaying) {
          const l = this.lines[r.line];
          if (r.label) this.lineLabels[r.line] = r.label;
          l.t.push(r.startNs);
          l.level.push(r.level);
        }
      } else if (r.dir) {
        this.dirArr[i] = r.dir === 'cpu-to-buddy' ? DIR_MOSI : DIR_MISO;
      }
      if (r.kind === 'anomaly') {
        this.anomalyCount.set(r.code, (this.anomalyCount.get(r.code) ?? 0) + 1);
        if (isResetAnomaly(r.code)) {
          if (!this.replaying) this.describer.observe(r);
          this.pending.clear();
        }
      }
    }
    this.updateSummary(batch.length);
  }

  /**
   * Forgets the oldest n records (a live window): the rest are renumbered from 0 and the arrays,
   * series, links and totals rebuilt over them. Line levels keep the last change before the window,
   * so the strip still knows READY's level at its left edge.
   */
  dropOldest(n: number): void {
    n = Math.min(Math.max(0, Math.floor(n)), this.records.length);
    if (n === 0) return;
    const kept = this.records.slice(n);
    const names = this.summaries.slice(n);
    const firstNs = kept.length ? kept[0].startNs : Infinity;
    for (const l of Object.values(this.lines)) {
      let lo = 0;
      while (lo < l.t.length && l.t[lo] < firstNs) lo++;
      const cut = Math.max(0, lo - 1);
      l.t.splice(0, cut);
      l.level.splice(0, cut);
    }
    this.records.length = 0;
    this.summaries.length = 0;
    this.dirArr.fill(DIR_NONE); // only frames and anomalies with a direction write theirs
    this.laneSeries = STRIP_COUNT_LANES.map(() => new Series());
    this.mosiSeries = new Series();
    this.misoSeries = new Series();
    let minTxn = Infinity;
    for (const r of kept) if (r.kind === 'txn' && r.txn >= 0 && r.txn < minTxn) minTxn = r.txn;
    this.txnBase = minTxn === Infinity ? 0 : minTxn;
    this.txnAt = new Int32Array(1024);
    this.pairs.clear();
    this.pending.clear();
    this.channelCount.clear();
    this.messageCount = 0;
    this.anomalyCount.clear();
    this.minStart = Infinity;
    this.maxEnd = -Infinity;
    this.laneTotals.fill(0);
    const s = this.summary;
    s.records = 0;
    s.kinds = {};
    s.firstNs = null;
    s.lastNs = null;
    s.durationNs = 0;
    this.rawArr.copyWithin(0, n, n + kept.length);
    this.replaying = true;
    try {
      this.append(kept);
    } finally {
      this.replaying = false;
    }
    for (let i = 0; i < names.length; i++) if (names[i] !== undefined) this.summaries[i] = names[i];
    this.dropped += n;
  }

  /** Writes the counters into the shared summary, in the shape addToSummary gives. */
  private updateSummary(added: number): void {
    const s = this.summary;
    s.records += added;
    const t = this.laneTotals;
    const kinds = { txn: t[LANE_CODE.txn], line: t[LANE_CODE.line], anomaly: t[LANE_CODE.anomaly], frame: 0 };
    kinds.frame = this.records.length - kinds.txn - kinds.line - kinds.anomaly;
    for (const [k, v] of Object.entries(kinds)) if (v) s.kinds[k] = v;
    s.channels = Object.fromEntries(this.channelCount);
    s.anomalies = Object.fromEntries(this.anomalyCount);
    s.messages = this.messageCount;
    if (this.minStart !== Infinity) {
      s.firstNs = this.minStart;
      s.lastNs = this.maxEnd;
      s.durationNs = this.maxEnd - this.minStart;
    }
  }

  private noteMessage(r: BuddyRecord, i: number): void {
    if (isContextual(r)) {
      if (this.replaying) return; // observed and named when it first arrived
      this.describer.observe(r);
      // Its summary depends on what came before (a trace callsite registered this boot): made now.
      this.summaries[i] = this.describer.summary(r);
      return;
    }
    if (!this.replaying) this.describer.observe(r);
    const pair = pairKeyOf(r);
    if (!pair) return;
    if (pair.role === 'request') {
      this.pending.set(pair.key, i);
    } else {
      const req = this.pending.get(pair.key);
      if (req !== undefined) {
        this.pending.delete(pair.key);
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
  /** Idle frames and raw transactions: hidden from the list unless asked for. */
  hiddenByDefault(i: number): boolean {
    const l = this.laneArr[i];
    return l === LANE_CODE.idle || (l === LANE_CODE.txn && this.rawArr[i] === 0);
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
      s = this.describer.summary(this.records[i]);
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
    const t = r.kind === 'line' ? undefined : r.txn;
    if (t === undefined) return null;
    const n = t - this.txnBase;
    const at = n >= 0 && n < this.txnAt.length ? this.txnAt[n] - 1 : -1;
    const found = at < 0 ? undefined : this.records[at];
    return found?.kind === 'txn' ? found : null;
  }

  /** Records of a strip lane (one of STRIP_COUNT_LANES) among records [from, to). */
  countBetween(lane: number, from: number, to: number): number {
    return this.laneSeries[lane].sumBetween(from, to);
  }

  /** Wire bytes of non-idle frames in a direction among records [from, to). */
  bytesBetween(dir: typeof DIR_MOSI | typeof DIR_MISO, from: number, to: number): number {
    return (dir === DIR_MOSI ? this.mosiSeries : this.misoSeries).sumBetween(from, to);
  }

  /** First record index whose start time is >= tNs. */
  lowerBound(tNs: number): number {
    return this.firstStarting((t) => t >= tNs);
  }

  /** First record index whose start time is > tNs. */
  upperBound(tNs: number): number {
    return this.firstStarting((t) => t > tNs);
  }

  /** Binary search over the start times (sorted), for the first that `after` holds for. */
  private firstStarting(after: (t: number) => boolean): number {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (after(this.start[mid])) hi = mid;
      else lo = mid + 1;
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
