/**
 * What the CPU's host asked its driver to do, recovered from the captured MOSI side, so
 * `--against cpu` can ask the simulated driver the same at the same moments:
 * requests (scan, connect, ...), Ethernet frames to send, and RESET pulses the host ordered.
 *
 * Left out because the driver does them by itself, and they are what the replay checks: `hello`,
 * a request re-sent with an id already seen (a retry), and a RESET pulse that came after the
 * liveness timeout without a valid MISO header.
 *
 * When: the driver sets PENDING in a frame's header while more is queued after it. A message
 * carried in transaction k was queued before every transaction of the PENDING run just before k
 * (back to the transaction that carried the previous message, whose PENDING it also explains),
 * and after the transaction before that run began. It is asked for at the end of the transaction
 * before the run, or at k's own start when k-1 was not PENDING (the driver clocks as soon as it
 * has something, so that is when it arrived, or READY rose at that instant). Times never go
 * backwards, so the host's order is kept. Only the transactions since the last carrier are held;
 * `holdNs` tells the engine how far the simulation may run before the next carrier is known.
 *
 * The same rule read on the MISO side (`side: 'miso'`) gives the Ethernet frames the buddy heard
 * over the air, for `--against buddy` in a world derived from the capture, where they come from
 * the capture rather than from a simulated peer. The buddy prepares MISO when the previous
 * transaction ends (plus its processing delay), so a frame is delivered 1 ns after the end of the
 * transaction before the run. With no run, the frame came while an idle MISO frame was armed and
 * the buddy re-armed with it (raising IRQ, which made the CPU clock k): it is delivered just in
 * time for that re-arm before k starts, so what the buddy had sent meanwhile (its credit) matches.
 */
import { Channel, Flag, Timing } from '../protocol/constants.ts';
import { decodeControl, type ControlMessage } from '../protocol/control.ts';
import { ok, type Result } from '../protocol/errors.ts';
import { decodeFrame, decodeHeader, frameSize, type Frame } from '../protocol/frame.ts';
import { Reassembler } from '../protocol/fragment.ts';
import { REARM_NS } from '../sim/buddy/buddy.ts';
import type { CapturedTxn } from './captured.ts';

export type HostAction =
  | { readonly kind: 'request'; readonly atNs: number; readonly msg: ControlMessage }
  | { readonly kind: 'ethernet'; readonly atNs: number; readonly frame: Uint8Array }
  | { readonly kind: 'hard-reset'; readonly atNs: number };

interface Seen {
  readonly startNs: number;
  readonly endNs: number;
  readonly pending: boolean;
}

/** Transactions kept while waiting for a carrier; past this a very long stall is cut short. */
const MAX_TAIL = 65_536;

export class HostActionDeriver {
  /** The previous transaction's end (the MISO side's delivery time when there is no PENDING run). */
  private prevEnd = -1;
  /** The transaction before the last carrier, the carrier, and every one since. */
  private tail: Seen[] = [];
  private lastAt = 0;
  private readonly reasm = new Reassembler();
  private readonly ids = new Set<number>();
  private messageStart: number | null = null;
  private lastValidMiso = 0;
  private epoch = -1;
  derivedRequests = 0;
  derivedFrames = 0;

  /** 'mosi': the host's requests and frames; 'miso': the frames the buddy received over the air. */
  constructor(private readonly side: 'mosi' | 'miso' = 'mosi') {}

  /** A captured transaction, in order; returns the host actions it reveals. */
  push(t: CapturedTxn): HostAction[] {
    const out: HostAction[] = [];
    if (t.miso) {
      // A valid header is what the driver's liveness check counts (the payload need not be whole).
      const m = decodeHeader(t.miso);
      if (m.ok) {
        this.lastValidMiso = t.endNs;
        if (m.value.epoch !== this.epoch) {
          this.epoch = m.value.epoch;
          this.ids.clear(); // request ids start again after a buddy reset
        }
      }
    }
    const bytes = this.side === 'mosi' ? t.mosi : t.miso;
    const f = bytes ? salvageFrame(bytes) : null;
    const pending = f?.ok ? (f.value.header.flags & Flag.pending) !== 0 : false;
    const seen: Seen = { startNs: t.startNs, endNs: t.endNs, pending };
    if (f?.ok && !(f.value.header.channel === Channel.link && f.value.header.length === 0)) {
      const first = (f.value.header.flags & Flag.cont) === 0;
      if (first) this.messageStart = this.queuedAt(t);
      // A carrier: earlier transactions no longer bound when the next message was queued.
      this.tail = this.tail.length ? [this.tail[this.tail.length - 1]] : [];
      for (const ev of this.reasm.push(f.value)) {
        if (ev.kind !== 'complete') continue;
        const at = this.messageStart ?? t.startNs;
        if (ev.channel === Channel.ethernet) {
          this.derivedFrames++;
          out.push({ kind: 'ethernet', atNs: at, frame: ev.message });
        } else if (ev.channel === Channel.control && this.side === 'mosi') {
          const c = decodeControl(ev.message);
          if (c.ok && c.value.type !== 'unknown' && c.value.id !== 0 && c.value.type !== 'hello' && !this.ids.has(c.value.id)) {
            this.ids.add(c.value.id);
            this.derivedRequests++;
            out.push({ kind: 'request', atNs: at, msg: c.value });
          }
        }
      }
    }
    this.tail.push(seen);
    if (this.tail.length > MAX_TAIL) this.tail.shift();
    this.prevEnd = t.endNs;
    return out;
  }

  /** A captured RESET falling edge: the host's own unless the driver's liveness timeout explains it. */
  resetFell(atNs: number): HostAction | null {
    if (atNs - this.lastValidMiso >= Timing.livenessTimeoutNs - 1_000_000) return null;
    return { kind: 'hard-reset', atNs };
  }

  /** When the next carrier's message would be asked for, at the latest: the engine must not run past it. */
  get holdNs(): number {
    return this.runStartNs() ?? Infinity;
  }

  private queuedAt(t: CapturedTxn): number {
    const run = this.runStartNs();
    const own = this.side === 'mosi' ? (run ?? t.startNs) : run !== null ? run + 1 : Math.max(this.prevEnd + 1, t.startNs - REARM_NS - 1_000);
    const at = Math.max(this.lastAt, own);
    this.lastAt = at;
    return at;
  }

  /** The end of the transaction before the PENDING run that ends the tail; null when there is no run. */
  private runStartNs(): number | null {
    let i = this.tail.length - 1;
    if (i < 0 || !this.tail[i].pending) return null;
    // tail[0] is the transaction before the last carrier: the run may reach back to the carrier only.
    while (i > 1 && this.tail[i - 1].pending) i--;
    return i > 0 ? this.tail[i - 1].endNs : this.tail[0].startNs - 1;
  }
}

/**
 * A frame whose payload was hit on the wire still says, in its checked header, what was sent and
 * how long; its payload is what the host handed over with the flipped bits (an Ethernet frame the
 * driver then sends as it is; a control message only if it still decodes).
 */
function salvageFrame(bytes: Uint8Array): Result<Frame> {
  const whole = decodeFrame(bytes);
  if (whole.ok || whole.error.code !== 'payload-crc') return whole;
  const h = decodeHeader(bytes);
  if (!h.ok || bytes.length < frameSize(h.value.length)) return whole;
  return ok({ header: h.value, payload: bytes.subarray(16, 16 + h.value.length) });
}
