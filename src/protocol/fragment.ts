/**
 * Fragmentation. A message longer than the negotiated max frame payload is sent as consecutive
 * frames of one direction, all on its channel, every one but the last flagged `more`, every one but
 * the first flagged `cont`, with consecutive sequence numbers (no other frame of that direction in
 * between). `fragmentFlags(index, count)` gives the flags for fragment `index` of `count`.
 *
 * `fragment(message, maxPayload)` splits (maxPayload is clamped to MAX_PAYLOAD, so a peer's
 * max_frame of 65535 is safe to pass). `Reassembler.push(frame)` takes every non-idle frame of one
 * direction and returns what it completed or abandoned:
 *
 *   const r = new Reassembler();
 *   r.push(f1); // [{ kind: 'pending' }]
 *   r.push(f2); // [{ kind: 'complete', channel: 1, message, fragments: 2, firstSeq: 41 }]
 *
 * A message interrupted (seq gap, other channel) is `abandoned` with a reason, then the
 * interrupting frame is handled on its own. A message past MAX_MESSAGE is not buffered further: its
 * remaining fragments are counted and swallowed, and one `abandoned` is returned with its last
 * fragment, so its tail is never mistaken for a message of its own.
 *
 * A `cont` frame with no message in progress is an orphan: its first fragment was lost. It and the
 * rest of its message are swallowed and reported as one `abandoned`, never delivered as a message.
 */
import { Flag, MAX_MESSAGE, MAX_PAYLOAD } from './constants.ts';
import type { Frame } from './frame.ts';
import { seqAdd } from './sequence.ts';

export function fragment(message: Uint8Array, maxPayload: number): Uint8Array[] {
  if (!Number.isInteger(maxPayload) || maxPayload < 1) throw new RangeError('maxPayload must be an integer of at least 1');
  if (message.length > MAX_MESSAGE) throw new RangeError(`message of ${message.length} bytes exceeds ${MAX_MESSAGE}`);
  const size = Math.min(maxPayload, MAX_PAYLOAD);
  if (message.length <= size) return [message];
  const parts: Uint8Array[] = [];
  for (let at = 0; at < message.length; at += size) parts.push(message.subarray(at, at + size));
  return parts;
}

export function fragmentFlags(index: number, count: number): number {
  return (index < count - 1 ? Flag.more : 0) | (index > 0 ? Flag.cont : 0);
}

export type ReassemblyEvent =
  | { readonly kind: 'complete'; readonly channel: number; readonly message: Uint8Array; readonly fragments: number; readonly firstSeq: number }
  | { readonly kind: 'pending' }
  | { readonly kind: 'abandoned'; readonly channel: number; readonly fragments: number; readonly bytes: number; readonly reason: string };

interface Partial {
  channel: number;
  /** Emptied once the message passes MAX_MESSAGE: from then on fragments are only counted. */
  parts: Uint8Array[];
  fragments: number;
  bytes: number;
  firstSeq: number;
  lastSeq: number;
  oversized: boolean;
  /** Began with a `cont` frame: the first fragment was lost; fragments are only counted. */
  orphan: boolean;
}

/**
 * Reassembles the non-idle frames of one direction, in order. Returns what each frame completed.
 * Fragments are copied when buffered, so callers may reuse their transaction buffers.
 */
export class Reassembler {
  private partial: Partial | null = null;

  /** Feed every non-idle frame; an `abandoned` result is followed by the frame's own outcome. */
  push(frame: Frame): ReassemblyEvent[] {
    const { channel, seq, flags } = frame.header;
    const more = (flags & Flag.more) !== 0;
    const cont = (flags & Flag.cont) !== 0;
    const out: ReassemblyEvent[] = [];
    const p = this.partial;
    if (p) {
      if (channel !== p.channel) out.push(this.abandon(`a frame on channel ${channel} interrupted it`));
      else if (seq !== seqAdd(p.lastSeq, 1)) out.push(this.abandon(`seq ${seq} follows ${p.lastSeq}`));
      else if (!cont) out.push(this.abandon('a new message began before it ended'));
    }
    const cur = this.partial;
    if (!cur) {
      if (cont) {
        // An orphan: the message's first fragment never arrived.
        if (!more) {
          out.push({ kind: 'abandoned', channel, fragments: 1, bytes: frame.payload.length, reason: 'continuation fragment without its start (first fragment lost)' });
          return out;
        }
        this.partial = { channel, parts: [], fragments: 1, bytes: frame.payload.length, firstSeq: seq, lastSeq: seq, oversized: false, orphan: true };
        out.push({ kind: 'pending' });
        return out;
      }
      if (!more) {
        out.push({ kind: 'complete', channel, message: frame.payload, fragments: 1, firstSeq: seq });
        return out;
      }
      this.partial = {
        channel, parts: [frame.payload.slice()], fragments: 1, bytes: frame.payload.length, firstSeq: seq, lastSeq: seq, oversized: false, orphan: false,
      };
      out.push({ kind: 'pending' });
      return out;
    }
    cur.fragments += 1;
    cur.bytes += frame.payload.length;
    cur.lastSeq = seq;
    if (!cur.oversized && !cur.orphan) cur.parts.push(frame.payload.slice());
    if (cur.bytes > MAX_MESSAGE && !cur.oversized) {
      cur.oversized = true;
      cur.parts = [];
    }
    if (more) {
      out.push({ kind: 'pending' });
      return out;
    }
    if (cur.orphan) {
      this.partial = null;
      out.push({ kind: 'abandoned', channel, fragments: cur.fragments, bytes: cur.bytes, reason: 'continuation fragments without their start (first fragment lost)' });
      return out;
    }
    if (cur.oversized) {
      this.partial = null;
      out.push({ kind: 'abandoned', channel, fragments: cur.fragments, bytes: cur.bytes, reason: `message of ${cur.bytes} bytes exceeds ${MAX_MESSAGE}` });
      return out;
    }
    this.partial = null;
    out.push({ kind: 'complete', channel, message: concat(cur.parts, cur.bytes), fragments: cur.fragments, firstSeq: cur.firstSeq });
    return out;
  }

  /** Drops a message in progress (resync after a reset, or end of capture). */
  abandon(reason: string): ReassemblyEvent {
    const p = this.partial;
    this.partial = null;
    if (!p) return { kind: 'pending' };
    const why = p.oversized ? `${reason} (and it already exceeded ${MAX_MESSAGE} bytes)` : reason;
    return { kind: 'abandoned', channel: p.channel, fragments: p.fragments, bytes: p.bytes, reason: why };
  }

  get inProgress(): boolean {
    return this.partial !== null;
  }
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
