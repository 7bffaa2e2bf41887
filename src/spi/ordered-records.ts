/**
 * Holds records until no later-produced record can precede them, then releases them in startNs
 * order. The SPI decoder produces a TxnRecord only at CS release, after the line edges inside it;
 * this queue puts the transaction first, so every stage downstream sees records by start time.
 *
 * Consumes: `push(record)` in production order; `release(watermark)` returns (stable-sorted by
 * startNs) every held record starting before `watermark`, the earliest start of anything still
 * open (Infinity at end of stream). Ties keep production order.
 *
 * Example: push(line@300), push(txn@100..900); release(Infinity) -> [txn@100, line@300]
 */
import type { BuddyRecord } from '../records/types.ts';

export class OrderedRecords {
  private held: BuddyRecord[] = [];

  push(r: BuddyRecord): void {
    this.held.push(r);
  }

  release(watermark: number): BuddyRecord[] {
    const held = this.held;
    if (held.length === 0) return [];
    let sorted = true;
    for (let k = 1; k < held.length; k++) {
      if (held[k].startNs < held[k - 1].startNs) {
        sorted = false;
        break;
      }
    }
    if (!sorted) held.sort((a, b) => a.startNs - b.startNs); // Array.prototype.sort is stable
    let n = 0;
    while (n < held.length && held[n].startNs < watermark) n++;
    if (n === held.length) {
      this.held = [];
      return held;
    }
    return held.splice(0, n);
  }
}
