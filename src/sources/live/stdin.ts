/**
 * Standard input as a live source: a bridge stream (`socat`, a recorded stream) or a VCD streamed
 * by `sigrok-cli ... -O vcd`. The first non-blank byte decides: `$` is a VCD (its header starts
 * with a `$` keyword; a few short text lines before it, like sigrok-cli's `META samplerate: N`,
 * are skipped and reported through onNote), anything else is read as bridge packets. A VCD goes through the VCD reader
 * and the SPI stage (channel map by name or `channels`, mode auto-detected unless `mode` is
 * given), records pushed as each chunk decodes, so a slow pipe shows transactions before EOF.
 *
 * Example: `sigrok-cli -d fx2lafw --continuous -O vcd | buddyshark capture --live -`
 */
import type { Readable } from 'node:stream';
import type { ChangeBatch } from '../../signals/types.ts';
import type { SpiMode } from '../../spi/types.ts';
import { decodeSpi } from '../../spi/decode.ts';
import type { SpiDetection } from '../../spi/detect.ts';
import type { ByteInput } from '../byte-input.ts';
import { resolveChannelsOf } from '../channel-map.ts';
import { SourceError } from '../errors.ts';
import { readVcd } from '../vcd.ts';
import type { BridgeFeed } from './bridge-feed.ts';
import type { RecordQueue } from './record-queue.ts';
import type { LiveStats, LiveStatus } from './types.ts';

export const STDIN_NAME = '<stdin>';
const DETECT_LIMIT = 4096;
/** Transactions the SPI mode is detected from on a live VCD (a file uses 64). */
const LIVE_DETECT_TXNS = 16;

export interface StdinVcdOptions {
  readonly channels?: string;
  readonly mode?: SpiMode | 'auto';
  readonly onDetect?: (d: SpiDetection) => void;
  readonly onNote?: (text: string) => void;
  readonly scorer?: (mosi: Uint8Array, miso: Uint8Array) => number;
}

/**
 * What the head of standard input is: a VCD (its first non-blank byte is `$`, possibly after a few
 * short text lines such as the `META samplerate: N` line sigrok-cli 0.7 prints before its VCD
 * header), a bridge stream (anything else), or not known yet (need more bytes).
 */
export function sniffStdin(head: Buffer, ended: boolean): { kind: 'vcd'; skip: number; skipped: string[] } | { kind: 'bridge' } | null {
  const skipped: string[] = [];
  let at = 0;
  for (;;) {
    while (at < head.length && (head[at] === 0x20 || head[at] === 0x09 || head[at] === 0x0a || head[at] === 0x0d)) at++;
    if (at >= head.length) return ended || head.length >= DETECT_LIMIT ? { kind: 'bridge' } : null;
    if (head[at] === 0x24) return { kind: 'vcd', skip: at, skipped };
    // A short printable line before the header may be a tool's preamble; anything else is binary.
    const nl = head.indexOf(0x0a, at);
    const end = nl < 0 ? head.length : nl;
    for (let i = at; i < end; i++) {
      const b = head[i];
      if (!(b >= 0x20 && b < 0x7f) && b !== 0x09 && b !== 0x0d) return { kind: 'bridge' };
    }
    if (end - at > MAX_PREAMBLE_LINE || skipped.length >= MAX_PREAMBLE_LINES) return { kind: 'bridge' };
    if (nl < 0) return ended || head.length >= DETECT_LIMIT ? { kind: 'bridge' } : null;
    skipped.push(head.subarray(at, end).toString('latin1').trim());
    at = nl + 1;
  }
}

const MAX_PREAMBLE_LINE = 200;
const MAX_PREAMBLE_LINES = 8;

export async function runStdin(
  input: Readable, feed: BridgeFeed, queue: RecordQueue, stats: LiveStats, opts: StdinVcdOptions,
  status: (s: LiveStatus) => void, stopped: () => boolean,
): Promise<void> {
  const it = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  let head = Buffer.alloc(0);
  let ended = false;
  let kind: ReturnType<typeof sniffStdin> = null;
  while (kind === null) {
    const r = await it.next();
    if (r.done) ended = true;
    else head = Buffer.concat([head, typeof r.value === 'string' ? Buffer.from(r.value) : r.value]);
    if (ended && head.length === 0) throw new SourceError(STDIN_NAME, 'byte 0', 'empty input');
    kind = sniffStdin(head, ended);
  }
  async function* chunks(from: number): AsyncGenerator<Buffer> {
    if (head.length > from) yield head.subarray(from);
    if (ended) return;
    for (;;) {
      const r = await it.next();
      if (r.done) return;
      yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    }
  }
  if (kind.kind === 'vcd') {
    status({ state: 'connected', detail: 'reading a VCD from standard input' });
    stats.bytes += kind.skip;
    if (kind.skipped.length > 0) {
      opts.onNote?.(`${STDIN_NAME}: skipped ${kind.skipped.length} line(s) before the VCD header (${kind.skipped.map((l) => JSON.stringify(l)).join(', ')})`);
    }
    await pumpVcd(chunks(kind.skip), queue, stats, opts, stopped);
    return;
  }
  status({ state: 'connected', detail: 'reading a bridge stream from standard input' });
  await feed.pump(chunks(0), stopped);
  feed.finish();
}

async function pumpVcd(chunks: AsyncIterable<Buffer>, queue: RecordQueue, stats: LiveStats, opts: StdinVcdOptions, stopped: () => boolean): Promise<void> {
  let used = false;
  const input: ByteInput = {
    name: STDIN_NAME, path: null, head: Buffer.alloc(0),
    chunks: async function* () {
      if (used) throw new Error('standard input can be read only once');
      used = true;
      for await (const c of chunks) {
        stats.bytes += c.length;
        yield c;
      }
    },
  };
  const src = await readVcd(input);
  if (src.kind !== 'signals') throw new SourceError(STDIN_NAME, 'byte 0', 'not a signal capture');
  const changes = src.batches;
  const map = resolveChannelsOf(STDIN_NAME, src.info.channels, opts.channels);
  async function* counted(): AsyncGenerator<ChangeBatch> {
    for await (const b of changes) {
      stats.packets += b.length;
      yield b;
    }
  }
  const spi = decodeSpi(src.info, counted(), map, {
    mode: opts.mode ?? 'auto', ...(opts.scorer ? { scorer: opts.scorer } : {}),
    // Records start flowing sooner on a quiet link; 16 transactions carry plenty of valid headers.
    maxDetectTxns: LIVE_DETECT_TXNS,
    ...(opts.onDetect ? { onDetect: opts.onDetect } : {}),
    ...(opts.onNote ? { onNote: opts.onNote } : {}),
  });
  for await (const recs of spi) {
    queue.push(recs);
    if (stopped()) return;
    await queue.room();
    if (stopped()) return;
  }
}
