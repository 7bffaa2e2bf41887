/**
 * The inverse of the SPI stage: transactions and side-band line changes -> logic-analyzer signals.
 * The simulator uses it to produce captures; tests use it to round-trip the decoder.
 *
 * Consumes, in time order (an async iterable of arrays), RenderItems:
 *   {kind:'txn', startNs, mosi, miso, bitHz?, mode?, csSetupNs?, csHoldNs?}
 *   {kind:'line', line:'ready'|'irq'|'reset', timeNs, level}
 *   {kind:'cs-pulse', startNs, endNs}   (CS asserted with no clock: a glitch, as the simulator injects)
 * A transaction may pause its clock after `pauseAfterBytes` bytes for `pauseNs` (the CPU's turnaround
 * between the header and body phases) and may give `endNs`, the CS release time, when the sender
 * holds CS longer than setup + bits + hold (the simulator's records carry it).
 * Emits SignalInfo (channels SCK, MOSI, MISO, CS, READY, IRQ, RESET: bits 0..6, see RENDER_MAP) and
 * ChangeBatches. The first change (at `startNs`, default 0) is the initial state: CS inactive, SCK
 * idle, data 0, READY 0, IRQ 0, RESET 1 unless `initial` says otherwise.
 *
 * Timing of a transaction (T = 1e9 / bitHz, H = T / 2, tc = startNs + csSetupNs):
 *   CS asserts at startNs; the shifting edge of bit i is at tc + i*T (the trailing edge of the
 *   previous bit for CPHA 0, the leading edge for CPHA 1) and its sampling edge at tc + i*T + H. The
 *   bit goes on MOSI/MISO a quarter period after its shifting edge, at tc + i*T + T/4, as a real
 *   transmitter's output follows its clock with a delay: a data change in the same instant as a
 *   clock edge would leave the sampling edge ambiguous (either edge reads the same bits). CS
 *   releases at tc + nbits*T + csHoldNs (renderedEndNs).
 * Words wider than 8 bits are taken big-endian from ceil(wordBits / 8) bytes; a shorter MISO or
 * MOSI is padded with zero bytes. Defaults: bitHz 10 MHz, DEFAULT_MODE, setup and hold one period.
 * With `samplePeriodNs`, every change time is rounded to a sample; a bit clock faster than a quarter
 * of the sample rate is rejected (RangeError). Overlapping or out-of-order items throw RangeError.
 *
 * Example: renderSpi(items([{kind:'txn', startNs:1000, mosi:Uint8Array.of(0xa5), miso:Uint8Array.of(0)}]))
 *   -> SCK/MOSI changes from 1000 ns; CS (bit 3) low from 1000 to 2000 + 8 * 100 ns.
 */
import type { ChangeBatch, ChannelMap, SignalInfo } from '../signals/types.ts';
import { DEFAULT_MODE, type SpiMode } from './types.ts';

export interface RenderTxn {
  readonly kind: 'txn';
  readonly startNs: number;
  readonly mosi: Uint8Array;
  readonly miso: Uint8Array;
  readonly bitHz?: number;
  readonly mode?: SpiMode;
  readonly csSetupNs?: number;
  readonly csHoldNs?: number;
  readonly pauseAfterBytes?: number;
  readonly pauseNs?: number;
  readonly endNs?: number;
}

export interface RenderCsPulse {
  readonly kind: 'cs-pulse';
  readonly startNs: number;
  readonly endNs: number;
}

export interface RenderLine {
  readonly kind: 'line';
  readonly line: 'ready' | 'irq' | 'reset';
  readonly timeNs: number;
  readonly level: 0 | 1;
}

export type RenderItem = RenderTxn | RenderLine | RenderCsPulse;

export interface RenderOptions {
  readonly bitHz?: number;
  readonly mode?: SpiMode;
  readonly csSetupNs?: number;
  readonly csHoldNs?: number;
  readonly samplePeriodNs?: number;
  readonly startNs?: number;
  readonly initial?: Partial<Record<'ready' | 'irq' | 'reset', 0 | 1>>;
  /** Changes per emitted batch (default 65536). */
  readonly batchSize?: number;
  readonly source?: string;
}

export const RENDER_CHANNELS = ['SCK', 'MOSI', 'MISO', 'CS', 'READY', 'IRQ', 'RESET'] as const;
export const RENDER_MAP: ChannelMap = { sck: 0, mosi: 1, miso: 2, cs: 3, ready: 4, irq: 5, reset: 6 };
const SCK = 1, MOSI = 2, MISO = 4, CS = 8;
const LINE_BIT = { ready: 16, irq: 32, reset: 64 } as const;
export const DEFAULT_BIT_HZ = 10e6;

