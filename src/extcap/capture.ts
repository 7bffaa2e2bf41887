/**
 * The extcap capture: a live bridge (TCP or serial, see sources/live) through the link decoder
 * into the fifo Wireshark reads, as the same five-interface pcapng `buddyshark capture` writes
 * (Ethernet, link, BLE, SPI, events). The header and interfaces go out as soon as the fifo opens,
 * then one write per record batch, so Wireshark shows packets as they arrive.
 *
 * Stopping: aborting `signal` (Wireshark's SIGTERM) stops the source; what was received is still
 * decoded and written, the end-of-capture checks run, and the function returns. A reader that
 * goes away (EPIPE) ends the capture too. Nothing is printed here: status lines go to `log`, and
 * failures are thrown for the caller to report on stderr.
 *
 * Options: fifo (path), source (tcp://host:port | serial:PATH), baud, raw (write raw SPI records,
 * default true in the CLI), reconnect, signal, log (status lines), timeOffsetSec (if_tsoffset;
 * the CLI passes the wall-clock second the capture started at, so Wireshark shows real times).
 *
 * Example:
 *   const ac = new AbortController();
 *   process.once('SIGTERM', () => ac.abort());
 *   const counts = await runExtcapCapture({ fifo, source: 'tcp://127.0.0.1:7878', baud: 921600, raw: true, reconnect: true, signal: ac.signal });
 */
import { closeSync } from 'node:fs';
import { decodeLink } from '../link/stream.ts';
import { createLinkStage, type ProtocolChoice } from '../link/select.ts';
import { writeRecordsToPcapngOutput, type SinkCounts } from '../pcapng/sink.ts';
import type { BuddyRecord } from '../records/types.ts';
import { SourceError } from '../sources/errors.ts';
import { openLiveSource } from '../sources/live/open.ts';
import { parseLiveSpec } from '../sources/live/spec.ts';
import type { LiveSource, LiveStats } from '../sources/live/types.ts';
import { openFifoForWriting } from './fifo.ts';

export interface ExtcapCaptureOptions {
  readonly fifo: string;
  readonly source: string;
  readonly baud: number;
  readonly raw: boolean;
  readonly reconnect: boolean;
  readonly signal: AbortSignal;
  readonly log?: (line: string) => void;
  readonly timeOffsetSec?: number;
  /** The link protocol on the bridge (default auto: picked from the first transactions). */
  readonly protocol?: ProtocolChoice;
}

export interface ExtcapCaptureResult {
  /** null when Wireshark stopped before it opened the fifo. */
  readonly counts: SinkCounts | null;
  readonly stats: LiveStats | null;
  /** The reader closed the fifo while we were writing. */
  readonly readerGone: boolean;
}

/** The fifo's reader closed its end (only the fifo is written to here). */
function isBrokenPipe(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'EPIPE';
}

export async function runExtcapCapture(opts: ExtcapCaptureOptions): Promise<ExtcapCaptureResult> {
  const log = opts.log ?? (() => undefined);
  // A bad source is reported before the fifo is touched (parseLiveSpec throws a SourceError).
  if (parseLiveSpec(opts.source).kind === 'stdin') {
    throw new SourceError(opts.source, 'source', 'standard input is Wireshark\'s, not a bridge: use tcp://HOST:PORT or serial:PATH');
  }
  log(`waiting for the reader of ${opts.fifo}`);
  const fifo = openFifoForWriting(opts.fifo);
  const release = (): void => fifo.release();
  opts.signal.addEventListener('abort', release, { once: true });
  let fd: number | null;
  try {
    fd = await fifo.fd;
  } finally {
    opts.signal.removeEventListener('abort', release);
  }
  if (fd === null) return { counts: null, stats: null, readerGone: false };
  log(`fifo ${opts.fifo} open`);

  let live: LiveSource | null = null;
  // The source opens once the header is in the fifo, so Wireshark shows the capture as started
  // while a bridge is still being reached.
  async function* received(): AsyncGenerator<readonly BuddyRecord[]> {
    if (opts.signal.aborted) return;
    live = await openLiveSource(opts.source, {
      baud: opts.baud,
      reconnect: opts.reconnect,
      signal: opts.signal,
      onStatus: (s) => log(`${s.state}: ${s.detail}`),
    });
    yield* live.records;
  }

  let readerGone = false;
  let counts: SinkCounts | null = null;
  try {
    counts = await writeRecordsToPcapngOutput(decodeLink(received(), createLinkStage(opts.protocol ?? 'auto', { onPick: (note) => log(note) })), fd, {
      raw: opts.raw,
      timeOffsetSec: opts.timeOffsetSec ?? 0,
      comments: [`buddyshark extcap: live capture from ${opts.source}`],
    });
  } catch (err) {
    if (!isBrokenPipe(err)) throw err;
    readerGone = true;
    log('the reader closed the fifo: capture ended');
  } finally {
    (live as LiveSource | null)?.stop();
    closeQuietly(fd);
  }
  const stats = (live as LiveSource | null)?.stats ?? null;
  if (counts) log(`wrote ${counts.packets} packets from ${counts.records} records`);
  return { counts, stats, readerGone };
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already closed by a failed write: nothing left to release.
  }
}
