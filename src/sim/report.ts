/**
 * The end-of-run report: step outcomes against their expectations, counts, and throughput.
 *
 * Computed flood figure (what a saturated bus can carry for one direction), for payload P bytes:
 *   wire   = P + 16 (header) + 4 (trailer) bytes per transaction
 *   txnNs  = csSetup + wire*8/clock + turnaround + csHold
 *   gapNs  = the buddy's processing delay (CS release to READY high; the CPU starts at once) or, in
 *            IRQ-only mode, Timing.armMaxNs
 *   goodput = P / (txnNs + gapNs)  bytes per second
 * i.e. payload/(payload+20) of the bus rate, less the per-transaction gaps. At 20 MHz, P = 1514,
 * turnaround 1 us, 20 us processing: 1534 B take 613.6 us + 21.2 us -> 2.385 MB/s (19.08 Mbit/s).
 */
import { HEADER_SIZE, TRAILER_SIZE, Timing } from '../protocol/constants.ts';
import type { BusOptions } from './bus.ts';
import type { FloodMeasure, StepResult } from './script.ts';
import type { Step } from './scenario.ts';

export function computedGoodput(payload: number, bus: BusOptions, processingDelayNs: number): number {
  const wire = payload + HEADER_SIZE + TRAILER_SIZE;
  const txnNs = bus.csSetupNs + bus.csHoldNs + bus.turnaroundNs + (wire * 8 * 1e9) / bus.clockHz;
  const gapNs = bus.readyLine ? Math.max(processingDelayNs, Timing.readyFallMaxNs) : Timing.armMaxNs;
  return (payload * 1e9) / (txnNs + gapNs);
}

export interface FloodReport extends FloodMeasure {
  readonly goodputBytesPerSec: number;
  readonly computedBytesPerSec: number;
  /** measured / computed */
  readonly ratio: number;
}

export interface SimReport {
  readonly scenario: string;
  readonly seed: number;
  readonly passed: boolean;
  readonly failures: string[];
  readonly steps: StepResult[];
  readonly durationNs: number;
  readonly records: number;
  readonly epochs: number[];
  readonly counts: Record<string, number>;
  readonly throughput: {
    readonly busBytes: number;
    readonly payloadBytes: { readonly cpuToBuddy: number; readonly buddyToCpu: number };
    /** Bus bytes clocked per payload byte carried (both directions share one clock). */
    readonly overhead: number;
    readonly ethernet: { readonly txBytes: number; readonly rxBytes: number };
    readonly floods: FloodReport[];
  };
}

export function checkSteps(steps: readonly Step[], results: readonly StepResult[]): string[] {
  const failures: string[] = [];
  steps.forEach((s, i) => {
    const r = results[i];
    const want = s.expect ?? { ok: true };
    const tag = `step ${i} (${s.label ?? s.do})`;
    if (!r) return void failures.push(`${tag}: did not run`);
    if (r.ok !== want.ok) failures.push(`${tag}: expected ${want.ok ? 'success' : 'failure'}, got ${r.ok ? 'success' : `failure ${r.code}`}: ${r.detail}`);
    else if (want.code !== undefined && r.code !== want.code) failures.push(`${tag}: expected code ${want.code}, got ${r.code}: ${r.detail}`);
  });
  return failures;
}

export function floodReport(f: FloodMeasure, bus: BusOptions, processingDelayNs: number): FloodReport {
  const span = f.endNs - f.startNs;
  const goodput = span > 0 ? (f.payloadBytes * 1e9) / span : 0;
  const computed = computedGoodput(f.size, bus, processingDelayNs);
  return { ...f, goodputBytesPerSec: goodput, computedBytesPerSec: computed, ratio: goodput / computed };
}
