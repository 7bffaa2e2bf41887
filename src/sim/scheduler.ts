/**
 * Discrete-event scheduler in virtual nanoseconds. Events sit in a binary min-heap keyed by
 * (time, insertion order), so two events at the same instant run in the order they were scheduled:
 * that tie-break is what makes a run reproducible.
 *
 * Promise-style code (the scenario, the driver API) resumes on the microtask queue, outside the
 * event loop. Whoever resolves such a promise calls `wake()`; the run loop (run.ts) then lets the
 * microtasks drain before it runs the next event, so continuations see the virtual time at which
 * they were resumed.
 *
 * Example: const s = new Scheduler(); s.after(1_000, () => ...); while (s.step()) {}
 */
export interface Timer {
  readonly at: number;
  cancelled: boolean;
}

interface Entry extends Timer {
  readonly order: number;
  readonly fn: () => void;
}

export class Scheduler {
  private heap: Entry[] = [];
  private order = 0;
  private nowNs = 0;
  /** Set by `wake()`: a promise continuation is waiting to run at the current time. */
  woken = false;

  get now(): number {
    return this.nowNs;
  }

  get pending(): number {
    return this.heap.length;
  }

  /** Runs `fn` at absolute time `at` (clamped to now: the past is not schedulable). */
  at(at: number, fn: () => void): Timer {
    const e: Entry = { at: Math.max(Math.round(at), this.nowNs), order: this.order++, fn, cancelled: false };
    this.push(e);
    return e;
  }

  after(delayNs: number, fn: () => void): Timer {
    return this.at(this.nowNs + delayNs, fn);
  }

  /** A promise resolved at now + delay (for scenario code). */
  sleep(delayNs: number): Promise<void> {
    return new Promise((resolve) => this.after(delayNs, () => { this.wake(); resolve(); }));
  }

  wake(): void {
    this.woken = true;
  }

  /** Time of the next live event, or null when none is left. */
  peekTime(): number | null {
    while (this.heap.length && this.heap[0].cancelled) this.pop();
    return this.heap.length ? this.heap[0].at : null;
  }

  /**
   * Moves the clock to `t` with nothing run (an outside event, such as a replayed transaction, is
   * about to happen then). Only forward, and never past an event still due before `t`.
   */
  advanceTo(t: number): void {
    const next = this.peekTime();
    if (next !== null && next < t) throw new Error(`advanceTo(${t}) would skip an event due at ${next}`);
    this.nowNs = Math.max(this.nowNs, Math.round(t));
  }

  /** Runs the next live event; false when the queue is empty. */
  step(): boolean {
    for (;;) {
      const e = this.pop();
      if (!e) return false;
      if (e.cancelled) continue;
      this.nowNs = e.at;
      e.fn();
      return true;
    }
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    if (!h.length) return undefined;
    const top = h[0];
    const last = h.pop() as Entry;
    if (h.length) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && less(h[l], h[m])) m = l;
        if (r < h.length && less(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }
}

function less(a: Entry, b: Entry): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order);
}
