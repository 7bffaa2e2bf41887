/**
 * The read pipeline in one call: opens anything buddyshark reads as one record stream: a pcapng written by buddyshark, an NDJSON
 * record or transaction stream, or a logic-analyzer export (signals go through the SPI stage,
 * transactions straight to the link stage). Commands (decode, capture, view, replay, info) share
 * it, so every input works everywhere.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { SourceError } from '../sources/errors.ts';
import { decodeLink } from '../link/stream.ts';
import { candidatesOf, createLinkStage, spiScorerFor, type ProtocolChoice, type SelectedStage } from '../link/select.ts';
import type { LinkProtocol } from '../link/protocol.ts';
import type { InterfaceKey } from '../pcapng/interfaces.ts';
import { readRecordsFromPcapng } from '../pcapng/source.ts';
import { readNdjsonRecords } from './ndjson-records.ts';
import { runScenario } from '../sim/run.ts';
import { openScenario, scenarioPath } from './scenario-path.ts';
import { withSourceTallies } from './source-tallies.ts';
import type { BuddyRecord, RecordStream, TxnRecord } from '../records/types.ts';
import { resolveChannelsOf } from '../sources/channel-map.ts';
import { openSource } from '../sources/open.ts';
import type { OpenSourceOptions, SourceFormat } from '../sources/types.ts';
import { decodeSpi } from '../spi/decode.ts';
import type { SpiDetection } from '../spi/detect.ts';
import { spiModeText, type SpiMode, type SpiTransaction } from '../spi/types.ts';
import type { ChannelMap } from '../signals/types.ts';

export type InputFormat = SourceFormat | 'pcapng' | 'pcapng-gz' | 'ndjson' | 'scenario';
export const INPUT_FORMATS: readonly InputFormat[] = ['pcapng', 'pcapng-gz', 'ndjson', 'scenario', 'vcd', 'saleae-csv', 'saleae-analyzer', 'sigrok-sr', 'saleae-bin'];

export interface OpenRecordsOptions extends OpenSourceOptions {
  readonly inputFormat?: InputFormat;
  readonly channels?: string;
  readonly mode?: SpiMode | 'auto';
  /** SPI word width when the mode is detected (a given mode carries its own). Default 8. */
  readonly wordBits?: number;
  readonly glitchNs?: number;
  /** Called once the SPI mode is known (auto-detected or given). */
  readonly onDetect?: (d: SpiDetection) => void;
  readonly onNote?: (text: string) => void;
  /** The link protocol, or auto (default): detected from the first transactions. */
  readonly protocol?: ProtocolChoice;
  /** Told what auto-detection picked and why (see src/link/select.ts). */
  readonly onPick?: (note: string, protocol: LinkProtocol, recognised: boolean) => void;
  /** pcapng input: read only these interfaces (see SourceOptions.only). */
  readonly pcapngInterfaces?: ReadonlySet<InterfaceKey>;
  /** pcapng input: raw bytes as views into the read chunks (see SourceOptions.views). */
  readonly pcapngViews?: boolean;
}

export interface OpenedRecords {
  readonly records: RecordStream;
  /** What was read, for the summary ("pcapng", "vcd", "logic-analyzer export", ...). */
  readonly format: string;
  /** The link stage, for its protocol and statistics after the stream ends (null for pcapng input). */
  readonly link: SelectedStage | null;
  /** Why the link stage did not run on this capture (one data line, words not 8 bits), if it did not. */
  readonly linkSkipped?: string;
  /** After the stream ends: the byte offset where a cut file stopped, if it was cut. */
  readonly truncatedAt?: () => number | undefined;
}

export async function sniff(path: string): Promise<InputFormat | null> {
  if (path === '-') return null;
  // A shipped scenario's name (`demo`), or a scenario file: the simulator is the source.
  const sc = scenarioPath(path);
  if (sc && (sc !== path || /\.json$/i.test(path))) return 'scenario';
  let fh;
  try {
    fh = await open(path, 'r');
  } catch {
    return null; // openSource reports missing files with the right message
  }
  try {
    const head = Buffer.alloc(64);
    const { bytesRead } = await fh.read(head, 0, 64, 0);
    const h = head.subarray(0, bytesRead);
    if (h.length >= 4 && h.readUInt32LE(0) === 0x0a0d0d0a) return 'pcapng';
    if (h.length >= 2 && h[0] === 0x1f && h[1] === 0x8b) return 'pcapng-gz';
    const text = h.toString('utf8').trimStart();
    if (text.startsWith('{') && /"kind"\s*:/.test(text)) return 'ndjson';
    return null;
  } catch {
    return null;
  } finally {
    await fh.close();
  }
}

async function* txnRecords(batches: AsyncIterable<readonly SpiTransaction[]>): AsyncGenerator<BuddyRecord[]> {
  for await (const batch of batches) {
    const out: TxnRecord[] = batch.map((t) => ({
      kind: 'txn', startNs: t.startNs, endNs: t.endNs, txn: t.index, mosi: t.mosi, miso: t.miso,
      ...(t.partialBits ? { partialBits: t.partialBits } : {}),
    }));
    yield out;
  }
}

