/**
 * SPI mode auto-detection.
 *
 * Consumes the head of a change stream: batches are buffered (copied) until `maxTxns` CS assertions
 * (default 64) or `maxChanges` changes (default 256 Ki, about 3 MB) have been seen, then:
 *   - CS polarity: the CS level under which most SCK edges happen is the active one.
 *   - CPOL: the level SCK holds for longest while CS is inactive (the idle level); without CS, the
 *     level it holds for longest overall.
 *   - CPHA and bit order: the buffered head is decoded under each of the 4 candidates and every
 *     transaction is given to the caller's `scorer(mosi, miso)`; the best total wins (ties prefer,
 *     in order: CPHA 0 MSB, CPHA 1 MSB, CPHA 0 LSB, CPHA 1 LSB). The SPI layer knows nothing of
 *     frames: the link layer passes "how many valid link frames are here". (`basis: 'frames'`)
 *   - With no frames (another device, or no scorer), CPHA comes from the signal itself: a
 *     transmitter shifts on one clock edge and the receiver samples on the other, so data lines
 *     change while SCK is in one phase and hold still around the other edge. A data change in a
 *     sample where SCK is high (while selected; SCK's new level when it moves in the same sample)
 *     votes for shifting on the rising edge, i.e. sampling on the falling one; low votes the other
 *     way. With at least TIMING_MIN_VOTES votes and
 *     TIMING_MAJORITY of them one way, that decides (`basis: 'timing'`); the bit order cannot be
 *     seen in the timing and is assumed MSB first, which the note says.
 *   - Otherwise CPHA 0 MSB first with the detected CPOL and CS polarity is a guess
 *     (`basis: 'none'`, `fallback: true`), and the note says to give --mode.
 * Returns the detection and a replay stream: the buffered batches, then the rest of the input.
 *
 * Example: `const { detection, batches: all } = await detectSpiMode(info, src, map, { scorer })`
 *   detection.mode -> {cpol:0, cpha:1, bitOrder:'msb', csActive:'low', wordBits:8}
 *   detection.scores -> [{cpha:0, bitOrder:'msb', score:0}, {cpha:1, bitOrder:'msb', score:12}, ...]
 */
import type { ChangeBatch, ChannelMap, SignalInfo } from '../signals/types.ts';
import type { BuddyRecord } from '../records/types.ts';
import type { SpiMode } from './types.ts';
import { SpiDecoder } from './decoder.ts';
import { resolveTiming, type SpiTimingOptions } from './options.ts';

export type SpiScorer = (mosi: Uint8Array, miso: Uint8Array) => number;

export interface DetectOptions extends SpiTimingOptions {
  readonly scorer?: SpiScorer;
  readonly maxTxns?: number;
  readonly maxChanges?: number;
  readonly wordBits?: number;
}

export interface CandidateScore {
  readonly cpha: 0 | 1;
  readonly bitOrder: 'msb' | 'lsb';
  readonly score: number;
}

/** What decided CPHA and bit order: valid link frames, the data lines' timing, or nothing. */
export type DetectionBasis = 'frames' | 'timing' | 'none';

export interface SpiDetection {
  readonly mode: SpiMode;
  readonly scores: readonly CandidateScore[];
  readonly basis: DetectionBasis;
  /** No link frame decided it (basis 'timing' or 'none'): the bit order, at least, is assumed. */
  readonly fallback: boolean;
  /** One line for the user, e.g. "SPI mode 1 (CPOL 0, CPHA 1), MSB first, CS active low ...". */
  readonly note: string;
}

/** Fewest data-line changes that may decide CPHA, and the share of them that must agree. */
const TIMING_MIN_VOTES = 8;
const TIMING_MAJORITY = 0.8;

const CANDIDATES: readonly { cpha: 0 | 1; bitOrder: 'msb' | 'lsb' }[] = [
  { cpha: 0, bitOrder: 'msb' }, { cpha: 1, bitOrder: 'msb' }, { cpha: 0, bitOrder: 'lsb' }, { cpha: 1, bitOrder: 'lsb' },
];

