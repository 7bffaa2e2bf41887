/**
 * The CPU driver: runs the link from its end and offers the API a scenario (or an OS) uses.
 *
 * Transaction scheduling (never busy-polls): a transaction starts only while READY is high (in
 * IRQ-only mode: `Timing.armMaxNs` after the previous CS release) and when IRQ is high, a frame is
 * waiting (control always; ethernet only within the buddy's credit), the previous MISO header said
 * `pending`, or a poll is due. Polls: every `pollNs` (2 s, above the heartbeat period) of quiet, and every `creditPollNs`
 * (100 us) while ethernet is blocked on credit (a credit update alone does not raise IRQ).
 * After CS release READY is ignored for `Timing.readyFallMaxNs`, then the driver waits for high.
 *
 * Sync: on a `boot` or any MISO header with a new epoch the driver adopts the epoch, fails the
 * outstanding requests (`buddy-reset`), sends `hello` and opens the request table on `ok`.
 * Liveness: after `Timing.livenessTimeoutNs` without a valid MISO header it pulses RESET.
 *
 * API (promises resolved in virtual time): whenReady, scan, connect, disconnect, getStatus,
 * setTraceLevel, echo, reset, hardReset, sendEthernet, txSpace, status.
 */
import { Channel, MAX_PAYLOAD, PROTOCOL_VERSION, Timing } from '../../protocol/constants.ts';
import type { ControlBody } from '../../protocol/control-schema.ts';
import { decodeControl, type ControlMessage } from '../../protocol/control.ts';
import { Reassembler, fragment } from '../../protocol/fragment.ts';
import { decodeTrace, type DecodedTrace } from '../../protocol/trace.ts';
import type { SpiBus, TransferResult } from '../bus.ts';
import type { Scheduler, Timer } from '../scheduler.ts';
import { DriverLink } from './link.ts';
import type { OutFrame } from '../out-frame.ts';
import { RequestTable, type RequestOutcome } from './requests.ts';

export interface DriverOptions {
  irqOnly: boolean;
  cpuCredit: number;
  hostTxCapacity: number;
  pollNs: number;
  creditPollNs: number;
  livenessTimeoutNs: number;
  resetPulseNs: number;
  requestTimeoutNs: number;
  scanTimeoutNs: number;
  connectTimeoutNs: number;
  retries: number;
  traceLevel: number | null;
  maxFrame: number;
}

export const DEFAULT_DRIVER: DriverOptions = {
  irqOnly: false,
  cpuCredit: 8,
  hostTxCapacity: 32,
  pollNs: 2_000_000_000,
  creditPollNs: 100_000,
  livenessTimeoutNs: Timing.livenessTimeoutNs,
  resetPulseNs: Timing.resetPulseMinNs * 2,
  requestTimeoutNs: Timing.requestTimeoutNs,
  scanTimeoutNs: 3_000_000_000,
  connectTimeoutNs: 10_000_000_000,
  retries: 2,
  traceLevel: 2,
  maxFrame: MAX_PAYLOAD,
};

export interface DriverStats {
  transactions: number;
  boots: number;
  handshakes: number;
  livenessResets: number;
  ethTxFrames: number;
  ethTxBytes: number;
  ethRxFrames: number;
  ethRxBytes: number;
  traceMessages: number;
  creditStalls: number;
  events: number;
}

export type Phase = 'unsynced' | 'handshaking' | 'ready';

export class Driver {
  readonly opts: DriverOptions;
  readonly link: DriverLink;
  readonly requests: RequestTable;
  readonly stats: DriverStats = {
    transactions: 0, boots: 0, handshakes: 0, livenessResets: 0, ethTxFrames: 0, ethTxBytes: 0, ethRxFrames: 0, ethRxBytes: 0,
    traceMessages: 0, creditStalls: 0, events: 0,
  };
  phase: Phase = 'unsynced';
  boot: ControlBody<'boot'> | null = null;
  /** Host stack hooks. */
  onEthernet: (frame: Uint8Array) => void = () => {};
  onEvent: (msg: ControlMessage) => void = () => {};
  onTrace: (ev: DecodedTrace) => void = () => {};
  /** First and last time ethernet payload crossed the bus in each direction (for goodput). */
  readonly ethSpan = { txFirst: -1, txLast: -1, rxFirst: -1, rxLast: -1 };

