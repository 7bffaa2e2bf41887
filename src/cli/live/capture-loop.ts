/**
 * The live capture loop behind `capture --live`. Consumes a LiveSource (transaction-level records
 * as they arrive), runs the link stage (decodeLink) and hands each decoded batch to a sink (one
 * pcapng file or a ring of them) as it comes: one write per batch, so a killed capture leaves a file
 * that is valid up to its last batch. Keeps the record summary (counts, anomalies, capture gaps).
 *
 * It ends when the source ends, when `stop()` is called (a signal; what was already received is
 * still written), after `durationMs` of wall-clock time, or once `count` packets are written
 * (counted like dumpcap -c: pcapng packets, so with raw off transactions and line events do not
 * count). The sink is closed whatever the ending; a source failure is rethrown after that, and
 * `stoppedBy` says 'error'.
 *
 * Options (defaults): count (none), durationMs (none), raw (true: must match the sink's), onBatch.
 *
 * Example:
 *   const cap = new LiveCapture(live, sink, { count: 1000 });
 *   process.once('SIGINT', () => cap.stop('interrupted'));
 *   const { stoppedBy, summary } = await cap.run();
 */
import { decodeLink } from '../../link/stream.ts';
import { createLinkStage, type ProtocolChoice, type SelectedStage } from '../../link/select.ts';
import type { SinkCounts } from '../../pcapng/sink.ts';
import type { BuddyRecord } from '../../records/types.ts';
import type { LiveSource } from '../../sources/live/types.ts';
import { addToSummary, newSummary, type RecordSummary } from '../../records/summary.ts';

/** Where decoded batches go: RecordPcapngSink and RingPcapngSink both fit. */
export interface CaptureSink {
  write(batch: readonly BuddyRecord[]): Promise<void>;
  close(): Promise<void>;
  readonly counts: SinkCounts;
}

export type StopReason = 'end' | 'interrupted' | 'terminated' | 'duration' | 'count' | 'error';

export interface LiveCaptureOptions {
  /** Stop after this many packets are written. */
  readonly count?: number;
  /** Stop after this many milliseconds of wall-clock time. */
  readonly durationMs?: number;
  /** Whether the sink writes raw transactions and line events (for counting packets). Default true. */
  readonly raw?: boolean;
  /** Sees every batch after it was written (status line). */
  readonly onBatch?: (batch: readonly BuddyRecord[]) => void;
  /** The link protocol on the bridge (default auto), and who hears what auto picked. */
  readonly protocol?: ProtocolChoice;
  readonly onPick?: (note: string) => void;
}

export interface LiveCaptureResult {
  readonly stoppedBy: StopReason;
  readonly summary: RecordSummary;
  readonly counts: SinkCounts;
  /** capture-gap anomalies written (reconnects and bridge overflows). */
  readonly gaps: number;
  readonly elapsedMs: number;
}

/** How many records of `batch` fit in `room` packets (records the sink leaves out do not count). */
export function recordsForPackets(batch: readonly BuddyRecord[], room: number, raw: boolean): number {
  if (raw) return Math.min(batch.length, room);
  let packets = 0;
  for (let i = 0; i < batch.length; i++) {
    const r = batch[i];
    if (r.kind === 'txn' || r.kind === 'line') continue;
    if (packets === room) return i;
    packets++;
  }
  return batch.length;
}

export class LiveCapture {
  readonly summary: RecordSummary;
  readonly link: SelectedStage;
  private reason: StopReason | null = null;
  private readonly started = Date.now();

  constructor(private readonly live: LiveSource, private readonly sink: CaptureSink, private readonly opts: LiveCaptureOptions = {}) {
    this.link = createLinkStage(opts.protocol ?? 'auto', { ...(opts.onPick ? { onPick: opts.onPick } : {}) });
    this.summary = newSummary(live.name, 'live');
  }

  /** Ends the capture after what the source already received is written. The first reason wins. */
  stop(reason: StopReason): void {
    this.reason ??= reason;
    this.live.stop();
  }

  get stoppedBy(): StopReason | null {
    return this.reason;
  }

  /** capture-gap anomalies seen so far. */
  get gaps(): number {
    return this.summary.anomalies['capture-gap'] ?? 0;
  }

  async run(): Promise<LiveCaptureResult> {
    const { count, durationMs } = this.opts;
    const raw = this.opts.raw ?? true;
    const timer = durationMs !== undefined ? setTimeout(() => this.stop('duration'), durationMs) : null;
    let failure: unknown = null;
    try {
      if (count !== undefined && count <= 0) this.stop('count');
      else {
        for await (const batch of decodeLink(this.live.records, this.link)) {
          let take: readonly BuddyRecord[] = batch;
          if (count !== undefined) {
            const n = recordsForPackets(batch, count - this.sink.counts.packets, raw);
            if (n < batch.length) take = batch.slice(0, n);
          }
          if (take.length) {
            await this.sink.write(take);
            addToSummary(this.summary, take);
            this.opts.onBatch?.(take);
          }
          if (count !== undefined && this.sink.counts.packets >= count) {
            this.stop('count');
            break;
          }
        }
      }
    } catch (err) {
      failure = err;
      this.reason ??= 'error';
      this.live.stop();
    } finally {
      if (timer) clearTimeout(timer);
      await this.sink.close();
    }
    if (failure !== null) throw failure;
    return { stoppedBy: this.reason ?? 'end', summary: this.summary, counts: this.sink.counts, gaps: this.gaps, elapsedMs: Date.now() - this.started };
  }
}
