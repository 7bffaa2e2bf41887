/**
 * A naive, independent signal builder for SPI tests: set channel levels at times by hand, clock
 * bytes in a given mode bit by bit, and cut the result into ChangeBatches. Shares no code with
 * src/spi/render.ts, so decoder tests do not trust the renderer.
 */
import type { ChangeBatch, ChannelMap } from '../../src/signals/types.ts';
import type { BuddyRecord } from '../../src/records/types.ts';

/** A channel layout unlike the renderer's, to exercise the channel map. */
export const MAP: ChannelMap = { cs: 0, sck: 1, mosi: 2, miso: 3, ready: 4, irq: 5, reset: 6 };
export const NO_CS: ChannelMap = { ...MAP, cs: -1 };

export class SignalBuilder {
  private readonly changes: [number, number][] = [];
  private level: number;

  constructor(initial: Partial<Record<'cs' | 'sck' | 'mosi' | 'miso' | 'ready' | 'irq' | 'reset', 0 | 1>>) {
    this.level = 0;
    for (const [role, v] of Object.entries(initial)) if (v) this.level |= 1 << MAP[role as keyof ChannelMap];
    this.changes.push([0, this.level]);
  }

  get lastTime(): number {
    return this.changes[this.changes.length - 1][0];
  }

  set(t: number, role: keyof ChannelMap, v: 0 | 1): this {
    if (t < this.lastTime) throw new Error(`builder: time ${t} before ${this.lastTime}`);
    const bit = 1 << MAP[role];
    this.level = v ? this.level | bit : this.level & ~bit;
    const last = this.changes[this.changes.length - 1];
    if (last[0] === t) last[1] = this.level;
    else this.changes.push([t, this.level]);
    return this;
  }

  /**
   * Clock `n` bits of `mosi`/`miso` (MSB first of an n-bit value) in SPI mode 0 or 3 style:
   * data set at t, sampling edge at t + period/2, clock back at t + period. Returns the end time.
   */
  bits(t: number, period: number, n: number, mosi: number, miso: number, cpol: 0 | 1 = 0): number {
    for (let k = n - 1; k >= 0; k--) {
      this.set(t, 'mosi', ((mosi >> k) & 1) as 0 | 1).set(t, 'miso', ((miso >> k) & 1) as 0 | 1);
      this.set(t + period / 2, 'sck', (1 - cpol) as 0 | 1);
      this.set(t + period, 'sck', cpol);
      t += period;
    }
    return t;
  }

  /** Everything set so far, as one batch. */
  batch(): ChangeBatch {
    return {
      times: Float64Array.from(this.changes, (c) => c[0]),
      states: Uint32Array.from(this.changes, (c) => c[1]),
      length: this.changes.length,
    };
  }
}

/** Cut a batch at the given offsets (sorted, within 0..length). */
export function split(b: ChangeBatch, cuts: readonly number[]): ChangeBatch[] {
  const out: ChangeBatch[] = [];
  let from = 0;
  for (const c of [...cuts, b.length]) {
    out.push({ times: b.times.slice(from, c), states: b.states.slice(from, c), length: c - from });
    from = c;
  }
  return out;
}

export async function* stream(batches: readonly ChangeBatch[]): AsyncGenerator<ChangeBatch> {
  yield* batches;
}

export async function collect<T>(it: AsyncIterable<readonly T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const b of it) out.push(...b);
  return out;
}

export async function collectBatches(it: AsyncIterable<ChangeBatch>): Promise<ChangeBatch[]> {
  const out: ChangeBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

/** One batch holding every change of `batches`. */
export function concat(batches: readonly ChangeBatch[]): ChangeBatch {
  const n = batches.reduce((a, b) => a + b.length, 0);
  const times = new Float64Array(n);
  const states = new Uint32Array(n);
  let k = 0;
  for (const b of batches) {
    times.set(b.times.subarray(0, b.length), k);
    states.set(b.states.subarray(0, b.length), k);
    k += b.length;
  }
  return { times, states, length: n };
}

export function ofKind<K extends BuddyRecord['kind']>(recs: readonly BuddyRecord[], kind: K): Extract<BuddyRecord, { kind: K }>[] {
  return recs.filter((r): r is Extract<BuddyRecord, { kind: K }> => r.kind === kind);
}
