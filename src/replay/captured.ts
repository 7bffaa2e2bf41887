/**
 * The capture as replay sees it: the bus events one side caused, in time order.
 *
 * Consumes a decoded record stream (any input buddyshark reads). Emits batches of CapturedEvent:
 * - `txn`: one SPI transaction (start/end ns, MOSI and MISO as on the wire);
 * - `line`: a READY, IRQ or RESET level change;
 * - `glitch`: a CS pulse that clocked nothing.
 *
 * With a raw layer (TxnRecords) the transactions are taken as they are. Without one (a pcapng
 * written with --no-raw, or a decode --json stream of frames) each transaction is rebuilt from its
 * two frame records: re-encoding a frame's fields gives its bytes back exactly, since the CRCs are a
 * function of them. A side whose frame did not pass its checks has no bytes left in such a capture:
 * it becomes `null` (unknown), and replay reports it as unverifiable instead of guessing.
 */
import { encodeFrame } from '../protocol/frame.ts';
import type { BuddyRecord, FrameRecord, LineName, RecordStream } from '../records/types.ts';

export interface CapturedTxn {
  readonly kind: 'txn';
  readonly index: number;
  readonly startNs: number;
  readonly endNs: number;
  /** null: the capture holds no bytes for this side (rebuilt from frames, and this side's frame was bad). */
  readonly mosi: Uint8Array | null;
  readonly miso: Uint8Array | null;
  /** Rebuilt from frame records rather than read from the raw layer. */
  readonly rebuilt: boolean;
}

export interface CapturedLine {
  readonly kind: 'line';
  readonly atNs: number;
  readonly line: LineName;
  readonly level: 0 | 1;
}

export interface CapturedGlitch {
  readonly kind: 'glitch';
  readonly atNs: number;
  readonly pulseNs: number;
}

export type CapturedEvent = CapturedTxn | CapturedLine | CapturedGlitch;

export function eventTime(e: CapturedEvent): number {
  return e.kind === 'txn' ? e.startNs : e.atNs;
}

/** Streams the bus events out of a record stream; see the module comment. */
export async function* capturedEvents(records: RecordStream): AsyncGenerator<CapturedEvent[]> {
  let raw: boolean | null = null;
  // Frames mode: the frames of the transaction being rebuilt (both directions arrive together).
  let pending: { index: number; startNs: number; endNs: number; mosi: Uint8Array | null; miso: Uint8Array | null } | null = null;
  const flush = (out: CapturedEvent[]): void => {
    if (!pending) return;
    out.push({ kind: 'txn', index: pending.index, startNs: pending.startNs, endNs: pending.endNs, mosi: pending.mosi, miso: pending.miso, rebuilt: true });
    pending = null;
  };
  for await (const batch of records) {
    const out: CapturedEvent[] = [];
    for (const r of batch) {
      // Frames mode: a line edge or a glitch ends the transaction being rebuilt (keeps time order).
      if (r.kind === 'line' || (r.kind === 'anomaly' && r.txn === undefined)) flush(out);
      if (r.kind === 'line') {
        if (r.line !== 'cs') out.push({ kind: 'line', atNs: r.startNs, line: r.line, level: r.level });
        continue;
      }
      if (r.kind === 'anomaly') {
        if (r.code === 'cs-glitch') out.push({ kind: 'glitch', atNs: r.startNs, pulseNs: Math.max(1, r.endNs - r.startNs) });
        else if (raw !== true && r.txn !== undefined) {
          // A frame that failed its checks: the transaction still happened, this side's bytes unknown.
          if (pending && pending.index !== r.txn) flush(out);
          if (!pending) pending = { index: r.txn, startNs: r.startNs, endNs: r.endNs, mosi: null, miso: null };
        }
        continue;
      }
      if (r.kind === 'txn') {
        raw = true;
        out.push({ kind: 'txn', index: r.txn, startNs: r.startNs, endNs: r.endNs, mosi: r.mosi, miso: r.miso, rebuilt: false });
        continue;
      }
      // Another protocol's records never get here: run.ts refuses such a capture in pass 1.
      if (raw === true || r.kind === 'link') continue;
      raw = false;
      if (pending && pending.index !== r.txn) flush(out);
      if (!pending) pending = { index: r.txn, startNs: r.startNs, endNs: r.endNs, mosi: null, miso: null };
      const bytes = frameBytes(r);
      if (r.dir === 'cpu-to-buddy') pending.mosi = bytes;
      else pending.miso = bytes;
    }
    if (raw === false && batch.length && !isFrameOf(batch[batch.length - 1], pending)) flush(out);
    if (out.length) yield out;
  }
  const tail: CapturedEvent[] = [];
  flush(tail);
  if (tail.length) yield tail;
}

function isFrameOf(r: BuddyRecord, p: { index: number } | null): boolean {
  return p !== null && r.kind === 'frame' && r.txn === p.index;
}

function frameBytes(r: FrameRecord): Uint8Array {
  return encodeFrame({ channel: r.channel, flags: r.flags, seq: r.seq, ack: r.ack, credit: r.credit, epoch: r.epoch }, r.payload);
}
