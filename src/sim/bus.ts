/**
 * The SPI bus between the CPU (controller) and the buddy (target), with the side-band lines.
 *
 * Consumes: `transfer(mosiFrame)` calls from the CPU driver, the frame the buddy has armed (via the
 * `SpiTarget` it is given), line levels set by either side, fault decisions from `faults.ts`.
 * Emits: records into `out` in time order (run.ts drains it): a `TxnRecord` per CS assertion that
 * clocked bytes (index from 0, MOSI and MISO exactly as on the wire, after injected bit flips),
 * a `LineRecord` per level change of READY, IRQ and RESET, and an `AnomalyRecord` `cs-glitch` for a
 * CS pulse that clocked nothing.
 *
 * Transaction shape (normative, see the link rules): header phase of 16 bytes, the CPU decodes the
 * MISO header, body = max(frameSize(mosi.len), frameSize(miso.len, or 0 if that header is bad)) - 16,
 * the shorter side padded with 0x00. Duration = csSetup + bytes*8/clock + turnaround + csHold.
 *
 * Options (defaults): clockHz 20 MHz, mode 0 MSB-first, csSetupNs/csHoldNs Timing values (100 ns),
 * turnaroundNs 1 us, csGapNs (minimum CS-high time) 1 us, readyLine true (false = IRQ-only mode).
 */
import { HEADER_SIZE, Timing } from '../protocol/constants.ts';
import { decodeHeader, frameSize } from '../protocol/frame.ts';
import type { BuddyRecord, LineName } from '../records/types.ts';
import { DEFAULT_MODE, type SpiMode } from '../spi/types.ts';
import type { Scheduler } from './scheduler.ts';

export interface BusOptions {
  clockHz: number;
  mode: SpiMode;
  csSetupNs: number;
  csHoldNs: number;
  turnaroundNs: number;
  csGapNs: number;
  readyLine: boolean;
}

export const DEFAULT_BUS: BusOptions = {
  clockHz: 20_000_000,
  mode: DEFAULT_MODE,
  csSetupNs: Timing.csSetupNs,
  csHoldNs: Timing.csHoldNs,
  turnaroundNs: 1_000,
  csGapNs: 1_000,
  readyLine: true,
};

/** What the bus needs from the buddy's SPI peripheral. */
export interface SpiTarget {
  /** The frame armed for the next transaction, or null when not armed (MISO floats high: 0xFF). */
  armedFrame(): Uint8Array | null;
  /** CS released after `mosi` was clocked in (possibly cut short). Called at CS release time. */
  onTransaction(mosi: Uint8Array, miso: Uint8Array, cut: boolean): void;
  /** A CS pulse with no clocks. */
  onCsGlitch(): void;
  /** The buddy crashes (watchdog) at the current time. */
  crash(): void;
}

/** Per-transaction fault decisions (faults.ts implements them; `NO_FAULTS` has none). */
export interface BusFaults {
  /** Flips bits of one direction's wire bytes in place; returns how many. */
  flip(bytes: Uint8Array, dir: 'mosi' | 'miso'): number;
  /** Byte count after which CS is released early, or null. */
  cutAfter(totalBytes: number): number | null;
  /** True if the buddy should crash in the middle of this transaction. */
  crashMidTransfer(): boolean;
}

export const NO_FAULTS: BusFaults = { flip: () => 0, cutAfter: () => null, crashMidTransfer: () => false };

export interface TransferResult {
  readonly txn: number;
  readonly startNs: number;
  readonly endNs: number;
  /** MISO bytes as the CPU clocked them in. */
  readonly miso: Uint8Array;
  readonly cut: boolean;
}

export type LineListener = (line: LineName, level: 0 | 1) => void;

export interface BusStats {
  transactions: number;
  wireBytes: number;
  glitches: number;
  cuts: number;
  flippedBits: number;
  busyNs: number;
}

export class SpiBus {
  readonly opts: BusOptions;
  /** What crossed the bus, for the runner to drain; nothing is kept while `recording` is off. */
  readonly out: BuddyRecord[] = [];
  /** Off when nobody drains `out` (replay compares as it goes): the list would grow with the run. */
  recording = true;
  readonly stats: BusStats = { transactions: 0, wireBytes: 0, glitches: 0, cuts: 0, flippedBits: 0, busyNs: 0 };
  private levels: Record<LineName, 0 | 1> = { ready: 0, irq: 0, reset: 1, cs: 1 };
  private listeners: LineListener[] = [];
  private freeAt = 0;
  private txn = 0;
  private target: SpiTarget | null = null;
  faults: BusFaults = NO_FAULTS;

  constructor(private readonly sched: Scheduler, opts: Partial<BusOptions> = {}) {
    this.opts = { ...DEFAULT_BUS, ...opts };
    if (!(this.opts.clockHz > 0)) throw new TypeError(`bus option "clockHz" must be positive, got ${this.opts.clockHz}`);
  }

