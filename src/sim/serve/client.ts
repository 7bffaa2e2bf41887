/**
 * One connected client of the simulator's bridge server, with a bounded send queue: while more
 * than `maxQueuedBytes` (default 4 MiB) wait in the socket's buffer, new events are not queued
 * but counted; once the client catches up it gets one DROP packet naming how many events it lost
 * and the span they covered, then the stream again. A slow client costs bounded memory and tells
 * its reader exactly what it missed.
 *
 * Example: const c = new BridgeClient(sock); c.send(frames, 12, 0, 5000); c.end();
 */
import type { Socket } from 'node:net';
import { encodeFrames } from '../../bridge/framing.ts';

export const DEFAULT_MAX_QUEUED_BYTES = 4 * 1024 * 1024;

export class BridgeClient {
  readonly address: string;
  /** Events this client has lost so far (all DROP counts). */
  dropped = 0;
  sentBytes = 0;
  closed = false;
  private pendingDrop: { count: number; startTicks: number; endTicks: number } | null = null;

  constructor(readonly socket: Socket, private readonly maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES) {
    this.address = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    socket.on('close', () => {
      this.closed = true;
    });
    // A client that resets its connection is just gone; its error is not the server's.
    socket.on('error', () => {
      this.closed = true;
    });
  }

  /** Sends framed bytes carrying `events` events spanning [startTicks, endTicks]. */
  send(frames: Uint8Array, events: number, startTicks: number, endTicks: number): void {
    if (this.closed) return;
    if (this.socket.writableLength > this.maxQueuedBytes) {
      const d = this.pendingDrop;
      if (d) {
        d.count += events;
        d.endTicks = endTicks;
      } else this.pendingDrop = { count: events, startTicks, endTicks };
      this.dropped += events;
      return;
    }
    this.flushDrop();
    this.write(frames);
  }

  /** Writes now, past the bound (a HELLO must reach the client whatever its backlog). */
  sendAlways(frames: Uint8Array): void {
    if (this.closed) return;
    this.flushDrop();
    this.write(frames);
  }

  /** Ends the stream after what is queued (a pending DROP first). */
  end(): void {
    if (this.closed) return;
    this.flushDrop();
    this.socket.end();
  }

  private flushDrop(): void {
    const d = this.pendingDrop;
    if (!d) return;
    this.pendingDrop = null;
    this.write(encodeFrames([{ type: 'drop', startTicks: d.startTicks, endTicks: d.endTicks, count: d.count }]));
  }

  private write(b: Uint8Array): void {
    this.sentBytes += b.length;
    this.socket.write(b);
  }
}