/** NDJSON may hold decoded records already (decode --json) or only the transaction stream. */
async function* relink(records: RecordStream, link: SelectedStage): AsyncGenerator<BuddyRecord[]> {
  // Frames and link anomalies in the file are dropped and recomputed from the transactions, so a
  // stream decoded by an older buddyshark is decoded afresh by this one.
  async function* lower(): AsyncGenerator<BuddyRecord[]> {
    for await (const b of records) yield b.filter((r) => r.kind === 'txn' || r.kind === 'line' || (r.kind === 'anomaly' && r.txn === undefined));
  }
  yield* decodeLink(lower(), link);
}

export async function openRecords(path: string, opts: OpenRecordsOptions = {}): Promise<OpenedRecords> {
  const format = opts.inputFormat ?? (await sniff(path));
  if (format === 'pcapng' || format === 'pcapng-gz') {
    const only = { ...(opts.pcapngInterfaces ? { only: opts.pcapngInterfaces } : {}), ...(opts.pcapngViews ? { views: true } : {}) };
    if (format === 'pcapng') {
      const stream = readRecordsFromPcapng(path, only);
      return { records: stream, format, link: null, truncatedAt: () => stream.status.truncatedAt };
    }
    const cut: GzipCut = {};
    const stream = readRecordsFromPcapng(Readable.from(gunzipChunks(path, cut)), { name: path, ...only });
    // A cut .gz is a cut capture like any other: where the compressed file stops comes first.
    return { records: stream, format, link: null, truncatedAt: () => cut.at ?? stream.status.truncatedAt };
  }
  const choice = opts.protocol ?? 'auto';
  let used: SpiMode | null = opts.mode && opts.mode !== 'auto' ? opts.mode : null;
  const stageOptions = {
    context: () => (used ? `SPI ${spiModeText(used)}` : null),
    ...(opts.onPick ? { onPick: opts.onPick } : {}),
  };
  if (format === 'scenario') {
    // The simulator speaks the buddy link.
    const link = createLinkStage('buddy', stageOptions);
    const run = runScenario(openScenario(path));
    return { records: decodeLink(run.records, link), format: 'simulated scenario', link };
  }
  const link = createLinkStage(choice, stageOptions);
  if (format === 'ndjson') return { records: relink(readNdjsonRecords(path), link), format, link };
  const src = await openSource(path, { ...opts, ...(format ? { format } : {}) });
  if (src.kind === 'transactions') {
    return { records: withSourceTallies(decodeLink(txnRecords(src.batches), link), src.stats), format: format ?? 'SPI analyzer table', link };
  }
  const map = resolveChannelsOf(src.info.source, src.info.channels, opts.channels);
  const spi = decodeSpi(src.info, src.batches, map, {
    mode: opts.mode ?? 'auto', scorer: spiScorerFor(choice),
    ...(opts.wordBits !== undefined ? { wordBits: opts.wordBits } : {}),
    ...(opts.glitchNs !== undefined ? { glitchNs: opts.glitchNs } : {}),
    onDetect: (d) => {
      used = d.mode;
      opts.onDetect?.(d);
    },
    ...(opts.onNote ? { onNote: opts.onNote } : {}),
  });
  const shown = format ?? 'logic-analyzer export';
  const skipped = linkNeeds(candidatesOf(choice), map, opts.mode && opts.mode !== 'auto' ? opts.mode.wordBits : (opts.wordBits ?? 8));
  if (skipped) {
    opts.onNote?.(`${src.info.source}: ${skipped}: showing the SPI transactions`);
    return { records: withSourceTallies(spi, src.stats), format: shown, link: null, linkSkipped: skipped };
  }
  return { records: withSourceTallies(decodeLink(spi, link), src.stats), format: shown, link };
}

/** What every candidate protocol needs from the SPI stage and this capture lacks, or null. */
function linkNeeds(candidates: readonly LinkProtocol[], map: ChannelMap, wordBits: number): string | null {
  const who = candidates.length === 1 ? `the ${candidates[0].title}` : 'every link protocol';
  if (candidates.every((p) => p.needs.bothDirections) && (map.mosi < 0 || map.miso < 0)) {
    return `${who} needs both MOSI and MISO; this capture has ${map.mosi < 0 ? 'MISO' : 'MOSI'} only`;
  }
  if (candidates.every((p) => p.needs.wordBits !== wordBits)) return `${who} uses 8-bit words; these are ${wordBits}-bit words`;
  return null;
}

/** Set when a gzip stream stops before its end: the compressed bytes read. */
export interface GzipCut {
  at?: number;
}

/**
 * A gzipped capture (tshark writes and reads .pcapng.gz too), decompressed as it is read. A file
 * cut short (a capture still being written, a partial copy) ends the stream after everything
 * decompressed so far, and is reported through `cut`, so what was captured is still read.
 */
export async function* gunzipChunks(path: string, cut: GzipCut): AsyncGenerator<Buffer> {
  const gz = createGunzip({ chunkSize: 1 << 20 }); // big chunks: fewer batches through every stage
  const file = createReadStream(path);
  file.on('error', (e) => gz.destroy(e));
  file.pipe(gz);
  try {
    for await (const chunk of gz) yield chunk as Buffer;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'Z_BUF_ERROR') {
      cut.at = gz.bytesWritten;
      return;
    }
    throw new SourceError(path, `gzip stream, after ${gz.bytesWritten} compressed bytes`, err instanceof Error ? err.message : String(err));
  }
}
