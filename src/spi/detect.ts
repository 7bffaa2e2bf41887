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
 *     frames: the link layer passes "how many valid link frames are here".
 *   - If every candidate scores <= 0 (or no scorer), falls back to CPHA 0 MSB-first with the
 *     detected CPOL and CS polarity, and says so (`fallback: true`, `note`).
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

export interface SpiDetection {
  readonly mode: SpiMode;
  readonly scores: readonly CandidateScore[];
  /** No candidate scored above 0: the mode is a guess. */
  readonly fallback: boolean;
  /** One line for the user, e.g. "SPI mode 1 (CPOL 0, CPHA 1), MSB first, CS active low ...". */
  readonly note: string;
}

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
  // Pass 1: time at each SCK level (by CS level) and SCK edges by CS level.
  const highTime = [0, 0];
  const lowTime = [0, 0];
  const edges = [0, 0];
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
        if (((s ^ prevS) & sck) !== 0) edges[(s & cs) !== 0 ? 1 : 0]++;
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
  const fallback = !(scores[best].score > 0);
  const pick = fallback ? CANDIDATES[0] : scores[best];
  const mode: SpiMode = { cpol, cpha: pick.cpha, bitOrder: pick.bitOrder, csActive, wordBits };
  const desc = `SPI mode ${cpol * 2 + pick.cpha} (CPOL ${cpol}, CPHA ${pick.cpha}), ${pick.bitOrder.toUpperCase()} first, ` +
    (cs === 0 ? 'no CS channel' : `CS active ${csActive}`);
  const note = fallback
    ? `${desc}: nothing recognised under any CPHA/bit order, assuming CPHA 0 MSB first`
    : `${desc}: detected (score ${scores[best].score}; others ${scores.filter((_, k) => k !== best).map((s) => s.score).join(', ')})`;
  return { mode, scores, fallback, note };
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
