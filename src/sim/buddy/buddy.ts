/**
 * The buddy firmware model (ESP32-C3): power and reset, the SPI runner (arm, READY/IRQ, process
 * each MOSI frame), heartbeats, and the WiFi datapath between the link and the air.
 *
 * Runner timeline per transaction: CS released -> READY low after `readyFallNs` (1 us) -> the MOSI
 * frame is processed -> after `processingDelayNs` (20 us, plus `extraDelayNs` from a slow-buddy
 * fault) the next frame is armed, IRQ set to "a non-idle frame is armed", READY high. When data
 * arrives while an idle frame is armed the buddy re-arms in place (IRQ rises, READY stays high).
 *
 * Lifecycle: power-on or RESET release -> boot after `bootDelayNs` (50 ms) -> new epoch 1..255
 * (never the last one), seq counters 0, `boot` event queued, READY and IRQ high. RESET low, the
 * `reset` request or a crash fault power it down at once (READY and IRQ low, state lost).
 *
 * Options (defaults): see DEFAULT_BUDDY.
 */
import type { ControlBody } from '../../protocol/control-schema.ts';
import { Channel, MAX_PAYLOAD, PROTOCOL_VERSION, Timing } from '../../protocol/constants.ts';
import { decodeControl } from '../../protocol/control.ts';
import { Reassembler } from '../../protocol/fragment.ts';
import type { SpiBus, SpiTarget } from '../bus.ts';
import type { Rng } from '../prng.ts';
import type { Scheduler } from '../scheduler.ts';
import type { Ap } from '../world/access-points.ts';
import { WIFI_TIMING } from '../world/access-points.ts';
import type { World } from '../world/world.ts';
import { ControlHandlers, type ControlHost } from './control.ts';
import { BuddyLink } from './link.ts';
import { BuddyTxQueues } from './queues.ts';
import type { LinkState } from './state.ts';
import { CALLSITES, Tracer } from './trace.ts';

export interface BuddyOptions {
  bootDelayNs: number;
  processingDelayNs: number;
  readyFallNs: number;
  maxRequests: number;
  /** WiFi TX queue slots: the credit advertised to the CPU. */
  wifiTxCapacity: number;
  /** Frames from the air waiting for the CPU. */
  rxQueueCapacity: number;
  traceQueueCapacity: number;
  replyCacheSize: number;
  heartbeatNs: number;
  fwVersion: string;
  mac: Uint8Array;
  /** Boot epochs to use, in boot order, instead of random ones (replay boots with the captured ones). */
  epochs?: readonly number[];
}

export const DEFAULT_BUDDY: BuddyOptions = {
  bootDelayNs: 50_000_000,
  processingDelayNs: 20_000,
  readyFallNs: 1_000,
  maxRequests: 4,
  wifiTxCapacity: 8,
  rxQueueCapacity: 16,
  traceQueueCapacity: 32,
  replyCacheSize: 8,
  heartbeatNs: Timing.heartbeatNs,
  fwVersion: 'buddy-sim 0.1.0',
  mac: new Uint8Array([0x02, 0xb5, 0x00, 0x00, 0x00, 0x01]),
};

export interface BuddyStats {
  boots: number;
  txDropped: number;
  rxDropped: number;
  heartbeats: number;
  wifiTxFrames: number;
  wifiRxFrames: number;
}

/** How long the firmware takes to swap an armed idle frame for one with the data that just arrived. */
export const REARM_NS = 2_000;

export class Buddy implements SpiTarget, ControlHost {
  readonly opts: BuddyOptions;
  readonly link = new BuddyLink();
  readonly queues: BuddyTxQueues;
  readonly tracer: Tracer;
  readonly stats: BuddyStats = { boots: 0, txDropped: 0, rxDropped: 0, heartbeats: 0, wifiTxFrames: 0, wifiRxFrames: 0 };
  private readonly handlers: ControlHandlers;
  private readonly reasm = new Reassembler();
  private power: 'off' | 'booting' | 'running' = 'off';
  private gen = 0;
  private armed: Uint8Array | null = null;
  private armedIdle = true;
  private rearmQueued = false;
  private synced = false;
  private lastEpoch = 0;
  private bootAt = 0;
  private wifiTx: Uint8Array[] = [];
  private assoc: Ap | null = null;
  linkState: LinkState = { kind: 'idle' };
  /** Slow-buddy fault: added to every processing delay. */
  extraDelayNs = 0;

  constructor(
    private readonly sched: Scheduler,
    private readonly bus: SpiBus,
    private readonly world: World,
    private readonly rng: Rng,
    opts: Partial<BuddyOptions> = {},
  ) {
    this.opts = { ...DEFAULT_BUDDY, ...opts };
    this.queues = new BuddyTxQueues(this.opts.rxQueueCapacity, this.opts.traceQueueCapacity);
    this.tracer = new Tracer(this.queues);
    this.handlers = new ControlHandlers(this, this.opts.replyCacheSize);
    bus.attach(this);
    bus.onLine((line, level) => {
      if (line !== 'reset') return;
      if (level === 0) this.powerDown();
      else this.startBoot('reset-pin');
    });
    world.onAirFrame = (f) => this.fromAir(f);
    world.toPeer.onIdle = () => this.pumpAir();
    world.aps.onGone((ap) => this.apGone(ap));
    this.startBoot('power-on');
  }