interface TxnTiming {
  readonly mode: SpiMode;
  readonly period: number;
  readonly setup: number;
  readonly hold: number;
}

function timingOf(t: RenderTxn, o: RenderOptions): TxnTiming {
  const bitHz = t.bitHz ?? o.bitHz ?? DEFAULT_BIT_HZ;
  if (!(bitHz > 0) || !Number.isFinite(bitHz)) throw new RangeError(`render: bit clock must be > 0 Hz (got ${bitHz})`);
  const period = 1e9 / bitHz;
  return { mode: t.mode ?? o.mode ?? DEFAULT_MODE, period, setup: t.csSetupNs ?? o.csSetupNs ?? period, hold: t.csHoldNs ?? o.csHoldNs ?? period };
}

function wordCount(t: RenderTxn, mode: SpiMode): number {
  return Math.ceil(Math.max(t.mosi.length, t.miso.length) / Math.ceil(mode.wordBits / 8));
}

/** When a rendered transaction releases CS (before quantisation). */
export function renderedEndNs(t: RenderTxn, opts: RenderOptions = {}): number {
  const { mode, period, setup, hold } = timingOf(t, opts);
  const words = wordCount(t, mode);
  const bytes = words * Math.ceil(mode.wordBits / 8);
  const pause = t.pauseAfterBytes !== undefined && bytes > t.pauseAfterBytes ? (t.pauseNs ?? 0) : 0;
  return Math.max(t.endNs ?? -Infinity, t.startNs + setup + words * mode.wordBits * period + pause + hold);
}

export function renderSpi(items: AsyncIterable<readonly RenderItem[]>, opts: RenderOptions = {}): { info: SignalInfo; batches: AsyncIterable<ChangeBatch> } {
  const P = opts.samplePeriodNs;
  if (P !== undefined && !(P > 0 && Number.isFinite(P))) throw new RangeError(`render: samplePeriodNs must be > 0 (got ${P})`);
  const info: SignalInfo = { channels: RENDER_CHANNELS, source: opts.source ?? 'render', ...(P !== undefined ? { samplePeriodNs: P } : {}) };
  return { info, batches: generate(items, opts) };
}

