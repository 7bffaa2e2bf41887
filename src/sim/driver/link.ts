/**
 * The CPU's end of the link layer: MOSI headers out, MISO headers in.
 *
 * - epoch: the buddy boot the CPU has synced to (0 before any); a MISO header with another epoch
 *   means the buddy rebooted (`receive` reports `newEpoch`, the driver tears down and re-handshakes).
 * - seq/ack as on the buddy side; credit: the CPU's own receive credit (constant: the host stack
 *   takes frames at once).
 * - flow control: a credited frame goes out only while the credited frames sent after the buddy's
 *   last ack are fewer than the buddy's last advertised credit; unacked entries older than
 *   `creditTimeoutNs` (20 ms) are forgotten so a lost frame cannot wedge the window.
 */
import { Channel, Flag, isCreditedChannel } from '../../protocol/constants.ts';
import { decodeFrame, decodeHeader, encodeFrame, isIdle, type Frame, type FrameHeader } from '../../protocol/frame.ts';
import { SequenceTracker, seqAdd, seqDistance } from '../../protocol/sequence.ts';
import type { OutFrame } from '../out-frame.ts';

export interface DriverLinkStats {
  txFrames: number;
  rxFrames: number;
  rxBadHeader: number;
  rxBadPayload: number;
  rxLost: number;
  txPayloadBytes: number;
  rxPayloadBytes: number;
}

export type MisoOutcome =
  | { readonly kind: 'bad' }
  | { readonly kind: 'ok'; readonly header: FrameHeader; readonly newEpoch: boolean; readonly frame: Frame | null };

export class DriverLink {
  epoch = 0;
  buddyCredit = 0;
  private txSeq = 0;
  private lastIntact: number | null = null;
  private inflight: { seq: number; at: number }[] = [];
  private rx = new SequenceTracker();
  readonly stats: DriverLinkStats = { txFrames: 0, rxFrames: 0, rxBadHeader: 0, rxBadPayload: 0, rxLost: 0, txPayloadBytes: 0, rxPayloadBytes: 0 };

  constructor(private readonly cpuCredit: number, private readonly creditTimeoutNs = 20_000_000) {}

  /** Adopts a new buddy epoch: counters restart. */
  sync(epoch: number): void {
    this.epoch = epoch;
    this.txSeq = 0;
    this.lastIntact = null;
    this.inflight = [];
    this.rx.reset();
  }

  canSendCredited(now: number): boolean {
    this.inflight = this.inflight.filter((f) => now - f.at < this.creditTimeoutNs);
    return this.inflight.length < this.buddyCredit;
  }

  build(out: OutFrame | null, pending: boolean, now: number): Uint8Array {
    let flags = this.lastIntact !== null ? Flag.ackValid : 0;
    if (pending) flags |= Flag.pending;
    const seq = this.txSeq;
    if (out) {
      if (out.more) flags |= Flag.more;
      if (out.cont) flags |= Flag.cont;
      this.txSeq = seqAdd(seq, 1);
      this.stats.txFrames++;
      this.stats.txPayloadBytes += out.payload.length;
      if (isCreditedChannel(out.channel)) this.inflight.push({ seq, at: now });
    }
    const header = { channel: out ? out.channel : Channel.link, flags, seq, ack: this.lastIntact ?? 0, credit: this.cpuCredit, epoch: this.epoch };
    return encodeFrame(header, out?.payload);
  }

  receive(miso: Uint8Array): MisoOutcome {
    const h = decodeHeader(miso);
    if (!h.ok) {
      this.stats.rxBadHeader++;
      return { kind: 'bad' };
    }
    const hd = h.value;
    const newEpoch = hd.epoch !== this.epoch;
    if (newEpoch) this.sync(hd.epoch);
    if (hd.flags & Flag.ackValid) this.inflight = this.inflight.filter((f) => seqDistance(f.seq, hd.ack) >= 0x8000);
    this.buddyCredit = hd.credit;
    const v = this.rx.observe(hd.seq, !isIdle(hd));
    if (v.kind === 'gap') this.stats.rxLost += v.lost;
    if (isIdle(hd)) return { kind: 'ok', header: hd, newEpoch, frame: null };
    const f = decodeFrame(miso);
    if (!f.ok) {
      this.stats.rxBadPayload++;
      return { kind: 'ok', header: hd, newEpoch, frame: null };
    }
    this.lastIntact = hd.seq;
    this.stats.rxFrames++;
    this.stats.rxPayloadBytes += hd.length;
    return { kind: 'ok', header: hd, newEpoch, frame: f.value };
  }
}
