/**
 * `openLiveSource(spec, options)`: the one entry point for live input (the contract is types.ts).
 *
 * spec: `tcp://HOST:PORT` (a network bridge or `buddyshark simulate --serve`), `serial:PATH[@BAUD]`
 * (a USB bridge; baud from the spec, else options.baud, else 921600), or `-` (standard input: a
 * bridge stream or a streamed VCD, see stdin.ts). TCP and serial reconnect with backoff unless
 * `reconnect: false`; standard input ends at EOF. A bad spec rejects with a SourceError; faults
 * found while reading (not a bridge, a failed first connect without reconnect, a bad VCD) end the
 * record stream with a SourceError after what was decoded before them.
 *
 * Returns at once (it does not wait for the connection); `stats` are live counters.
 *
 * Example:
 *   const live = await openLiveSource('tcp://127.0.0.1:7878', { onStatus: (s) => console.error(s.detail) });
 *   process.once('SIGINT', () => live.stop());
 *   for await (const batch of decodeLink(live.records)) ...
 */
import type { Readable } from 'node:stream';
import { BridgeFeed } from './bridge-feed.ts';
import { DEFAULT_MAX_BACKOFF_MS, runConnections } from './connection-loop.ts';
import { RecordQueue } from './record-queue.ts';
import { DEFAULT_BAUD, openSerial } from './serial.ts';
import { parseLiveSpec } from './spec.ts';
import { runStdin, STDIN_NAME } from './stdin.ts';
import { connectTcp } from './tcp.ts';
import type { LiveSource, LiveSourceOptions, LiveStats, LiveStatus } from './types.ts';

/** Injection points for tests (a fake stdin, a serial port stand-in, a wall clock). */
export interface LiveIo {
  readonly stdin?: Readable;
  readonly openSerial?: (path: string, baud: number) => Promise<Readable>;
  readonly wallNow?: () => number;
}

export async function openLiveSource(spec: string, options: LiveSourceOptions = {}, io: LiveIo = {}): Promise<LiveSource> {
  const parsed = parseLiveSpec(spec);
  const name = parsed.kind === 'stdin' ? STDIN_NAME : spec;
  const stats: LiveStats = { bytes: 0, packets: 0, records: 0, resyncs: 0, badPackets: 0, gaps: 0, reconnects: 0, backlog: 0, peakBacklog: 0 };
  let stopped = false;
  let current: Readable | null = null;
  let wakeSleep: (() => void) | null = null;
  let lastStatus: LiveStatus | null = null;
  const status = (s: LiveStatus): void => {
    if (stopped && s.state !== 'ended') return;
    lastStatus = s;
    options.onStatus?.(s);
  };
  const queue = new RecordQueue(
    (backlog, taken) => {
      stats.backlog = backlog;
      if (backlog > (stats.peakBacklog ?? 0)) stats.peakBacklog = backlog;
      stats.records += taken;
    },
    () => stop(),
    options.maxBacklog,
  );
  const where = parsed.kind === 'tcp' ? `${parsed.host.includes(':') ? `[${parsed.host}]` : parsed.host}:${parsed.port}`
    : parsed.kind === 'serial' ? parsed.path : STDIN_NAME;
  const feed = new BridgeFeed(name, queue, stats, io.wallNow, () => {
    status({ state: 'connected', detail: `connected to ${where} (${feed.decoder.describeBridge()})` });
  });

  function stop(): void {
    if (stopped) return;
    stopped = true;
    current?.destroy();
    // Stop reading standard input too: a pending read would keep the process alive.
    if (parsed.kind === 'stdin') (io.stdin ?? process.stdin).destroy();
    wakeSleep?.();
    queue.end();
  }
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });

  const sleep = (ms: number): Promise<void> => new Promise((resolve) => {
    const t = setTimeout(() => {
      wakeSleep = null;
      resolve();
    }, ms);
    wakeSleep = () => {
      clearTimeout(t);
      wakeSleep = null;
      resolve();
    };
  });

  let run: Promise<void>;
  if (parsed.kind === 'stdin') {
    run = runStdin(io.stdin ?? process.stdin, feed, queue, stats, options, status, () => stopped);
  } else {
    const connect = parsed.kind === 'tcp'
      ? () => connectTcp(parsed.host, parsed.port)
      : () => (io.openSerial ?? openSerial)(parsed.path, parsed.baud ?? options.baud ?? DEFAULT_BAUD);
    run = runConnections({
      name, where, connect, feed, queue, stats, status, sleep,
      reconnect: options.reconnect ?? true,
      maxBackoffMs: options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS,
      stopped: () => stopped,
      setCurrent: (c) => {
        current = c;
      },
    });
  }
  run.then(
    () => {
      queue.end();
      if (lastStatus?.state !== 'ended') status({ state: 'ended', detail: `${name}: input ended` });
    },
    (err: unknown) => {
      queue.fail(err);
      status({ state: 'ended', detail: err instanceof Error ? err.message : String(err) });
    },
  );
  return { name, records: queue.stream(), stats, stop };
}