  private ctl: Uint8Array[] = [];
  private ctlFrags: { parts: Uint8Array[]; at: number } | null = null;
  private eth: Uint8Array[] = [];
  private reasm = new Reassembler();
  private inTxn = false;
  private gateOpen = true;
  private lastPending = false;
  private pollDue = false;
  private creditPollDue = false;
  private creditPollTimer: Timer | null = null;
  private pollTimer: Timer | null = null;
  private kickTimer: Timer | null = null;
  private lastValidNs = 0;
  private resetting = false;
  private readyWaiters: (() => void)[] = [];
  private spaceWaiters: (() => void)[] = [];
  /** Synchronous form of txSpace() for callers outside the promise world (replay). */
  private spaceCallbacks: (() => void)[] = [];

  constructor(private readonly sched: Scheduler, private readonly bus: SpiBus, opts: Partial<DriverOptions> = {}) {
    this.opts = { ...DEFAULT_DRIVER, ...opts };
    this.link = new DriverLink(this.opts.cpuCredit);
    this.requests = new RequestTable(sched, (bytes) => this.queueControl(bytes), this.opts.retries);
    bus.onLine((line, level) => {
      if ((line === 'ready' || line === 'irq') && level === 1) this.kick();
    });
    this.armPoll();
    this.sched.after(this.opts.livenessTimeoutNs, () => this.checkLiveness());
  }

  // ---------------- API ----------------
  whenReady(): Promise<void> {
    if (this.phase === 'ready') return Promise.resolve();
    return new Promise((r) => this.readyWaiters.push(r));
  }
  scan(): Promise<RequestOutcome> {
    return this.requests.request('scan', {}, this.opts.scanTimeoutNs);
  }
  connect(ssid: string, passphrase?: string): Promise<RequestOutcome> {
    return this.requests.request('connect', passphrase === undefined ? { ssid } : { ssid, passphrase }, this.opts.connectTimeoutNs);
  }
  disconnect(): Promise<RequestOutcome> {
    return this.requests.request('disconnect', {}, this.opts.requestTimeoutNs);
  }
  getStatus(): Promise<RequestOutcome> {
    return this.requests.request('get_status', {}, this.opts.requestTimeoutNs);
  }
  setTraceLevel(level: number | null): Promise<RequestOutcome> {
    return this.requests.request('set_trace_level', { level }, this.opts.requestTimeoutNs);
  }
  echo(data: Uint8Array): Promise<RequestOutcome> {
    return this.requests.request('echo', { data }, this.opts.requestTimeoutNs);
  }
  /** Software reset: settles when the new boot arrives; `whenReady()` then waits for the handshake. */
  reset(): Promise<RequestOutcome> {
    return this.requests.request('reset', {}, this.opts.requestTimeoutNs);
  }
  /** Pulses the RESET line and re-handshakes when the buddy boots. */
  hardReset(): void {
    if (this.resetting) return;
    this.resetting = true;
    this.bus.setLine('reset', 0);
    this.teardown(0);
    this.phase = 'unsynced';
    this.sched.after(this.opts.resetPulseNs, () => {
      this.resetting = false;
      this.bus.setLine('reset', 1);
      this.lastValidNs = this.sched.now;
    });
  }
  /** Queues an Ethernet frame; false when the host queue is full (await `txSpace()`). */
  sendEthernet(frame: Uint8Array): boolean {
    if (frame.length > MAX_PAYLOAD) throw new RangeError(`ethernet frame of ${frame.length} bytes exceeds ${MAX_PAYLOAD}`);
    if (this.eth.length >= this.opts.hostTxCapacity) return false;
    this.eth.push(frame);
    this.kick();
    return true;
  }
  txSpace(): Promise<void> {
    if (this.eth.length < this.opts.hostTxCapacity) return Promise.resolve();
    return new Promise((r) => this.spaceWaiters.push(r));
  }
  /** Calls `fn` (synchronously, in virtual time) once the host queue has room again. */
  onTxSpace(fn: () => void): void {
    if (this.eth.length < this.opts.hostTxCapacity) fn();
    else this.spaceCallbacks.push(fn);
  }
  get txQueued(): number {
    return this.eth.length;
  }
  status(): { phase: Phase; epoch: number; outstanding: number; txQueued: number; credit: number } {
    return { phase: this.phase, epoch: this.link.epoch, outstanding: this.requests.outstandingCount, txQueued: this.eth.length, credit: this.link.buddyCredit };
  }

