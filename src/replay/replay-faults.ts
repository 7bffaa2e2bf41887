/**
 * The bus hooks during a replay. Bit flips and CS cuts already happened on the captured wire, so
 * nothing is flipped again; instead every transaction is cut to its captured length (a longer
 * simulated frame is clocked only as far as the CPU clocked it), and the buddy's watchdog fires in
 * the transactions where the capture shows it did (CaptureFacts.crashTxns).
 */
import type { BusFaults } from '../sim/bus.ts';

export class ReplayFaults implements BusFaults {
  /** Byte count of the captured transaction being replayed, set before each transfer. */
  capturedLength = 0;
  /** Index of the captured transaction being replayed. */
  capturedIndex = -1;
  crashes = 0;
  private readonly crashAt: ReadonlySet<number>;

  constructor(crashTxns: readonly number[]) {
    this.crashAt = new Set(crashTxns);
  }

  flip(): number {
    return 0;
  }

  cutAfter(totalBytes: number): number | null {
    return this.capturedLength > 0 && totalBytes > this.capturedLength ? this.capturedLength : null;
  }

  crashMidTransfer(): boolean {
    if (!this.crashAt.has(this.capturedIndex)) return false;
    this.crashes++;
    return true;
  }
}
