/**
 * Bytes from a bridge (one connection after another) -> records into a RecordQueue. Owns the frame
 * reader (resync on garbage) and the packet decoder (time base across resets and reconnects), and
 * keeps the source's stats.
 *
 * `pump(chunks)` reads one connection until it ends or the source stops, waiting for queue room
 * between chunks (a slow consumer stops the reading, bounding memory). Throws a SourceError when
 * the first 64 KiB hold no bridge packet at all: that is not a bridge (wrong port, wrong device).
 *
 * Example: const feed = new BridgeFeed(name, queue, stats); await feed.pump(socket); feed.disconnected();
 */
import { BridgeDecoder } from '../../bridge/decode-records.ts';
import { FrameReader } from '../../bridge/framing.ts';
import { SourceError } from '../errors.ts';
import type { RecordQueue } from './record-queue.ts';
import type { LiveStats } from './types.ts';

/** Bytes with no valid packet after which a stream is declared not a bridge. */
export const NOT_A_BRIDGE_BYTES = 64 * 1024;

export class BridgeFeed {
  private readonly frames = new FrameReader();
  readonly decoder: BridgeDecoder;
  /** Set when a HELLO arrived on the current connection. */
  helloSeen = false;

  constructor(
    private readonly name: string,
    private readonly queue: RecordQueue,
    private readonly stats: LiveStats,
    wallNow?: () => number,
    private readonly onHello?: () => void,
  ) {
    this.decoder = new BridgeDecoder(wallNow ? { wallNow } : {});
  }

  /** Feeds one connection's chunks; returns when it ends, fails, or `stopped()` turns true. */
  async pump(chunks: AsyncIterable<Buffer | string>, stopped: () => boolean): Promise<void> {
    for await (const c of chunks) {
      const chunk = typeof c === 'string' ? Buffer.from(c) : c;
      this.feed(chunk);
      if (stopped()) return;
      await this.queue.room();
      if (stopped()) return;
    }
  }

  feed(chunk: Uint8Array): void {
    const st = this.stats;
    st.bytes += chunk.length;
    const items = this.frames.push(chunk);
    const bridgeBefore = this.decoder.bridge;
    const recs = this.decoder.push(items);
    this.sync();
    if (this.decoder.bridge !== bridgeBefore && this.decoder.bridge !== null && !this.helloSeen) {
      this.helloSeen = true;
      this.onHello?.();
    }
    this.queue.push(recs);
    if (this.frames.packets === 0 && st.bytes >= NOT_A_BRIDGE_BYTES) {
      throw new SourceError(this.name, `byte ${st.bytes}`, `no bridge packet in the first ${st.bytes} bytes: not a buddyshark bridge stream (see docs/bridge.md)`);
    }
  }

  /** The connection ended: a frame cut short is garbage; the next HELLO starts a new session. */
  disconnected(): void {
    this.queue.push(this.decoder.push(this.frames.reset()));
    this.decoder.disconnected();
    this.helloSeen = false;
    this.sync();
  }

  /** End of input (no reconnect follows). Throws if bytes came but never a packet. */
  finish(): void {
    this.queue.push(this.decoder.push(this.frames.finish()));
    this.queue.push(this.decoder.finish());
    this.sync();
    if (this.frames.packets === 0 && this.stats.bytes > 0) {
      throw new SourceError(this.name, `byte ${this.stats.bytes}`, 'input ended with no bridge packet: not a buddyshark bridge stream or a VCD');
    }
  }

  private sync(): void {
    this.stats.packets = this.frames.packets;
    this.stats.resyncs = this.frames.garbageRuns;
    this.stats.badPackets = this.frames.badPackets;
    this.stats.gaps = this.decoder.gaps;
  }
}
