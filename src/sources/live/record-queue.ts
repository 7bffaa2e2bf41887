/**
 * The hand-off between a live transport (push: records decoded as bytes arrive) and the consumer
 * (pull: `for await` over `stream()`). Bounded: `room()` waits while more than `maxBacklog`
 * records are queued, so a slow consumer stops the transport reading (TCP then pushes back on the
 * bridge, which reports what it had to drop) instead of growing memory.
 *
 * `stream()` yields everything queued as one batch per pull, ends after `end()` once drained, and
 * throws the error given to `fail()` after what was queued before it. Leaving the loop early
 * calls `onCancel` (the source stops).
 *
 * Options: maxBacklog (default 8192 records, ~25 MB of flood-sized transactions).
 *
 * Example: q.push(recs); await q.room(); ... for await (const b of q.stream()) ...
 */
import type { BuddyRecord } from '../../records/types.ts';

export const DEFAULT_MAX_BACKLOG = 8192;

export class RecordQueue {
  private batches: BuddyRecord[][] = [];
  private queued = 0;
  private ended = false;
  private error: unknown = null;
  private wakeConsumer: (() => void) | null = null;
  private wakeProducer: (() => void) | null = null;

  constructor(
    private readonly onCount: (backlog: number, yielded: number) => void,
    private readonly onCancel: () => void,
    readonly maxBacklog = DEFAULT_MAX_BACKLOG,
  ) {}

  get backlog(): number {
    return this.queued;
  }

  get closed(): boolean {
    return this.ended;
  }

  push(records: BuddyRecord[]): void {
    if (this.ended || records.length === 0) return;
    this.batches.push(records);
    this.queued += records.length;
    this.onCount(this.queued, 0);
    this.wake();
  }

  /** Resolves once the consumer has taken enough (or the queue closed). */
  room(): Promise<void> {
    if (this.queued <= this.maxBacklog || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.wakeProducer = resolve;
    });
  }

  end(): void {
    this.ended = true;
    this.wake();
    this.releaseProducer();
  }

  fail(err: unknown): void {
    if (this.ended) return;
    this.error = err;
    this.end();
  }

  async *stream(): AsyncGenerator<BuddyRecord[]> {
    let finished = false;
    try {
      for (;;) {
        if (this.batches.length > 0) {
          const taken = this.batches.length === 1 ? this.batches[0] : this.batches.flat();
          this.batches = [];
          this.queued = 0;
          this.onCount(0, taken.length);
          this.releaseProducer();
          yield taken;
          continue;
        }
        if (this.ended) {
          finished = true;
          if (this.error !== null) throw this.error;
          return;
        }
        await new Promise<void>((resolve) => {
          this.wakeConsumer = resolve;
        });
      }
    } finally {
      if (!finished) this.onCancel();
    }
  }

  private wake(): void {
    const w = this.wakeConsumer;
    this.wakeConsumer = null;
    w?.();
  }

  private releaseProducer(): void {
    const w = this.wakeProducer;
    this.wakeProducer = null;
    w?.();
  }
}