  // ---------------- runner ----------------
  private queueControl(bytes: Uint8Array): void {
    this.ctl.push(bytes);
    this.kick();
  }

  private armPoll(): void {
    if (this.pollTimer) this.pollTimer.cancelled = true;
    this.pollTimer = this.sched.after(this.opts.pollNs, () => {
      this.pollDue = true;
      this.kick();
    });
  }

  private readyToClock(): boolean {
    if (this.inTxn || !this.gateOpen || this.resetting || this.bus.level('reset') === 0) return false;
    return this.opts.irqOnly || this.bus.level('ready') === 1;
  }

  /** Re-evaluates whether to start a transaction now. Cheap; called on every trigger. */
  kick(): void {
    if (!this.readyToClock()) return;
    if (!this.bus.idle) {
      if (!this.kickTimer || this.kickTimer.cancelled) this.kickTimer = this.sched.at(this.bus.idleAt, () => { this.kickTimer = null; this.kick(); });
      return;
    }
    const haveCtl = this.ctlFrags !== null || this.ctl.length > 0;
    const ethAllowed = this.phase === 'ready' && this.eth.length > 0;
    const canEth = ethAllowed && this.link.canSendCredited(this.sched.now);
    if (ethAllowed && !canEth && !this.creditPollTimer) {
      this.stats.creditStalls++;
      this.creditPollTimer = this.sched.after(this.opts.creditPollNs, () => {
        this.creditPollTimer = null;
        this.creditPollDue = true;
        this.kick();
      });
    }
    const want = this.bus.level('irq') === 1 || haveCtl || canEth || this.pollDue || this.creditPollDue || (this.opts.irqOnly && this.lastPending);
    if (want) this.startTxn(canEth);
  }

  private nextOut(canEth: boolean): OutFrame | null {
    if (!this.ctlFrags && this.ctl.length) this.ctlFrags = { parts: fragment(this.ctl.shift() as Uint8Array, this.maxFrame()), at: 0 };
    const c = this.ctlFrags;
    if (c) {
      const cont = c.at > 0;
      const payload = c.parts[c.at++];
      const more = c.at < c.parts.length;
      if (!more) this.ctlFrags = null;
      return { channel: Channel.control, payload, more, cont };
    }
    if (canEth) {
      const frame = this.eth.shift() as Uint8Array;
      const now = this.sched.now;
      if (this.ethSpan.txFirst < 0) this.ethSpan.txFirst = now;
      this.stats.ethTxFrames++;
      this.stats.ethTxBytes += frame.length;
      const w = this.spaceWaiters.shift();
      if (w) {
        this.sched.wake();
        w();
      } else {
        // Later at this instant, like a resolved promise: never re-entering this transaction.
        const cb = this.spaceCallbacks.shift();
        if (cb) this.sched.at(this.sched.now, cb);
      }
      return { channel: Channel.ethernet, payload: frame, more: false, cont: false };
    }
    return null;
  }

  private maxFrame(): number {
    return Math.min(this.opts.maxFrame, this.boot?.max_frame ?? MAX_PAYLOAD);
  }

  private startTxn(canEth: boolean): void {
    this.pollDue = false;
    this.creditPollDue = false;
    const out = this.nextOut(canEth);
    const pending = this.ctl.length > 0 || this.ctlFrags !== null || this.eth.length > 0;
    const mosi = this.link.build(out, pending, this.sched.now);
    this.inTxn = true;
    this.gateOpen = false;
    const r = this.bus.transfer(mosi);
    this.stats.transactions++;
    this.sched.at(r.endNs, () => this.endTxn(r, out?.channel === Channel.ethernet));
  }

