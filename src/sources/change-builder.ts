/**
 * Accumulates signal changes into fixed-capacity ChangeBatch arrays.
 *
 * `set(t, state)` records that the channels took `state` at time `t`. Several calls at the same
 * time collapse into one change (the last state wins), and a state equal to the previous one is
 * not a change and is dropped. The latest change is held back ("pending") until a later time
 * arrives, so that a batch boundary never splits one instant into two entries with equal times.
 *
 * Readers call `set` in their tight loop, check `full`, and `yield builder.take()`; at the end
 * `finish()` returns the last partial batch (or null).
 *
 * Example: set(0, 0b1000); set(50, 0b1001); set(50, 0b1011); take() -> times [0], later [50] with 0b1011.
 */
import type { ChangeBatch } from '../signals/types.ts';
import { uninitFloat64, uninitUint32 } from './uninit-arrays.ts';

export const DEFAULT_BATCH_CAPACITY = 65536;

export class ChangeBuilder {
  private times: Float64Array;
  private states: Uint32Array;
  length = 0;
  private hasPending = false;
  private pendingTime = 0;
  private pendingState = 0;
  /** Last state committed to any batch, or -1 before the first. */
  private lastState = -1;

  constructor(private readonly capacity = DEFAULT_BATCH_CAPACITY) {
    this.times = new Float64Array(capacity);
    this.states = new Uint32Array(capacity);
  }

  get full(): boolean {
    return this.length >= this.capacity;
  }

  /** Time of the pending (latest) change, or -Infinity before any. */
  get lastTime(): number {
    return this.hasPending ? this.pendingTime : this.length > 0 ? this.times[this.length - 1] : -Infinity;
  }

  set(t: number, state: number): void {
    if (this.hasPending) {
      if (t === this.pendingTime) {
        this.pendingState = state;
        return;
      }
      this.commit();
    }
    this.hasPending = true;
    this.pendingTime = t;
    this.pendingState = state;
  }

  private commit(): void {
    this.hasPending = false;
    const s = this.pendingState >>> 0;
    if (s === this.lastState) return;
    this.lastState = s;
    if (this.length === this.times.length) this.grow();
    this.times[this.length] = this.pendingTime;
    this.states[this.length] = s;
    this.length++;
  }

  // Only reached when a caller skipped its `full` check: keep the data rather than overrun.
  private grow(): void {
    const times = new Float64Array(this.times.length * 2);
    const states = new Uint32Array(this.states.length * 2);
    times.set(this.times);
    states.set(this.states);
    this.times = times;
    this.states = states;
  }

  /** Hands over the committed changes (not the pending one) and starts a fresh batch. */
  take(): ChangeBatch {
    const batch: ChangeBatch = { times: this.times, states: this.states, length: this.length };
    this.times = uninitFloat64(this.capacity);
    this.states = uninitUint32(this.capacity);
    this.length = 0;
    return batch;
  }

  /** Commits the pending change and returns what is left, or null when empty. */
  finish(): ChangeBatch | null {
    if (this.hasPending) this.commit();
    return this.length > 0 ? this.take() : null;
  }
}
