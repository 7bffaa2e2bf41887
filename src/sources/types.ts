/**
 * What a source reader hands to the rest of the pipeline.
 *
 * A source is either signal-level (`signals`: edges on named channels, for the SPI stage to decode)
 * or already-decoded SPI (`transactions`, from a logic analyzer's own SPI analyzer export). Times are
 * ns from capture start as float64. Batches are pulled lazily: the file is read as they are consumed,
 * and a malformed file throws a SourceError from the iterator after the good batches before the fault.
 *
 * Example: `{ kind: 'signals', info: { channels: ['CLK', 'MOSI'], source: 'x.vcd' }, batches }`.
 */
import type { ChangeBatch, SignalInfo } from '../signals/types.ts';
import type { SpiTransaction } from '../spi/types.ts';

export type SourceStream =
  | { kind: 'signals'; info: SignalInfo; batches: AsyncIterable<ChangeBatch>; stats?: SourceStats }
  | {
      kind: 'transactions';
      source: string;
      batches: AsyncIterable<readonly SpiTransaction[]>;
      stats?: SourceStats;
    };

/**
 * Counters a reader fills in while its batches are consumed: oddities in the file that were
 * tolerated rather than fatal, so a caller can report them once iteration ends (see
 * src/pipeline/source-tallies.ts, which turns them into anomaly records).
 */
export interface SourceStats {
  /** VCD `x`/`z` or CSV `X` values, read as 0. */
  unknownValues: number;
  /** Time (ns from capture start) of the first of them, null before any. */
  firstUnknownNs: number | null;
  /** Saleae analyzer rows of type `error`. */
  analyzerErrors: number;
  firstAnalyzerErrorNs: number | null;
}

export function newStats(): SourceStats {
  return { unknownValues: 0, firstUnknownNs: null, analyzerErrors: 0, firstAnalyzerErrorNs: null };
}

/** Counts `n` unknown values read at time `t`; kept out of the readers' loops (called only when n > 0). */
export function countUnknown(stats: SourceStats, n: number, t: number): void {
  if (stats.unknownValues === 0) stats.firstUnknownNs = t;
  stats.unknownValues += n;
}

export type SourceFormat = 'vcd' | 'saleae-csv' | 'saleae-analyzer' | 'sigrok-sr' | 'saleae-bin';

export const SOURCE_FORMATS: readonly SourceFormat[] = [
  'vcd',
  'saleae-csv',
  'saleae-analyzer',
  'sigrok-sr',
  'saleae-bin',
];

export interface OpenSourceOptions {
  /** Skip detection and read as this format. */
  format?: SourceFormat;
  /** Saleae analyzer table: which analyzer (value of the `name` column) to read. */
  analyzer?: string;
  /** sigrok .sr: cap on total decompressed bytes (default 16 GiB). */
  maxDecompressedBytes?: number;
  /** Saleae analyzer table without enable rows: gap that splits transactions (default: see reader). */
  transactionGapNs?: number;
}