async function* generate(items: AsyncIterable<readonly RenderItem[]>, o: RenderOptions): AsyncGenerator<ChangeBatch> {
  const P = o.samplePeriodNs;
  const size = o.batchSize ?? 65536;
  let times = new Float64Array(size);
  let states = new Uint32Array(size);
  let n = 0;
  let cur = 0;
  let lastT = -Infinity;
  const full: ChangeBatch[] = [];
  const q = P === undefined ? (t: number) => t : (t: number) => Math.round(t / P) * P;
  const emit = (rawT: number, mask: number, value: number): void => {
    const t = q(rawT);
    const next = (cur & ~mask) | value;
    if (n > 0 && times[n - 1] === t) {
      states[n - 1] = next;
    } else if (next !== cur || lastT === -Infinity) {
      if (n === size) {
        full.push({ times, states, length: n });
        times = new Float64Array(size);
        states = new Uint32Array(size);
        n = 0;
      }
      times[n] = t;
      states[n++] = next;
    }
    cur = next;
    lastT = t;
  };
  // Pending edges of the last transaction, so later line changes can fall inside it.
  let pT = new Float64Array(1024);
  let pM = new Uint32Array(1024);
  let pV = new Uint32Array(1024);
  let pLen = 0;
  let pIdx = 0;
  let txnEnd = -Infinity;
  const add = (t: number, m: number, v: number): void => {
    if (pLen === pT.length) {
      const t2 = new Float64Array(pLen * 2), m2 = new Uint32Array(pLen * 2), v2 = new Uint32Array(pLen * 2);
      t2.set(pT); m2.set(pM); v2.set(pV);
      pT = t2; pM = m2; pV = v2;
    }
    pT[pLen] = t; pM[pLen] = m; pV[pLen++] = v;
  };
  const flushUpTo = (t: number): void => {
    while (pIdx < pLen && pT[pIdx] <= t) {
      emit(pT[pIdx], pM[pIdx], pV[pIdx]);
      pIdx++;
    }
    if (pIdx === pLen) pIdx = pLen = 0;
  };

  const mode0 = o.mode ?? DEFAULT_MODE;
  const init = o.initial ?? {};
  const startNs = o.startNs ?? 0;
  emit(startNs, 0xffffffff,
    (mode0.cpol ? SCK : 0) | (mode0.csActive === 'low' ? CS : 0) |
    ((init.ready ?? 0) ? LINE_BIT.ready : 0) | ((init.irq ?? 0) ? LINE_BIT.irq : 0) | ((init.reset ?? 1) ? LINE_BIT.reset : 0));

  for await (const batch of items) {
    for (const it of batch) {
      if (it.kind === 'line') {
        if (q(it.timeNs) < lastT) throw new RangeError(`render: line change at ${it.timeNs} ns is before the previous item (${lastT} ns)`);
        flushUpTo(it.timeNs);
        emit(it.timeNs, LINE_BIT[it.line], it.level ? LINE_BIT[it.line] : 0);
        continue;
      }
      flushUpTo(Infinity);
      if (it.kind === 'cs-pulse') {
        if (it.startNs < txnEnd || q(it.startNs) < lastT || !(it.endNs > it.startNs)) {
          throw new RangeError(`render: CS pulse at ${it.startNs}..${it.endNs} ns overlaps or precedes the previous item (${Math.max(txnEnd, lastT)} ns)`);
        }
        const on = mode0.csActive === 'low' ? 0 : CS;
        add(it.startNs, CS, on);
        add(it.endNs, CS, on ^ CS);
        txnEnd = it.endNs;
        continue;
      }
      const { mode, period: T, setup, hold } = timingOf(it, o);
      if (P !== undefined && T < 4 * P * (1 - 1e-9)) {
        throw new RangeError(`render: bit clock ${(1e9 / T).toExponential(3)} Hz needs a sample rate of at least 4x (${(4e9 / T).toExponential(3)} Hz); got ${(1e9 / P).toExponential(3)} Hz`);
      }
      if (it.startNs < txnEnd || q(it.startNs) < lastT) throw new RangeError(`render: transaction at ${it.startNs} ns overlaps or precedes the previous item (${Math.max(txnEnd, lastT)} ns)`);
      const H = T / 2;
      const idleSck = mode.cpol ? SCK : 0;
      const activeSck = idleSck ^ SCK;
      const csOn = mode.csActive === 'low' ? 0 : CS;
      // Mode or CS polarity changed since the last transaction: move to the new idle levels first.
      const before = Math.max(it.startNs - H, txnEnd, lastT);
      if ((cur & SCK) !== idleSck) add(before, SCK, idleSck);
      if ((cur & CS) === csOn) add(before, CS, csOn ^ CS);
      add(it.startNs, CS, csOn);
      const wb = mode.wordBits;
      const bpw = Math.ceil(wb / 8);
      const words = wordCount(it, mode);
      let tc = it.startNs + setup;
      const pauseBit = it.pauseAfterBytes !== undefined && it.pauseNs ? it.pauseAfterBytes * 8 : -1;
      let i = 0;
      for (let w = 0; w < words; w++) {
        let mo = 0, mi = 0;
        for (let k = 0; k < bpw; k++) {
          mo = mo * 256 + (it.mosi[w * bpw + k] ?? 0);
          mi = mi * 256 + (it.miso[w * bpw + k] ?? 0);
        }
        for (let j = 0; j < wb; j++, i++) {
          // The clock stops (idle level) for the turnaround, then resumes with bit `pauseBit`.
          if (i === pauseBit && pauseBit > 0) tc += it.pauseNs ?? 0;
          const sh = mode.bitOrder === 'msb' ? wb - 1 - j : j;
          const v = ((mo >>> sh) & 1 ? MOSI : 0) | ((mi >>> sh) & 1 ? MISO : 0);
          const t = tc + i * T;
          if (mode.cpha === 0) {
            add(t + T / 4, MOSI | MISO, v);
            add(t + H, SCK, activeSck);
            add(tc + (i + 1) * T, SCK, idleSck);
          } else {
            add(t, SCK, activeSck);
            add(t + T / 4, MOSI | MISO, v);
            add(t + H, SCK, idleSck);
          }
        }
      }
      txnEnd = Math.max(tc + i * T + hold, it.endNs ?? -Infinity);
      add(txnEnd, CS, csOn ^ CS);
      if (full.length > 0) yield* full.splice(0);
    }
    if (full.length > 0) yield* full.splice(0);
  }
  flushUpTo(Infinity);
  if (full.length > 0) yield* full.splice(0);
  if (n > 0) yield { times, states, length: n };
}