  attach(target: SpiTarget): void {
    this.target = target;
  }

  onLine(fn: LineListener): void {
    this.listeners.push(fn);
  }

  level(line: LineName): 0 | 1 {
    return this.levels[line];
  }

  /** Sets a line; records and notifies only on a change. READY does not exist in IRQ-only mode. */
  setLine(line: LineName, level: 0 | 1): void {
    if (this.levels[line] === level) return;
    this.levels[line] = level;
    if (line === 'ready' && !this.opts.readyLine) return;
    const t = this.sched.now;
    if (this.recording) this.out.push({ kind: 'line', startNs: t, endNs: t, line, level });
    for (const fn of this.listeners) fn(line, level);
  }

  /** True when a transaction could start now (CS high long enough). */
  get idle(): boolean {
    return this.sched.now >= this.freeAt;
  }

  get idleAt(): number {
    return this.freeAt;
  }

  byteNs(n: number): number {
    return (n * 8 * 1e9) / this.opts.clockHz;
  }

  /** Runs one transaction starting now. The caller must check `idle` first. */
  transfer(mosiFrame: Uint8Array): TransferResult {
    const o = this.opts;
    const start = this.sched.now;
    if (start < this.freeAt) throw new Error(`bus busy until ${this.freeAt}, transfer at ${start}`);
    const armed = this.target?.armedFrame() ?? null;
    const missing = armed === null;
    // Header phase: both headers as on the wire.
    const mosiHead = padTo(mosiFrame, HEADER_SIZE);
    const misoHead = armed ? padTo(armed, HEADER_SIZE) : new Uint8Array(HEADER_SIZE).fill(0xff);
    this.stats.flippedBits += this.faults.flip(misoHead, 'miso');
    const h = decodeHeader(misoHead);
    const misoLen = h.ok ? frameSize(h.value.length) : 0;
    const bodyLen = Math.max(mosiFrame.length, misoLen, HEADER_SIZE) - HEADER_SIZE;
    let n = HEADER_SIZE + bodyLen;
    const mosi = padTo(mosiFrame, n);
    const miso = new Uint8Array(n);
    miso.set(misoHead, 0);
    if (missing) miso.fill(0xff, HEADER_SIZE);
    else if (armed.length > HEADER_SIZE) miso.set(armed.subarray(HEADER_SIZE, Math.min(armed.length, n)), HEADER_SIZE);
    this.stats.flippedBits += this.faults.flip(mosi, 'mosi');
    if (bodyLen > 0) this.stats.flippedBits += this.faults.flip(miso.subarray(HEADER_SIZE), 'miso');

    let cut = false;
    const cutAt = this.faults.cutAfter(n);
    if (cutAt !== null && cutAt < n) {
      n = cutAt;
      cut = true;
      this.stats.cuts++;
    }
    const crash = !missing && this.faults.crashMidTransfer();
    const mid = Math.floor(n / 2);
    if (crash) miso.fill(0xff, mid);
    // Integer ns throughout: record times are what pcapng and the link stage carry.
    const byteTime = (k: number): number => Math.round(start + o.csSetupNs + this.byteNs(k) + (k > HEADER_SIZE ? o.turnaroundNs : 0));
    const end = byteTime(n) + o.csHoldNs;
    // Both buffers are this transaction's own (padTo copies): no second copy unless cut short.
    const mosiWire = n === mosi.length ? mosi : mosi.slice(0, n);
    const misoWire = n === miso.length ? miso : miso.slice(0, n);
    const index = this.txn++;
    if (this.recording) this.out.push({ kind: 'txn', startNs: start, endNs: end, txn: index, mosi: mosiWire, miso: misoWire });
    this.stats.transactions++;
    this.stats.wireBytes += n;
    this.stats.busyNs += end - start;
    this.freeAt = end + o.csGapNs;
    const target = this.target;
    if (target) {
      if (crash) this.sched.at(byteTime(mid), () => target.crash());
      this.sched.at(end, () => target.onTransaction(mosiWire, misoWire, cut));
    }
    return { txn: index, startNs: start, endNs: end, miso: misoWire, cut };
  }

  /** A short CS pulse between transactions: no clocks, the buddy's DMA sees an empty transfer. */
  glitch(pulseNs = 50): boolean {
    if (!this.idle) return false;
    const t = this.sched.now;
    if (this.recording) this.out.push({ kind: 'anomaly', startNs: t, endNs: t + pulseNs, code: 'cs-glitch', detail: `CS active for ${pulseNs} ns with no clock: not a transaction` });
    this.stats.glitches++;
    this.freeAt = t + pulseNs + this.opts.csGapNs;
    const target = this.target;
    if (target) this.sched.at(t + pulseNs, () => target.onCsGlitch());
    return true;
  }
}

function padTo(b: Uint8Array, n: number): Uint8Array {
  if (b.length === n) return b.slice();
  const out = new Uint8Array(n);
  out.set(b.subarray(0, Math.min(b.length, n)));
  return out;
}
