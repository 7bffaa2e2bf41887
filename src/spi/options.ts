/**
 * Options of the SPI stage and their defaults, shared by decode.ts and detect.ts.
 *
 * - glitchNs: CS pulses shorter than this are glitches. Default: 3 samples when the source is sampled
 *   (SignalInfo.samplePeriodNs), else 20 ns.
 * - gapBits: without CS, a clock gap of more than this many bit periods ends a transaction; with CS,
 *   it splits bursts of clock edges outside CS into separate anomalies. Default 8.
 * - gapNs: the same gap as an absolute time; overrides gapBits.
 * - csLines: also emit LineRecords for CS edges. Default false.
 */
import type { SignalInfo } from '../signals/types.ts';

export interface SpiTimingOptions {
  readonly glitchNs?: number;
  readonly gapBits?: number;
  readonly gapNs?: number;
  readonly csLines?: boolean;
}

export interface ResolvedTiming {
  readonly glitchNs: number;
  readonly gapBits: number;
  readonly gapNs?: number;
  readonly csLines: boolean;
}

export const DEFAULT_GLITCH_SAMPLES = 3;
export const DEFAULT_GLITCH_NS = 20;
export const DEFAULT_GAP_BITS = 8;

function checkNonNegative(name: string, v: number | undefined): void {
  if (v !== undefined && !(Number.isFinite(v) && v >= 0)) {
    throw new TypeError(`"${name}" must be a finite number >= 0 (got ${v})`);
  }
}

export function resolveTiming(info: SignalInfo, opts: SpiTimingOptions): ResolvedTiming {
  checkNonNegative('glitchNs', opts.glitchNs);
  checkNonNegative('gapBits', opts.gapBits);
  checkNonNegative('gapNs', opts.gapNs);
  const period = info.samplePeriodNs;
  const glitchNs = opts.glitchNs ?? (period !== undefined && period > 0 ? DEFAULT_GLITCH_SAMPLES * period : DEFAULT_GLITCH_NS);
  return {
    glitchNs,
    gapBits: opts.gapBits ?? DEFAULT_GAP_BITS,
    ...(opts.gapNs !== undefined ? { gapNs: opts.gapNs } : {}),
    csLines: opts.csLines ?? false,
  };
}
