/**
 * `buddyshark capture --live <source> -w out.pcapng`: opens the live source (src/sources/live/),
 * writes what arrives to one pcapng file or a ring of them (--ring N --size MB), shows the status
 * line on stderr, and ends cleanly on Ctrl-C (SIGINT), SIGTERM, --duration or --count with a valid
 * file and the summary (--json: one JSON object). A second Ctrl-C exits at once (130); the file is
 * still valid up to its last batch. A bridge that drops the connection is retried by the source,
 * with backoff; each gap is a capture-gap anomaly in the file and is counted in the summary.
 *
 * Example: await captureLive({ live: 'tcp://127.0.0.1:7878', write: 'cap.pcapng', count: 1000, ... })
 */
import { RingPcapngSink } from '../../pcapng/ring.ts';
import { RecordPcapngSink } from '../../pcapng/sink.ts';
import { PcapngWriter } from '../../pcapng/writer.ts';
import type { LiveSource, LiveStatus } from '../../sources/live/types.ts';
import { checkOptions, MAX_BAUD, OPTION } from '../option-schema.ts';
import { paint, printNote, UserError, useColour, writeJsonLine } from '../output.ts';
import type { ProtocolChoice } from '../../link/select.ts';
import { liveInputOptions, type InputArgs } from '../input-options.ts';
import { summaryLines } from '../../records/summary.ts';
import { LiveCapture, type CaptureSink, type LiveCaptureResult } from './capture-loop.ts';
import { formatBytes, formatElapsed, LiveStatusLine } from './status-line.ts';

export interface CaptureLiveArgs extends InputArgs {
  live: string;
  write: string;
  raw: boolean;
  force: boolean;
  json: boolean;
  duration?: number;
  count?: number;
  ring?: number;
  size?: number;
  baud?: number;
}

/** Bytes in a --size megabyte (decimal, as dumpcap's kB are 1000 bytes). */
export const MEGABYTE = 1_000_000;

/** Checks the live-only options; throws UserError naming the option. */
export function checkLiveOptions(a: Pick<CaptureLiveArgs, 'duration' | 'count' | 'ring' | 'size' | 'baud'>): void {
  checkOptions(a, {
    duration: OPTION.above0('seconds').optional(), count: OPTION.positiveWhole().optional(), ring: OPTION.positiveWhole('files').optional(),
    size: OPTION.above0('megabytes').optional(), baud: OPTION.wholeIn(1, MAX_BAUD, 'baud').optional(),
  });
  if ((a.ring === undefined) !== (a.size === undefined)) throw new UserError('--ring and --size go together: --ring N --size MB keeps the newest N files of MB megabytes each');
}

async function openSink(a: CaptureLiveArgs): Promise<CaptureSink & { files?: readonly string[] }> {
  if (a.ring !== undefined && a.size !== undefined) {
    return RingPcapngSink.open(a.write, { files: a.ring, sizeBytes: a.size * MEGABYTE, raw: a.raw, force: a.force });
  }
  const sink = new RecordPcapngSink(PcapngWriter.create(a.write, { force: a.force }), { raw: a.raw });
  // Header and interfaces on disk before the first record: the file is valid from the start.
  await sink.flush();
  return sink;
}

const STOP_TEXT: Record<LiveCaptureResult['stoppedBy'], string> = {
  end: 'the source ended', interrupted: 'interrupted (Ctrl-C)', terminated: 'terminated (SIGTERM)',
  duration: 'the --duration elapsed', count: 'the --count was reached', error: 'an error',
};

export async function captureLive(a: CaptureLiveArgs): Promise<void> {
  checkLiveOptions(a);
  const { openLiveSource } = await import('../../sources/live/open.ts');
  let state: LiveStatus | null = null;
  let line: LiveStatusLine | null = null;
  const live: LiveSource = await openLiveSource(a.live, {
    ...liveInputOptions(a.live === '-' ? '<stdin>' : a.live, a),
    reconnect: true,
    ...(a.baud !== undefined ? { baud: a.baud } : {}),
    onStatus: (st: LiveStatus) => {
      state = st;
      line?.status(st);
    },
  });
  let sink: Awaited<ReturnType<typeof openSink>>;
  try {
    sink = await openSink(a);
  } catch (err) {
    live.stop();
    throw err;
  }
  const cap = new LiveCapture(live, sink, {
    raw: a.raw,
    ...(a.count !== undefined ? { count: a.count } : {}),
    ...(a.duration !== undefined ? { durationMs: a.duration * 1000 } : {}),
    protocol: (a.protocol ?? 'auto') as ProtocolChoice,
    onPick: (note) => printNote(`${a.live}: ${note}`),
  });
  const started = Date.now();
  line = new LiveStatusLine(() => ({
    name: live.name, state: state?.state ?? null, elapsedMs: Date.now() - started, records: cap.summary.records,
    packets: sink.counts.packets, bytesIn: live.stats.bytes, anomalies: cap.summary.anomalies, badPackets: live.stats.badPackets, gaps: live.stats.gaps,
    reconnects: live.stats.reconnects, backlog: live.stats.backlog,
  }));
  if (state) line.status(state);
  let signals = 0;
  const onSignal = (reason: 'interrupted' | 'terminated') => () => {
    // A second signal means "now": the file is valid up to its last batch anyway.
    if (++signals > 1) process.exit(130);
    cap.stop(reason);
  };
  const onInt = onSignal('interrupted');
  const onTerm = onSignal('terminated');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  line.start();
  let result: LiveCaptureResult | null = null;
  try {
    result = await cap.run();
  } finally {
    line.stop();
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    if (!result) printSummary(a, live, cap, sink, { stoppedBy: 'error', summary: cap.summary, counts: sink.counts, gaps: cap.gaps, elapsedMs: Date.now() - started });
  }
  printSummary(a, live, cap, sink, result);
}

function printSummary(a: CaptureLiveArgs, live: LiveSource, cap: LiveCapture, sink: CaptureSink & { files?: readonly string[] }, r: LiveCaptureResult): void {
  const files = sink.files ? [...sink.files] : [a.write];
  if (a.json) {
    writeJsonLine({
      ...r.summary, output: a.write, files, packets: r.counts.packets, skipped: r.counts.skipped, byInterface: r.counts.byInterface,
      stoppedBy: r.stoppedBy, elapsedMs: r.elapsedMs, gaps: r.gaps, live: { ...live.stats }, link: cap.link.stats ?? null,
    });
    return;
  }
  const colour = useColour();
  const lines = summaryLines(r.summary);
  const by = Object.entries(r.counts.byInterface).filter(([, v]) => v).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  const where = sink.files ? `${files.length} ring file${files.length === 1 ? '' : 's'} (${files.join(', ')})` : a.write;
  lines.push(`  wrote ${r.counts.packets} packets to ${where} (${by})${r.counts.skipped ? `, ${r.counts.skipped} raw records left out` : ''}`);
  const s = live.stats;
  lines.push(`  live: ${formatBytes(s.bytes)} received in ${formatElapsed(r.elapsedMs)}, gaps ${s.gaps}, reconnects ${s.reconnects}${s.resyncs ? `, resyncs ${s.resyncs}` : ''}${s.badPackets ? `, bad packets ${s.badPackets}` : ''}; stopped: ${STOP_TEXT[r.stoppedBy]}`);
  process.stdout.write(`${lines.map((l, i) => (i === 0 ? paint('bold', l, colour) : l)).join('\n')}\n`);
}
