/**
 * Paces a record stream against the wall clock: a record at virtual time t goes out at wall time
 * t / speed after the start (speed 1 = real time, 10 = ten times faster, Infinity = as fast as the
 * simulator runs). Batches are split at 1 ms of wall time, so a dense batch is not sent early and
 * a slow clock tick does not send records one by one.
 *
 * Emits sub-batches of the input, in order; `virtualNowNs()` is where the paced clock stands (for
 * keepalives between records).
 *
 * Example: const p = new Pacer(1); for await (const b of p.pace(run.records)) send(b);
 */
import type { BuddyRecord } from '../../records/types.ts';

const SLICE_MS = 1;

export class Pacer {
  private t0 = 0;
  private lastNs = 0;
  private cancelled = false;
  private wake: (() => void) | null = null;

  constructor(readonly speed: number, private readonly now: () => number = () => performance.now()) {
    if (!(speed > 0)) throw new RangeError(`speed must be positive (got ${speed})`);
  }

  /** Ends pace() now, cutting a wait short (Ctrl-C while the scenario idles). */
  cancel(): void {
    this.cancelled = true;
    this.wake?.();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.wake = null;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(t);
        this.wake = null;
        resolve();
      };
    });
  }

  virtualNowNs(): number {
    if (!Number.isFinite(this.speed)) return this.lastNs;
    return Math.max(this.lastNs, Math.round((this.now() - this.t0) * this.speed * 1e6));
  }

  async *pace(batches: AsyncIterable<readonly BuddyRecord[]>): AsyncGenerator<BuddyRecord[]> {
    this.t0 = this.now();
    this.lastNs = 0;
    for await (const batch of batches) {
      if (this.cancelled) return;
      if (batch.length === 0) continue;
      if (!Number.isFinite(this.speed)) {
        this.lastNs = batch[batch.length - 1].startNs;
        yield batch.slice();
        continue;
      }
      let i = 0;
      while (i < batch.length) {
        const wait = this.t0 + batch[i].startNs / 1e6 / this.speed - this.now();
        if (wait > SLICE_MS / 2) await this.sleep(wait);
        if (this.cancelled) return;
        const horizonNs = (this.now() - this.t0 + SLICE_MS) * this.speed * 1e6;
        let j = i + 1;
        while (j < batch.length && batch[j].startNs <= horizonNs) j++;
        this.lastNs = batch[j - 1].startNs;
        yield batch.slice(i, j);
        i = j;
      }
    }
  }
}
