/**
 * A sparse, growable series over record indices: which records belong to it and a running total
 * of their weights. `sumBetween(a, b)` gives the total weight of its records among [a, b) with two
 * binary searches, so the timeline strip draws any window of any capture in constant-ish time while
 * appending costs nothing for records outside the series (the idle frames that dominate captures).
 *
 * Example: s.add(5, 100); s.add(9, 20); s.sumBetween(0, 9) === 100; s.sumBetween(0, 10) === 120
 */
export class Series {
  private pos = new Int32Array(256);
  /** cum[k]: total weight of the first k entries. */
  private cum = new Float64Array(257);
  private n = 0;

  get length(): number {
    return this.n;
  }

  /** Adds record `i` (indices must be added in increasing order). */
  add(i: number, weight = 1): void {
    if (this.n === this.pos.length) {
      const pos = new Int32Array(this.pos.length * 2);
      pos.set(this.pos);
      this.pos = pos;
      const cum = new Float64Array(pos.length + 1);
      cum.set(this.cum);
      this.cum = cum;
    }
    this.pos[this.n] = i;
    this.cum[this.n + 1] = this.cum[this.n] + weight;
    this.n++;
  }

  /** Entries with record index < i. */
  private before(i: number): number {
    let lo = 0;
    let hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pos[mid] < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  sumBetween(from: number, to: number): number {
    return this.cum[this.before(to)] - this.cum[this.before(from)];
  }
}
