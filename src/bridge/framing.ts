/**
 * The bridge byte stream: packets (packets.ts) COBS-stuffed (cobs.ts), each followed by a 0x00.
 *
 * `encodeFrames(packets)` -> one buffer holding every packet framed, for a single socket write.
 * `FrameReader.push(chunk)` -> the items found in the chunk, in stream order: `packet`s; one
 * `bad-packets` item per burst of frames that decoded to a packet's shape but failed its CRC-32C
 * (packets damaged in transit, once the reader is in step with the stream), with their count and
 * the stream byte offset of the first; and one `garbage` item per run of other bytes that did not
 * decode (bad COBS, unknown type, an over-long frame, a bad CRC before the first good packet, when
 * the reader may have joined mid-frame). Both are reported when the run ends at the next good
 * packet or at `finish()`, so a burst is counted once, not per byte. Memory is bounded: a frame
 * longer than the largest legal packet is discarded while the reader skips to the next 0x00.
 * Empty frames (0x00 0x00) are idle filler and ignored.
 *
 * Example: const r = new FrameReader(); for (const it of r.push(chunk)) if (it.kind === 'packet') ...
 */
import { cobsDecode, cobsEncodeInto, cobsMaxEncoded } from './cobs.ts';
import { encodePacketInto, MAX_PACKET_BYTES, packetSize, parsePacket, type BridgePacket } from './packets.ts';

export const MAX_FRAME_BYTES = cobsMaxEncoded(MAX_PACKET_BYTES);

export type FrameItem =
  | { readonly kind: 'packet'; readonly packet: BridgePacket }
  /** `bytes` skipped (delimiters included); `reason` is why the first bad frame of the run failed. */
  | { readonly kind: 'garbage'; readonly bytes: number; readonly reason: string }
  /** `count` packets (`bytes` with delimiters) dropped for a bad CRC, the first at stream byte `offset`. */
  | { readonly kind: 'bad-packets'; readonly count: number; readonly bytes: number; readonly offset: number; readonly reason: string };

/** Frames packets into one buffer: stuffed bytes and a 0x00 after each. */
export function encodeFrames(packets: readonly BridgePacket[], leadingDelimiter = false): Buffer {
  let max = leadingDelimiter ? 1 : 0;
  for (const p of packets) max += cobsMaxEncoded(packetSize(p)) + 1;
  const out = Buffer.allocUnsafe(max);
  let scratch = new Uint8Array(256);
  let at = 0;
  if (leadingDelimiter) out[at++] = 0;
  for (const p of packets) {
    const size = packetSize(p);
    if (scratch.length < size) scratch = new Uint8Array(Math.max(size, scratch.length * 2));
    encodePacketInto(p, scratch);
    at = cobsEncodeInto(scratch.subarray(0, size), out, at);
    out[at++] = 0;
  }
  return out.subarray(0, at);
}

export class FrameReader {
  private buf = new Uint8Array(4096);
  private len = 0;
  /** Dropping bytes of an over-long frame until the next delimiter. */
  private skipping = false;
  private garbageBytes = 0;
  private garbageReason = '';
  /** The burst of bad-CRC packets under way (count 0: none). */
  private bad = { count: 0, bytes: 0, offset: 0, reason: '' };
  /** Stream bytes pushed before the current chunk, and where the frame being collected began. */
  private streamBytes = 0;
  private frameStart = 0;
  /** A good packet came since the last reset: a frame is whole, so a bad CRC is damage, not a cut. */
  private inStep = false;
  /** Good packets, garbage runs, and bad-CRC packets and bursts so far. */
  packets = 0;
  garbageRuns = 0;
  badPackets = 0;
  badBursts = 0;

  push(chunk: Uint8Array): FrameItem[] {
    const out: FrameItem[] = [];
    let i = 0;
    const base = this.streamBytes;
    this.streamBytes += chunk.length;
    while (i < chunk.length) {
      const z = chunk.indexOf(0, i);
      const end = z < 0 ? chunk.length : z;
      if (this.len === 0 && !this.skipping) this.frameStart = base + i;
      if (this.skipping) this.garbageBytes += end - i;
      else if (this.len + (end - i) > MAX_FRAME_BYTES) {
        this.noteGarbage(this.len + (end - i), `no delimiter within ${MAX_FRAME_BYTES} bytes`);
        this.len = 0;
        this.skipping = true;
      } else this.append(chunk, i, end);
      if (z < 0) break;
      // A delimiter: the frame collected so far is complete.
      if (this.skipping) {
        this.garbageBytes += 1;
        this.skipping = false;
      } else if (this.len > 0) this.frame(out);
      i = z + 1;
    }
    return out;
  }

  /** Ends the stream: a run of garbage (or a frame cut short) still pending is reported. */
  finish(): FrameItem[] {
    if (this.len > 0 || this.skipping) {
      this.noteGarbage(this.len, 'stream ended inside a frame');
      this.len = 0;
      this.skipping = false;
    }
    const out: FrameItem[] = [];
    this.flushRuns(out);
    return out;
  }

  /** A reconnect: bytes of the old connection never join the new one's. */
  reset(): FrameItem[] {
    this.inStep = false;
    return this.finish();
  }

  private append(chunk: Uint8Array, from: number, to: number): void {
    const n = to - from;
    if (n === 0) return;
    if (this.len + n > this.buf.length) {
      const next = new Uint8Array(Math.min(MAX_FRAME_BYTES, Math.max(this.buf.length * 2, this.len + n)));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(chunk.subarray(from, to), this.len);
    this.len += n;
  }

  private frame(out: FrameItem[]): void {
    const stuffed = this.buf.subarray(0, this.len);
    const frameBytes = this.len + 1;
    this.len = 0;
    const raw = cobsDecode(stuffed);
    if (raw === null) {
      this.noteGarbage(frameBytes, 'bad COBS stuffing');
      return;
    }
    const r = parsePacket(raw);
    if (!r.ok) {
      if (r.badCrc && this.inStep) this.noteBad(frameBytes, r.reason);
      else this.noteGarbage(frameBytes, r.reason);
      return;
    }
    this.flushRuns(out);
    this.inStep = true;
    this.packets++;
    out.push({ kind: 'packet', packet: r.packet });
  }

  private noteBad(bytes: number, reason: string): void {
    const b = this.bad;
    if (b.count === 0) {
      b.offset = this.frameStart;
      b.reason = reason;
    }
    b.count++;
    b.bytes += bytes;
  }

  /** Ends the runs under way: bad packets, then other garbage (each item once per run). */
  private flushRuns(out: FrameItem[]): void {
    const b = this.bad;
    if (b.count > 0) {
      this.badPackets += b.count;
      this.badBursts++;
      out.push({ kind: 'bad-packets', count: b.count, bytes: b.bytes, offset: b.offset, reason: b.reason });
      this.bad = { count: 0, bytes: 0, offset: 0, reason: '' };
    }
    this.flushGarbage(out);
  }

  private noteGarbage(bytes: number, reason: string): void {
    if (this.garbageBytes === 0 && this.garbageReason === '') this.garbageReason = reason;
    this.garbageBytes += bytes;
  }

  private flushGarbage(out: FrameItem[]): void {
    if (this.garbageBytes === 0 && this.garbageReason === '') return;
    this.garbageRuns++;
    out.push({ kind: 'garbage', bytes: this.garbageBytes, reason: this.garbageReason });
    this.garbageBytes = 0;
    this.garbageReason = '';
  }
}
