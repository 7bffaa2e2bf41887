/**
 * Accumulates what `decode`, `capture` and `view` report at the end: records per kind and channel,
 * anomalies per code, the capture's time span, and the SPI mode used.
 *
 * Some anomaly records stand for many occurrences (a tally with `count`: values read as 0,
 * analyzer error rows, bad bridge packets); their counts are summed in `tallies` and shown with
 * the record count: `anomalies 1: unknown-values 1 (3 values)`.
 */
import { channelName } from '../protocol/constants.ts';
import type { BuddyRecord, FrameRecord, LinkRecord } from '../records/types.ts';

export interface RecordSummary {
  input: string;
  format: string;
  records: number;
  kinds: Record<string, number>;
  channels: Record<string, number>;
  anomalies: Record<string, number>;
  /** For tally codes (TALLY_UNITS): the sum of their records' `count`. */
  tallies: Record<string, number>;
  firstNs: number | null;
  lastNs: number | null;
  durationNs: number;
  spiMode: string | null;
  messages: number;
  /** Why the link stage did not run, when it did not (one data line, words not 8 bits). */
  link: string | null;
  /** The link protocol decoded (its id), once known; null for inputs already decoded (pcapng). */
  protocol: string | null;
}

/** Anomaly codes whose one record counts many occurrences, and what one occurrence is. */
export const TALLY_UNITS: Readonly<Record<string, readonly [string, string]>> = {
  'unknown-values': ['value', 'values'],
  'analyzer-errors': ['row', 'rows'],
  'bad-packets': ['packet', 'packets'],
};

/**
 * The channel a frame is counted under: 'idle', or what it carries ('control', 'ethernet', ...);
 * null for a link record that is not a frame of its own (a message reassembled from counted frames).
 */
export function channelOf(r: FrameRecord | LinkRecord): string | null {
  if (r.kind === 'link') return r.layer === 'message' ? null : r.channel;
  return r.channel === 0 && r.payload.length === 0 ? 'idle' : channelName(r.channel);
}

export function newSummary(input: string, format: string): RecordSummary {
  return { input, format, records: 0, kinds: {}, channels: {}, anomalies: {}, tallies: {}, firstNs: null, lastNs: null, durationNs: 0, spiMode: null, messages: 0, link: null, protocol: null };
}

export function addToSummary(s: RecordSummary, batch: readonly BuddyRecord[]): void {
  for (const r of batch) {
    s.records++;
    s.kinds[r.kind] = (s.kinds[r.kind] ?? 0) + 1;
    if (s.firstNs === null || r.startNs < s.firstNs) s.firstNs = r.startNs;
    if (s.lastNs === null || r.endNs > s.lastNs) s.lastNs = r.endNs;
    if (r.kind === 'frame' || r.kind === 'link') {
      const c = channelOf(r);
      if (c !== null) s.channels[c] = (s.channels[c] ?? 0) + 1;
      if (r.kind === 'frame' ? r.message !== undefined : r.whole) s.messages++;
    } else if (r.kind === 'anomaly') {
      s.anomalies[r.code] = (s.anomalies[r.code] ?? 0) + 1;
      if (TALLY_UNITS[r.code]) s.tallies[r.code] = (s.tallies[r.code] ?? 0) + (r.count ?? 1);
    }
  }
  s.durationNs = s.firstNs === null || s.lastNs === null ? 0 : s.lastNs - s.firstNs;
}

/**
 * A record's time in lists (the TUI's list and detail pane, decode's table): µs from capture start
 * (the records' own time base, the one the detail tree and filters use too), to the ns.
 * Example: captureTime(50_089_600) -> '50089.600 µs'.
 */
export function captureTime(ns: number): string {
  return `${captureMicros(ns)} µs`;
}

/** The number alone, for spans that give the unit once: "250.000–260.000 µs". */
export function captureMicros(ns: number): string {
  return (ns / 1000).toFixed(3);
}

export function formatDuration(ns: number): string {
  if (ns < 1e3) return `${ns.toFixed(0)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(1)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(3)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

export function summaryLines(s: RecordSummary): string[] {
  const list = (o: Record<string, number>): string => Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}${tallyText(s, k)}`).join(', ') || 'none';
  const anomalies = Object.values(s.anomalies).reduce((a, b) => a + b, 0);
  const frames = Object.values(s.channels).reduce((a, b) => a + b, 0);
  return [
    `${s.input} (${s.format}): ${s.records} records over ${formatDuration(s.durationNs)}`,
    `  transactions ${s.kinds.txn ?? 0}, frames ${frames} (${list(s.channels)}), messages ${s.messages}, line events ${s.kinds.line ?? 0}`,
    `  anomalies ${anomalies}${anomalies ? `: ${list(s.anomalies)}` : ''}`,
    ...(s.spiMode ? [`  SPI ${s.spiMode}`] : []),
    ...(s.link ? [`  link not decoded: ${s.link}`]
      : s.anomalies['no-link-frames'] && !frames ? ['  no buddy link frames found: the transactions are not the buddy link, or the SPI mode is wrong (--mode)'] : []),
    // The buddy link is the default; another protocol is named.
    ...(s.protocol && s.protocol !== 'buddy' ? [`  link protocol ${s.protocol}`] : []),
  ];
}

/** " (3 values)" after a tally code's record count; "" for other codes. */
function tallyText(s: RecordSummary, code: string): string {
  const units = TALLY_UNITS[code];
  const n = s.tallies[code];
  if (!units || n === undefined) return '';
  return ` (${n} ${n === 1 ? units[0] : units[1]})`;
}