function copyBatch(b: ChangeBatch): ChangeBatch {
  return { times: b.times.slice(0, b.length), states: b.states.slice(0, b.length), length: b.length };
}

/** Detect from an already buffered head of the stream (synchronous; used by detectSpiMode). */
export function detectFromBatches(info: SignalInfo, head: readonly ChangeBatch[], map: ChannelMap, opts: DetectOptions = {}): SpiDetection {
  const sck = map.sck >= 0 ? 1 << map.sck : 0;
  const cs = map.cs >= 0 ? 1 << map.cs : 0;
  const data = (map.mosi >= 0 ? 1 << map.mosi : 0) | (map.miso >= 0 ? 1 << map.miso : 0);
  // Pass 1: time at each SCK level (by CS level), SCK edges by CS level, and per CS level the data
  // changes seen while SCK was high and while it was low.
  const highTime = [0, 0];
  const lowTime = [0, 0];
  const edges = [0, 0];
  const changesHigh = [0, 0];
  const changesLow = [0, 0];
  let prevT = NaN;
  let prevS = 0;
  let first = true;
  for (const b of head) {
    for (let i = 0; i < b.length; i++) {
      const t = b.times[i];
      const s = b.states[i];
      if (!first) {
        const c = (prevS & cs) !== 0 ? 1 : 0;
        if ((prevS & sck) !== 0) highTime[c] += t - prevT;
        else lowTime[c] += t - prevT;
        const diff = s ^ prevS;
        const c1 = (s & cs) !== 0 ? 1 : 0;
        if ((diff & sck) !== 0) edges[c1]++;
        // A data change in the same sample as an SCK edge is the transmitter answering that edge:
        // it counts under SCK's new level, like a change later in the same phase.
        if ((diff & data) !== 0 && c === c1) {
          if ((s & sck) !== 0) changesHigh[c1]++;
          else changesLow[c1]++;
        }
      }
      first = false;
      prevT = t;
      prevS = s;
    }
  }
  const csActive: 'low' | 'high' = cs !== 0 && edges[1] > edges[0] ? 'high' : 'low';
  const idle = cs === 0 ? 2 : csActive === 'low' ? 1 : 0; // CS level while inactive; 2 = all time
  const hi = idle === 2 ? highTime[0] + highTime[1] : highTime[idle];
  const lo = idle === 2 ? lowTime[0] + lowTime[1] : lowTime[idle];
  const cpol: 0 | 1 = hi > lo ? 1 : 0;
  const wordBits = opts.wordBits ?? 8;
  const timing = resolveTiming(info, opts);

  // Votes counted under the selected CS level (all of them without CS).
  const sel = cs === 0 ? -1 : csActive === 'low' ? 0 : 1;
  const high = sel < 0 ? changesHigh[0] + changesHigh[1] : changesHigh[sel];
  const low = sel < 0 ? changesLow[0] + changesLow[1] : changesLow[sel];

  const scores: CandidateScore[] = [];
  for (const c of CANDIDATES) {
    const mode: SpiMode = { cpol, cpha: c.cpha, bitOrder: c.bitOrder, csActive, wordBits };
    const dec = new SpiDecoder(map, { ...timing, mode, csLines: false });
    let score = 0;
    const scorer = opts.scorer;
    const tally = (recs: readonly BuddyRecord[]): void => {
      if (!scorer) return;
      for (const r of recs) if (r.kind === 'txn') score += scorer(r.mosi, r.miso);
    };
    for (const b of head) tally(dec.push(b));
    tally(dec.finish());
    scores.push({ ...c, score });
  }
  let best = 0;
  for (let k = 1; k < scores.length; k++) if (scores[k].score > scores[best].score) best = k;
  const byTiming = timingCpha(cpol, high, low);
  const basis: DetectionBasis = scores[best].score > 0 ? 'frames' : byTiming ? 'timing' : 'none';
  const pick = basis === 'frames' ? scores[best] : { cpha: byTiming?.cpha ?? 0, bitOrder: 'msb' as const };
  const mode: SpiMode = { cpol, cpha: pick.cpha, bitOrder: pick.bitOrder, csActive, wordBits };
  const desc = `SPI mode ${cpol * 2 + pick.cpha} (CPOL ${cpol}, CPHA ${pick.cpha}), ${pick.bitOrder.toUpperCase()} first, ` +
    (cs === 0 ? 'no CS channel' : `CS active ${csActive}`);
  const votes = `${high + low} data changes, ${Math.round((100 * Math.max(high, low)) / Math.max(1, high + low))}% of them while SCK was ${high > low ? 'high' : 'low'}`;
  const note = basis === 'frames'
    ? `${desc}: detected from link frames (score ${scores[best].score}; others ${scores.filter((_, k) => k !== best).map((s) => s.score).join(', ')})`
    : basis === 'timing'
      ? `${desc}: CPHA from the signal timing (${votes}), no link frames to confirm it; bit order assumed MSB first (give --mode and --bit-order if the bytes look wrong)`
      : `${desc}: cannot tell the SPI mode (no link frames, ${high + low < TIMING_MIN_VOTES ? `only ${high + low} data changes` : votes}); assuming CPHA 0 MSB first: give --mode 0-3 (and --bit-order) if the bytes look wrong`;
  return { mode, scores, basis, fallback: basis !== 'frames', note };
}

