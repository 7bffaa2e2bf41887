/**
 * The handshake and data-ready GPIO rules, as the slave drivers implement them:
 *   handshake  high once the ESP has queued its next transaction (post_setup_cb), low when one ends
 *              (post_trans_cb, or at CS assertion); the host must start a transaction only while
 *              it is high, or the ESP is not listening and both frames are lost.
 *   data-ready high when the ESP queues a frame for the host, low when it prepares a transaction
 *              and finds nothing queued; so it falls after the transaction that took the last frame.
 * A level is unknown until its line's first edge, and nothing is checked against an unknown level.
 */
import type { EspLine } from './records.ts';

export class LineMonitor {
  private handshake: 0 | 1 | undefined;
  private dataReady: 0 | 1 | undefined;
  private framesSinceReady = 0;
  private readySinceNs = 0;

  /** Applies an edge; returns a problem text when it breaks a rule. */
  edge(line: EspLine, level: 0 | 1, timeNs: number): string | undefined {
    if (line === 'handshake') {
      this.handshake = level;
      return undefined;
    }
    const was = this.dataReady;
    this.dataReady = level;
    if (level === 1 && was !== 1) {
      this.framesSinceReady = 0;
      this.readySinceNs = timeNs;
    }
    if (level === 0 && was === 1 && this.framesSinceReady === 0) {
      return `data-ready fell after ${((timeNs - this.readySinceNs) / 1000).toFixed(1)} µs high with no ESP→host frame clocked`;
    }
    return undefined;
  }

  /** At a transaction's start: the problem if the handshake line was low. */
  transactionStart(): string | undefined {
    return this.handshake === 0 ? 'transaction started while handshake was low (the ESP had no transaction queued)' : undefined;
  }

  /** An ESP→host frame was clocked. */
  espFrame(): void {
    this.framesSinceReady++;
  }
}