  // ---- ControlHost ----
  get now(): number {
    return this.sched.now;
  }
  get mac(): Uint8Array {
    return this.opts.mac;
  }
  later(delayNs: number, fn: () => void): void {
    const g = this.gen;
    this.sched.after(delayNs, () => {
      if (g === this.gen) fn();
    });
  }
  sendControl(bytes: Uint8Array): void {
    this.queues.pushControl(bytes);
    this.rearmSoon();
  }
  hello(body: ControlBody<'hello'>): void {
    this.synced = true;
    this.link.cpuCredit = body.credit;
    this.link.cpuMaxFrame = Math.max(1, Math.min(MAX_PAYLOAD, body.max_frame));
    this.tracer.level = body.trace_level;
  }
  softReset(): void {
    this.powerDown();
    this.startBoot('software');
  }
  status(): ControlBody<'status'> {
    const ap = this.assoc;
    return {
      state: this.linkState.kind, mac: this.opts.mac, uptime_ms: Math.floor((this.sched.now - this.bootAt) / 1e6),
      ...(ap && this.linkState.kind === 'connected' ? { ssid: ap.ssid, bssid: ap.bssid, channel: ap.channel, rssi: ap.rssi } : {}),
      tx_frames: this.stats.wifiTxFrames >>> 0, rx_frames: this.stats.wifiRxFrames >>> 0, tx_dropped: this.stats.txDropped, rx_dropped: this.stats.rxDropped,
      trace_dropped: this.tracer.droppedTotal,
    };
  }
  scanAps(): Ap[] {
    return this.world.aps.scan();
  }
  connectAp(ssid: string, passphrase: string | undefined): ReturnType<World['aps']['connect']> {
    return this.world.aps.connect(ssid, passphrase);
  }
  associated(ap: Ap): void {
    this.assoc = ap;
    this.linkState = { kind: 'connected', ap: { ssid: ap.ssid, bssid: ap.bssid, channel: ap.channel } };
  }
  rssiOf(ap: Ap): number {
    return ap.rssi;
  }

  // ---- lifecycle ----
  private powerDown(): void {
    this.gen++;
    this.power = 'off';
    this.armed = null;
    this.armedIdle = true;
    this.rearmQueued = false;
    this.queues.clear();
    this.wifiTx = [];
    this.assoc = null;
    this.linkState = { kind: 'idle' };
    this.bus.setLine('ready', 0);
    this.bus.setLine('irq', 0);
  }

  private startBoot(reason: string): void {
    if (this.bus.level('reset') === 0) return;
    this.gen++;
    this.power = 'booting';
    const g = this.gen;
    this.sched.after(this.opts.bootDelayNs, () => {
      if (g === this.gen) this.boot(reason);
    });
  }

  /** Crash fault: the watchdog resets the chip. */
  crash(): void {
    if (this.power === 'off') return;
    this.powerDown();
    this.startBoot('watchdog');
  }

  private boot(reason: string): void {
    let epoch = this.rng.int(1, 255);
    if (epoch === this.lastEpoch) epoch = (epoch % 255) + 1;
    // Drawn either way, so a forced epoch leaves the rest of the buddy's random stream unchanged.
    epoch = this.opts.epochs?.[this.stats.boots] ?? epoch;
    this.lastEpoch = epoch;
    this.power = 'running';
    this.bootAt = this.sched.now;
    this.stats.boots++;
    this.synced = false;
    this.link.reset(epoch);
    this.tracer.reset();
    this.handlers.clear();
    this.reasm.abandon('boot');
    this.handlers.event('boot', {
      protocol: PROTOCOL_VERSION, epoch, fw_version: this.opts.fwVersion, mac: this.opts.mac, mtu: 1500, max_frame: MAX_PAYLOAD,
      max_requests: this.opts.maxRequests, credit: this.opts.wifiTxCapacity, caps: ['wifi-sta', 'trace', 'echo'], reset_reason: reason,
    });
    this.arm();
    this.later(this.opts.heartbeatNs, () => this.heartbeat());
  }

  private heartbeat(): void {
    this.stats.heartbeats++;
    const ap = this.linkState.kind === 'connected' ? this.assoc : null;
    if (ap) this.tracer.event(CALLSITES.rssi, { rssi: ap.rssi });
    this.handlers.event('heartbeat', {
      uptime_ms: Math.floor((this.sched.now - this.bootAt) / 1e6), state: this.linkState.kind, ...(ap ? { rssi: ap.rssi } : {}),
      tx_queue: this.wifiTx.length, rx_queue: this.queues.ethLength, trace_dropped: this.tracer.droppedTotal,
    });
    this.later(this.opts.heartbeatNs, () => this.heartbeat());
  }

