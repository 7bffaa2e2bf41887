/**
 * Per-direction state of the link decoder: sequence tracking, fragment reassembly, and the credit
 * bookkeeping that checks the sender against the peer's advertised window.
 */
import { Reassembler } from '../../protocol/fragment.ts';
import { SequenceTracker, seqDistance } from '../../protocol/sequence.ts';
import type { Direction } from '../../records/types.ts';

export class DirectionState {
  readonly seq = new SequenceTracker();
  readonly reassembly = new Reassembler();
  /** Seqs of credited frames this side sent that the peer has not yet acked. */
  private unacked: number[] = [];
  /** Last credit and ack the *peer* advertised (what limits this side). */
  private peerCredit: number | null = null;
  private peerAck: number | null = null;

  constructor(readonly dir: Direction) {}

  /** The peer's header arrived: drop acknowledged frames and remember its window. */
  peerWindow(ack: number | null, credit: number): void {
    this.peerCredit = credit;
    if (ack === null) return;
    this.peerAck = ack;
    // Keep only frames sent after `ack` (distance from ack is in 1..half the space).
    this.unacked = this.unacked.filter((s) => {
      const d = seqDistance(ack, s);
      return d > 0 && d < 0x8000;
    });
  }

  /** A credited frame from this side: returns the overrun if it exceeded the peer's window. */
  sentCredited(seq: number): { outstanding: number; credit: number } | null {
    const credit = this.peerCredit;
    const outstanding = this.unacked.length;
    this.unacked.push(seq);
    if (credit === null) return null;
    return outstanding >= credit ? { outstanding, credit } : null;
  }

  get lastPeerAck(): number | null {
    return this.peerAck;
  }

  reset(): void {
    this.seq.reset();
    this.reassembly.abandon('link reset');
    this.unacked = [];
    this.peerCredit = null;
    this.peerAck = null;
  }
}
