/**
 * The bridge byte stream: packets (packets.ts) COBS-stuffed (cobs.ts), each followed by a 0x00.
 *
 * `encodeFrames(packets)` -> one buffer holding every packet framed, for a single socket write.
 * `FrameReader.push(chunk)` -> the items found in the chunk, in stream order: `packet`s, and one
 * `garbage` item per run of bytes that did not decode (bad COBS, bad CRC, unknown type, an
 * over-long frame), reported when the run ends at the next good packet or at `finish()`, so a
 * burst of noise is counted once, not per byte. Memory is bounded: a frame longer than the largest
 * legal packet is discarded while the reader skips to the next 0x00. Empty frames (0x00 0x00) are
 * idle filler and ignored.
 *
 * Example: const r = new FrameReader(); for (const it of r.push(chunk)) if (it.kind === 'packet') ...
 */
import { cobsDecode, cobsEncodeInto, cobsMaxEncoded } from './cobs.ts';
import { encodePacketInto, MAX_PACKET_BYTES, packetSize, parsePacket, type BridgePacket } from './packets.ts';

export const MAX_FRAME_BYTES = cobsMaxEncoded(MAX_PACKET_BYTES);

export type FrameItem =
  | { readonly kind: 'packet'; readonly packet: BridgePacket }
  /** `bytes` skipped (delimiters included); `reason` is why the first bad frame of the run failed. */
  | { readonly kind: 'garbage'; readonly bytes: number; readonly reason: string };

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
  /** Good packets and garbage runs so far. */
  packets = 0;
  garbageRuns = 0;

  push(chunk: Uint8Array): FrameItem[] {
    const out: FrameItem[] = [];
    let i = 0;
    while (i < chunk.length) {
      const z = chunk.indexOf(0, i);
      const end = z < 0 ? chunk.length : z;
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
    this.flushGarbage(out);
    return out;
  }

  /** A reconnect: bytes of the old connection never join the new one's. */
  reset(): FrameItem[] {
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
      this.noteGarbage(frameBytes, r.reason);
      return;
    }
    this.flushGarbage(out);
    this.packets++;
    out.push({ kind: 'packet', packet: r.packet });
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
