/**
 * What a source reader tolerated but counted (SourceStats: VCD `x`/`z` and CSV `X` values read as
 * 0, Saleae analyzer `error` rows), made visible: once the records end, one anomaly record per kind
 * that occurred, with the count in `count` and the first occurrence in its text, so decode, the
 * TUI, pcapng and JSON all show it like any other anomaly.
 *
 * The counts are only complete when the reader is done, so the records come last, at the time the
 * capture ends (records stay in time order). A source that fails mid-file still gets them, before
 * its error: what was read before the fault was read with those oddities.
 *
 * Example: a VCD with 3 `x` values, the first at 1.2 µs, ending at 5 ms -> a last batch
 *   [{ kind: 'anomaly', code: 'unknown-values', count: 3, startNs: 5e6, endNs: 5e6,
 *      detail: '3 unknown values (x or z) read as 0, the first at 1.2 µs' }]
 */
import { formatDuration } from '../records/summary.ts';
import type { AnomalyRecord, BuddyRecord, RecordStream } from '../records/types.ts';
import type { SourceStats } from '../sources/types.ts';

export function tallyRecords(stats: SourceStats, atNs: number): AnomalyRecord[] {
  const out: AnomalyRecord[] = [];
  const first = (ns: number | null): string => (ns === null ? '' : `, the first at ${formatDuration(ns)}`);
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  if (stats.unknownValues > 0) {
    out.push({
      kind: 'anomaly', code: 'unknown-values', startNs: atNs, endNs: atNs, count: stats.unknownValues,
      detail: `${plural(stats.unknownValues, 'unknown value', 'unknown values')} (x or z) read as 0${first(stats.firstUnknownNs)}`,
    });
  }
  if (stats.analyzerErrors > 0) {
    out.push({
      kind: 'anomaly', code: 'analyzer-errors', startNs: atNs, endNs: atNs, count: stats.analyzerErrors,
      detail: `${plural(stats.analyzerErrors, 'analyzer row', 'analyzer rows')} of type "error" skipped${first(stats.firstAnalyzerErrorNs)}`,
    });
  }
  return out;
}

/** Passes `records` through, then adds the tallies of `stats` (also when the stream fails). */
export async function* withSourceTallies(records: RecordStream, stats: SourceStats | undefined): AsyncGenerator<readonly BuddyRecord[]> {
  if (!stats) return yield* records;
  let endNs = 0;
  const tallies = (): AnomalyRecord[] => {
    const first = Math.max(stats.firstUnknownNs ?? 0, stats.firstAnalyzerErrorNs ?? 0);
    return tallyRecords(stats, Math.max(endNs, first));
  };
  try {
    for await (const batch of records) {
      for (const r of batch) if (r.endNs > endNs) endNs = r.endNs;
      yield batch;
    }
  } catch (e) {
    const t = tallies();
    if (t.length > 0) yield t;
    throw e;
  }
  const t = tallies();
  if (t.length > 0) yield t;
}
