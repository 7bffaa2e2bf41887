/**
 * The SPI stage: signal changes -> TxnRecords, LineRecords and AnomalyRecords (see decoder.ts for
 * exactly what is emitted and when). A thin async wrapper around the synchronous SpiDecoder: one
 * output array per input batch (skipped when empty), ordered by startNs.
 *
 * Options (defaults):
 *   mode: SpiMode | 'auto'   (DEFAULT_MODE: mode 0, MSB first, CS active low, 8-bit words)
 *                             'auto' buffers the head of the stream and runs detect.ts with `scorer`;
 *                             the result goes to `onDetect` before the first record.
 *   scorer                    for 'auto': (mosi, miso) => score of one transaction
 *   glitchNs                  3 samples when sampled, else 20 ns
 *   gapBits / gapNs           8 bit periods (clock-gap framing without CS; burst splitting)
 *   csLines                   false: also emit LineRecords for CS
 *   initialLevels             false: also emit each line's level at the capture start
 *   onNote(text)              called once per fact the user should know that is not a wire fault:
 *                             framing by clock gaps (no CS channel); SCK not idle at CS assertion
 *                             (wrong CPOL).
 * Bad options throw a TypeError at the start, naming the option.
 *
 * Example:
 *   for await (const recs of decodeSpi(info, batches, map, { mode: 'auto', scorer: countFrames,
 *       onDetect: (d) => console.error(d.note) })) sink(recs);
 */
import { nonEmpty, withTail } from '../stream/with-tail.ts';
import type { ChangeBatch, ChannelMap, SignalInfo } from '../signals/types.ts';
import type { BuddyRecord } from '../records/types.ts';
import { DEFAULT_MODE, MAX_WORD_BITS, type SpiMode } from './types.ts';
import { SpiDecoder } from './decoder.ts';
import { detectSpiMode, type SpiDetection, type SpiScorer } from './detect.ts';
import { resolveTiming, type SpiTimingOptions } from './options.ts';

export interface DecodeSpiOptions extends SpiTimingOptions {
  readonly mode?: SpiMode | 'auto';
  readonly scorer?: SpiScorer;
  /** For mode 'auto': bounds of the buffered head (see detect.ts). */
  readonly maxDetectTxns?: number;
  readonly maxDetectChanges?: number;
  readonly onDetect?: (d: SpiDetection) => void;
  /** For mode 'auto': the word width (a given mode carries its own). Default 8. */
  readonly wordBits?: number;
  readonly onNote?: (text: string) => void;
  /** Also emit each mapped line's level at the capture start as a LineRecord. Default false. */
  readonly initialLevels?: boolean;
}

export function checkMode(m: SpiMode): void {
  if (m.cpol !== 0 && m.cpol !== 1) throw new TypeError(`"mode.cpol" must be 0 or 1 (got ${m.cpol})`);
  if (m.cpha !== 0 && m.cpha !== 1) throw new TypeError(`"mode.cpha" must be 0 or 1 (got ${m.cpha})`);
  if (m.bitOrder !== 'msb' && m.bitOrder !== 'lsb') throw new TypeError(`"mode.bitOrder" must be 'msb' or 'lsb'`);
  if (m.csActive !== 'low' && m.csActive !== 'high') throw new TypeError(`"mode.csActive" must be 'low' or 'high'`);
  if (!Number.isInteger(m.wordBits) || m.wordBits < 1 || m.wordBits > MAX_WORD_BITS) {
    throw new TypeError(`"mode.wordBits" must be an integer from 1 to ${MAX_WORD_BITS} (got ${m.wordBits})`);
  }
}

function checkMap(map: ChannelMap): void {
  if (map.sck < 0) throw new TypeError('channel map: the SPI stage needs an SCK channel ("sck")');
  for (const [role, bit] of Object.entries(map)) {
    if (!Number.isInteger(bit) || bit < -1 || bit > 31) throw new TypeError(`channel map: "${role}" must be -1 or a bit 0..31 (got ${bit})`);
  }
}

export async function* decodeSpi(
  info: SignalInfo, batches: AsyncIterable<ChangeBatch>, map: ChannelMap, opts: DecodeSpiOptions = {},
): AsyncGenerator<BuddyRecord[]> {
  checkMap(map);
  const timing = resolveTiming(info, opts);
  let mode: SpiMode;
  let input = batches;
  if (opts.mode === 'auto') {
    const { detection, batches: replay } = await detectSpiMode(info, batches, map, {
      ...timing, scorer: opts.scorer, maxTxns: opts.maxDetectTxns, maxChanges: opts.maxDetectChanges,
      ...(opts.wordBits !== undefined ? { wordBits: opts.wordBits } : {}),
    });
    opts.onDetect?.(detection);
    mode = detection.mode;
    input = replay;
  } else {
    mode = opts.mode ?? DEFAULT_MODE;
    checkMode(mode);
  }
  if (map.cs < 0) {
    opts.onNote?.(`${info.source}: no CS channel: transactions framed by clock gaps longer than ` +
      (timing.gapNs !== undefined ? `${timing.gapNs} ns` : `${timing.gapBits} bit periods`));
  }
  const dec = new SpiDecoder(map, { ...timing, mode, initialLevels: opts.initialLevels ?? false, onNote: opts.onNote });
  async function* decode(): AsyncGenerator<BuddyRecord[]> {
    for await (const b of input) {
      const recs = dec.push(b);
      if (recs.length > 0) yield recs;
    }
  }
  yield* withTail(decode(), () => nonEmpty(dec.finish()));
}