  private endTxn(r: TransferResult, sentEth: boolean): void {
    this.inTxn = false;
    if (sentEth) this.ethSpan.txLast = r.endNs;
    this.armPoll();
    this.onMiso(r.miso);
    const wait = this.opts.irqOnly ? Timing.armMaxNs : Timing.readyFallMaxNs;
    this.sched.after(wait, () => {
      this.gateOpen = true;
      this.kick();
    });
  }

  private onMiso(miso: Uint8Array): void {
    const o = this.link.receive(miso);
    if (o.kind === 'bad') {
      this.lastPending = false;
      return;
    }
    this.lastValidNs = this.sched.now;
    this.lastPending = (o.header.flags & 0x02) !== 0;
    if (o.newEpoch) this.teardown(o.header.epoch);
    const f = o.frame;
    let bootMsg: ControlMessage | null = null;
    if (f) {
      for (const ev of this.reasm.push(f)) {
        if (ev.kind !== 'complete') continue;
        if (ev.channel === Channel.control) {
          const m = decodeControl(ev.message);
          if (m.ok && m.value.type !== 'unknown') {
            if (m.value.type === 'boot') bootMsg = m.value;
            else this.onControl(m.value);
          }
        } else if (ev.channel === Channel.ethernet) {
          const now = this.sched.now;
          if (this.ethSpan.rxFirst < 0) this.ethSpan.rxFirst = now;
          this.ethSpan.rxLast = now;
          this.stats.ethRxFrames++;
          this.stats.ethRxBytes += ev.message.length;
          this.onEthernet(ev.message);
        } else if (ev.channel === Channel.trace) {
          this.stats.traceMessages++;
          const t = decodeTrace(ev.message);
          if (t.ok) this.onTrace(t.value);
        }
      }
    }
    if (o.newEpoch || bootMsg) {
      this.requests.onBoot(bootMsg);
      if (bootMsg && bootMsg.type === 'boot') this.boot = bootMsg.body;
      if (o.newEpoch || this.phase !== 'handshaking') this.handshake();
    }
  }

  private onControl(msg: ControlMessage): void {
    if (msg.id !== 0) {
      this.requests.onReply(msg);
      return;
    }
    this.stats.events++;
    this.onEvent(msg);
  }

  /** Link state for a new buddy epoch (0 = none yet, after a RESET pulse). */
  private teardown(epoch: number): void {
    this.link.sync(epoch);
    this.reasm.abandon('buddy reset');
    this.ctl = [];
    this.ctlFrags = null;
    this.requests.open = false;
    this.lastPending = false;
    if (epoch === 0) this.requests.onBoot(null);
  }

  private handshake(): void {
    this.stats.boots++;
    this.phase = 'handshaking';
    const epoch = this.link.epoch;
    const credit = this.opts.cpuCredit;
    this.requests.maxRequests = this.boot?.max_requests ?? 1;
    void this.requests
      .request('hello', { protocol: PROTOCOL_VERSION, epoch, max_frame: this.maxFrame(), credit, trace_level: this.opts.traceLevel, host: 'buddyshark-sim' }, this.opts.requestTimeoutNs, true)
      .then((o) => {
        if (this.link.epoch !== epoch) return;
        if (o.ok) {
          this.stats.handshakes++;
          this.phase = 'ready';
          this.requests.open = true;
          this.requests.pump();
          this.sched.wake();
          for (const w of this.readyWaiters.splice(0)) w();
          this.kick();
        } else if (o.code !== 'buddy-reset') this.sched.after(100_000_000, () => { if (this.link.epoch === epoch && this.phase === 'handshaking') this.handshake(); });
      });
  }

  private checkLiveness(): void {
    const due = this.lastValidNs + this.opts.livenessTimeoutNs;
    if (this.sched.now >= due && !this.resetting) {
      this.stats.livenessResets++;
      this.hardReset();
      this.sched.after(this.opts.livenessTimeoutNs, () => this.checkLiveness());
      return;
    }
    this.sched.at(Math.max(due, this.sched.now + 1), () => this.checkLiveness());
  }
}
