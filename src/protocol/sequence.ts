/**
 * Per-direction sequence tracking. Sequence numbers are u16 and wrap on purpose; a forward
 * distance under half the space is a gap (frames lost), anything else is a repeat or a step back.
 */
import { SEQ_MODULO } from './constants.ts';

export type SeqVerdict =
  | { readonly kind: 'first' }
  | { readonly kind: 'in-order' }
  | { readonly kind: 'gap'; readonly lost: number; readonly expected: number }
  | { readonly kind: 'repeat'; readonly expected: number };

export function seqDistance(from: number, to: number): number {
  return (to - from + SEQ_MODULO) % SEQ_MODULO;
}
export function seqAdd(seq: number, n: number): number {
  return (seq + n) % SEQ_MODULO;
}

export class SequenceTracker {
  private expected: number | null = null;

  /** Checks `seq`; `consumes` is false for idle frames, which carry the next seq without using it. */
  observe(seq: number, consumes: boolean): SeqVerdict {
    const expected = this.expected;
    let verdict: SeqVerdict;
    if (expected === null) verdict = { kind: 'first' };
    else if (seq === expected) verdict = { kind: 'in-order' };
    else {
      const d = seqDistance(expected, seq);
      verdict = d < SEQ_MODULO / 2 ? { kind: 'gap', lost: d, expected } : { kind: 'repeat', expected };
    }
    // A repeat does not move the expectation back: a late duplicate must not hide later losses.
    if (verdict.kind !== 'repeat') this.expected = consumes ? seqAdd(seq, 1) : seq;
    return verdict;
  }

  reset(): void {
    this.expected = null;
  }

  get next(): number | null {
    return this.expected;
  }
}