  // ---- SPI runner (SpiTarget) ----
  armedFrame(): Uint8Array | null {
    return this.power === 'running' ? this.armed : null;
  }

  private credit(): number {
    return this.opts.wifiTxCapacity - this.wifiTx.length - this.world.toPeer.backlog;
  }

  private arm(): void {
    if (this.power !== 'running') return;
    this.tracer.flushDiscarded();
    const f = this.link.build(this.queues, this.credit(), this.sched.now);
    this.armed = f.bytes;
    this.armedIdle = f.idle;
    this.bus.setLine('irq', f.idle ? 0 : 1);
    this.bus.setLine('ready', 1);
  }

  /** New data (or new credit) while an idle frame is armed: swap it for a fresh one. */
  private rearmSoon(): void {
    if (this.rearmQueued || this.power !== 'running' || !this.armed || !this.armedIdle) return;
    this.rearmQueued = true;
    this.later(REARM_NS, () => {
      this.rearmQueued = false;
      if (this.armed && this.armedIdle && this.bus.idle) this.arm();
    });
  }

  private afterTransfer(): void {
    this.armed = null;
    this.rearmQueued = false;
    this.later(this.opts.readyFallNs, () => this.bus.setLine('ready', 0));
    this.later(Math.max(this.opts.processingDelayNs, this.opts.readyFallNs + 1) + this.extraDelayNs, () => this.arm());
  }

  onTransaction(mosi: Uint8Array): void {
    if (this.power !== 'running') return;
    this.afterTransfer();
    const frame = this.link.receive(mosi, this.synced);
    if (!frame) return;
    const { channel, length } = frame.header;
    this.tracer.event(CALLSITES.spiRx, { channel, len: length });
    if (channel === Channel.control) {
      for (const ev of this.reasm.push(frame)) {
        if (ev.kind !== 'complete') continue;
        const msg = decodeControl(ev.message);
        if (msg.ok) this.handlers.handle(msg.value);
      }
    } else if (channel === Channel.ethernet) this.toAir(frame.payload.slice());
  }

  onCsGlitch(): void {
    if (this.power !== 'running' || !this.armed) return;
    // Nothing was clocked: the same descriptors are re-armed after the usual turnaround.
    const keep = this.armed;
    const idle = this.armedIdle;
    this.armed = null;
    this.later(this.opts.readyFallNs, () => this.bus.setLine('ready', 0));
    this.later(this.opts.processingDelayNs + this.extraDelayNs, () => {
      if (!idle) {
        this.armed = keep;
        this.armedIdle = false;
        this.bus.setLine('irq', 1);
        this.bus.setLine('ready', 1);
      } else this.arm();
    });
  }

  // ---- WiFi datapath ----
  private toAir(frame: Uint8Array): void {
    if (this.linkState.kind !== 'connected' || !this.synced) return void this.stats.txDropped++;
    this.tracer.event(CALLSITES.netTx, { len: frame.length });
    if (this.credit() <= 0) return void this.stats.txDropped++;
    this.wifiTx.push(frame);
    if (this.credit() === 0) this.tracer.event(CALLSITES.flowStop, { queued: this.wifiTx.length });
    this.pumpAir();
  }

  private pumpAir(): void {
    if (this.power !== 'running') return;
    while (this.world.toPeer.backlog === 0 && this.wifiTx.length) {
      const f = this.wifiTx.shift() as Uint8Array;
      this.stats.wifiTxFrames++;
      this.world.toPeer.send(f, (b) => this.world.peer.receive(b));
    }
    this.rearmSoon();
  }

  private fromAir(frame: Uint8Array): void {
    if (this.power !== 'running' || this.linkState.kind !== 'connected' || !this.synced) return;
    if (!this.queues.pushEthernet(frame)) {
      this.stats.rxDropped++;
      this.tracer.event(CALLSITES.rxOverflow, { dropped: this.stats.rxDropped });
      return;
    }
    this.stats.wifiRxFrames++;
    this.tracer.event(CALLSITES.netRx, { len: frame.length });
    this.rearmSoon();
  }

  private apGone(ap: Ap): void {
    if (this.assoc !== ap || this.linkState.kind !== 'connected') return;
    this.later(WIFI_TIMING.beaconLossNs, () => {
      if (this.assoc !== ap || ap.present || this.linkState.kind !== 'connected') return;
      this.tracer.event(CALLSITES.beaconLoss, { ssid: ap.ssid });
      this.assoc = null;
      this.linkState = { kind: 'disconnected', reason: 'beacon-loss' };
      this.handlers.event('link_down', { reason: 'beacon-loss' });
    });
  }
}
