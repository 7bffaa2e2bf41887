/**
 * The buddy's end of the link layer: what goes into each MISO header and what a MOSI frame means.
 *
 * - seq: +1 per non-idle frame sent; idle frames carry the next seq without consuming it.
 * - ack: seq of the last non-idle CPU frame received intact (Flag.ackValid once there is one).
 * - credit: free slots in the WiFi TX queue (`creditOf()`, supplied by the buddy).
 * - flow control toward the CPU: a credited frame goes out only while the credited frames sent
 *   after the CPU's last ack are fewer than the CPU's last advertised credit. A credited frame the
 *   CPU never acks (its transaction was corrupted and nothing followed it) is forgotten after
 *   `creditTimeoutNs` (20 ms) so a loss cannot wedge the window.
 * - epoch filter: a CPU frame is accepted only with the buddy's epoch, or epoch 0 on control.
 *
 * `build()` makes the next MISO frame; `receive()` digests MOSI bytes and returns the intact
 * non-idle frame for the buddy to dispatch (or null).
 */
import { Channel, Flag, MAX_PAYLOAD, isCreditedChannel } from '../../protocol/constants.ts';
import { decodeFrame, decodeHeader, encodeFrame, isIdle, type Frame } from '../../protocol/frame.ts';
import { SequenceTracker, seqAdd, seqDistance } from '../../protocol/sequence.ts';
import type { BuddyTxQueues } from './queues.ts';

export interface LinkStats {
  txFrames: number;
  rxFrames: number;
  rxBad: number;
  rxStale: number;
  rxLost: number;
}

export class BuddyLink {
  epoch = 0;
  /** Set by hello: the CPU's advertised credit (null until then: no credited frames before hello). */
  cpuCredit: number | null = null;
  cpuMaxFrame = MAX_PAYLOAD;
  private txSeq = 0;
  private lastIntact: number | null = null;
  private inflight: { seq: number; at: number }[] = [];
  private rx = new SequenceTracker();
  readonly stats: LinkStats = { txFrames: 0, rxFrames: 0, rxBad: 0, rxStale: 0, rxLost: 0 };

  constructor(private readonly creditTimeoutNs = 20_000_000) {}

  reset(epoch: number): void {
    this.epoch = epoch;
    this.cpuCredit = null;
    this.cpuMaxFrame = MAX_PAYLOAD;
    this.txSeq = 0;
    this.lastIntact = null;
    this.inflight = [];
    this.rx.reset();
  }

  /** May a credited frame go to the CPU now? */
  canSendCredited(now: number): boolean {
    if (this.cpuCredit === null) return false;
    this.inflight = this.inflight.filter((f) => now - f.at < this.creditTimeoutNs);
    return this.inflight.length < this.cpuCredit;
  }

  /** Builds the next MISO frame from the queues (an idle frame when there is nothing to send). */
  build(queues: BuddyTxQueues, credit: number, now: number): { bytes: Uint8Array; idle: boolean } {
    const out = queues.next(this.canSendCredited(now), Math.min(this.cpuMaxFrame, MAX_PAYLOAD));
    let flags = this.lastIntact !== null ? Flag.ackValid : 0;
    const seq = this.txSeq;
    if (out) {
      this.txSeq = seqAdd(this.txSeq, 1);
      this.stats.txFrames++;
      if (out.more) flags |= Flag.more;
      if (out.cont) flags |= Flag.cont;
      if (isCreditedChannel(out.channel)) this.inflight.push({ seq, at: now });
    }
    if (queues.hasPending(this.canSendCredited(now))) flags |= Flag.pending;
    const header = { channel: out ? out.channel : Channel.link, flags, seq, ack: this.lastIntact ?? 0, credit: Math.min(255, Math.max(0, credit)), epoch: this.epoch };
    return { bytes: encodeFrame(header, out ? out.payload : undefined), idle: !out };
  }

  /** Digests one MOSI transfer; returns the intact non-idle frame it carried, if any. */
  receive(mosi: Uint8Array, synced: boolean): Frame | null {
    const h = decodeHeader(mosi);
    if (!h.ok) {
      this.stats.rxBad++;
      return null;
    }
    const hd = h.value;
    if (hd.epoch !== this.epoch && !(hd.epoch === 0 && hd.channel === Channel.control)) {
      this.stats.rxStale++;
      return null;
    }
    if (hd.epoch === this.epoch) {
      if (hd.flags & Flag.ackValid) this.onAck(hd.ack);
      if (synced) this.cpuCredit = hd.credit;
    }
    const v = this.rx.observe(hd.seq, !isIdle(hd));
    if (v.kind === 'gap') this.stats.rxLost += v.lost;
    if (isIdle(hd)) return null;
    const f = decodeFrame(mosi);
    if (!f.ok) {
      this.stats.rxBad++;
      return null;
    }
    this.lastIntact = hd.seq;
    this.stats.rxFrames++;
    return f.value;
  }

  private onAck(ack: number): void {
    // Everything at or before `ack` (in wrapping order) has been received or lost: out of the window.
    this.inflight = this.inflight.filter((f) => seqDistance(f.seq, ack) >= 0x8000);
  }
}