/**
 * CPHA from where the data lines change (see the header), or null when the votes do not decide.
 * Changes while SCK is high follow rising edges: the receiver samples on falling ones. The decoder
 * samples on the rising edge exactly when CPOL = CPHA.
 */
function timingCpha(cpol: 0 | 1, high: number, low: number): { cpha: 0 | 1 } | null {
  const total = high + low;
  if (total < TIMING_MIN_VOTES || Math.max(high, low) < TIMING_MAJORITY * total) return null;
  const sampleRising = low > high;
  return { cpha: (sampleRising ? cpol : 1 - cpol) as 0 | 1 };
}

/** Buffer the head of `batches`, detect, and return the detection and a full replay of the input. */
export async function detectSpiMode(
  info: SignalInfo, batches: AsyncIterable<ChangeBatch>, map: ChannelMap, opts: DetectOptions = {},
): Promise<{ detection: SpiDetection; batches: AsyncIterable<ChangeBatch> }> {
  const maxTxns = opts.maxTxns ?? 64;
  const maxChanges = opts.maxChanges ?? 1 << 18;
  const cs = map.cs >= 0 ? 1 << map.cs : 0;
  const it = batches[Symbol.asyncIterator]();
  const head: ChangeBatch[] = [];
  let changes = 0;
  let csEdges = 0;
  let prev = -1;
  let done = false;
  // A fault in the head must not cost the records before it: detect from what was read, replay
  // it, then raise the fault where the stream reached it.
  let failure: { error: unknown } | null = null;
  while (changes < maxChanges && csEdges < 2 * maxTxns + 1) {
    let r: IteratorResult<ChangeBatch>;
    try {
      r = await it.next();
    } catch (error) {
      failure = { error };
      done = true;
      break;
    }
    if (r.done) {
      done = true;
      break;
    }
    const b = copyBatch(r.value);
    head.push(b);
    changes += b.length;
    for (let i = 0; i < b.length; i++) {
      const c = b.states[i] & cs;
      if (prev >= 0 && c !== prev) csEdges++;
      prev = c;
    }
  }
  const detection = detectFromBatches(info, head, map, opts);
  async function* replay(): AsyncGenerator<ChangeBatch> {
    yield* head;
    if (failure) throw failure.error;
    if (done) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield r.value;
    }
  }
  return { detection, batches: replay() };
}
