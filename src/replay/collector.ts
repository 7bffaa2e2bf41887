/**
 * Collects a replay's findings as it runs: every divergence is counted, the first `keep` are kept
 * whole, and the captured transactions just before the first one are kept as its context. Only a
 * ring of the last few captured transactions is held (as references; described only when needed).
 */
import type { Direction } from '../records/types.ts';
import type { CapturedTxn } from './captured.ts';
import { describeFrameBytes, type Divergence } from './compare.ts';

export interface ContextLine {
  readonly txn: number;
  readonly atNs: number;
  readonly mosi: string;
  readonly miso: string;
}

export class DivergenceCollector {
  readonly kept: Divergence[] = [];
  total = 0;
  context: ContextLine[] = [];
  private readonly ring: CapturedTxn[] = [];

  constructor(private readonly keep: number, private readonly contextSize = 5) {}

  /** A captured transaction was replayed (call before adding its divergences). */
  saw(t: CapturedTxn): void {
    if (this.total > 0) return;
    this.ring.push(t);
    if (this.ring.length > this.contextSize + 1) this.ring.shift();
  }

  add(ds: readonly Divergence[]): void {
    for (const d of ds) {
      if (this.total === 0) this.context = this.ring.filter((t) => t.index < d.txn).slice(-this.contextSize).map(describeTxn);
      this.total++;
      if (this.kept.length < this.keep) this.kept.push(d);
    }
  }
}

function describeTxn(t: CapturedTxn): ContextLine {
  const side = (b: Uint8Array | null, dir: Direction): string => (b ? describeFrameBytes(b, t.index, dir) : 'not in the capture');
  return { txn: t.index, atNs: t.startNs, mosi: side(t.mosi, 'cpu-to-buddy'), miso: side(t.miso, 'buddy-to-cpu') };
}
