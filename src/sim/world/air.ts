/**
 * WiFi airtime. Each direction is a FIFO server transmitting at `rateBps` plus a fixed per-frame
 * overhead (preamble, SIFS, ACK, backoff). Both directions share one `Medium` that is now and then
 * busy with other stations' traffic (random stalls): a transmission may not start inside a stall.
 * That burstiness is what fills the buddy's queues and engages flow control in a flood even though
 * the average air rate is above what the SPI bus can carry.
 *
 * Simplification (documented): the two directions do not contend with each other, only with the
 * stalls. Options (defaults): rateBps 24 Mbit/s, perFrameNs 60 us, busy stalls every ~200 ms
 * (exponential) lasting 4..12 ms; `busy: null` disables them.
 */
import type { Rng } from '../prng.ts';
import type { Scheduler } from '../scheduler.ts';

export interface MediumBusy {
  readonly meanIntervalMs: number;
  readonly minMs: number;
  readonly maxMs: number;
}

export interface AirOptions {
  rateBps: number;
  perFrameNs: number;
  busy: MediumBusy | null;
}

export const DEFAULT_AIR: AirOptions = { rateBps: 24_000_000, perFrameNs: 60_000, busy: { meanIntervalMs: 200, minMs: 4, maxMs: 12 } };

export class Medium {
  private stallStart = Infinity;
  private stallEnd = -Infinity;
  stalls = 0;

  constructor(private readonly rng: Rng, private readonly busy: MediumBusy | null) {
    if (busy) this.advance(0);
  }

  /** Earliest time >= t at which a transmission may start. */
  clearAt(t: number): number {
    if (!this.busy) return t;
    while (t >= this.stallEnd) this.advance(this.stallEnd);
    return t >= this.stallStart ? this.stallEnd : t;
  }

  private advance(from: number): void {
    const b = this.busy as MediumBusy;
    const gap = -Math.log(1 - this.rng.float()) * b.meanIntervalMs * 1e6;
    this.stallStart = Math.max(from, 0) + gap;
    this.stallEnd = this.stallStart + (b.minMs + this.rng.float() * (b.maxMs - b.minMs)) * 1e6;
    this.stalls++;
  }
}

export class AirChannel {
  private fifo: { bytes: Uint8Array; deliver: (b: Uint8Array) => void }[] = [];
  private sending = false;
  /** Called whenever the channel finishes a frame (the buddy refills from its queue). */
  onIdle: (() => void) | null = null;
  frames = 0;
  bytes = 0;

  constructor(private readonly sched: Scheduler, private readonly medium: Medium, private readonly opts: AirOptions) {}

  /** Frames queued or on the air. */
  get backlog(): number {
    return this.fifo.length + (this.sending ? 1 : 0);
  }

  send(bytes: Uint8Array, deliver: (b: Uint8Array) => void): void {
    this.fifo.push({ bytes, deliver });
    if (!this.sending) this.start();
  }

  private start(): void {
    const next = this.fifo.shift();
    if (!next) return;
    this.sending = true;
    const begin = this.medium.clearAt(this.sched.now);
    const end = begin + this.opts.perFrameNs + (next.bytes.length * 8 * 1e9) / this.opts.rateBps;
    this.sched.at(end, () => {
      this.sending = false;
      this.frames++;
      this.bytes += next.bytes.length;
      next.deliver(next.bytes);
      if (this.fifo.length) this.start();
      this.onIdle?.();
    });
  }
}
