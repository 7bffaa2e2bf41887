/**
 * The status line of a live capture, on stderr. Consumes snapshots of the capture (connection
 * state, records, packets written, bytes received, anomalies, bridge packets dropped for a bad
 * CRC, gaps) taken by a callback; emits:
 * - on a terminal: one line redrawn in place every TTY_INTERVAL_MS (cut to the terminal's width,
 *   coloured unless NO_COLOR), and erased by `stop()` so the summary prints on a clean line;
 * - when stderr is not a terminal (a log, CI): the same facts as a plain line every
 *   PLAIN_INTERVAL_MS, and a line at each connection state change (connected, with the bridge's
 *   description once it introduced itself; the first failure of an outage, not every retry).
 * Rates are per second over the last interval.
 *
 * Example:
 *   const line = new LiveStatusLine(() => snapshotOf(capture));
 *   line.start(); ...; line.stop();
 *   liveStatusText(snap, prev, 1000, false)
 *   // 'tcp://127.0.0.1:7878 connected  0:12  12,345 records (2,345/s)  10,000 packets  1.2 MB in (120 kB/s)  anomalies 0'
 */
import type { LiveStatus } from '../../sources/live/types.ts';
import { paint, useColour } from '../output.ts';

export const TTY_INTERVAL_MS = 250;
export const PLAIN_INTERVAL_MS = 10_000;

export interface CaptureSnapshot {
  readonly name: string;
  readonly state: LiveStatus['state'] | null;
  readonly elapsedMs: number;
  readonly records: number;
  readonly packets: number;
  readonly bytesIn: number;
  readonly anomalies: Readonly<Record<string, number>>;
  readonly gaps: number;
  /** Bridge packets dropped for a bad CRC (each burst is also one bad-packets anomaly). */
  readonly badPackets: number;
  readonly reconnects: number;
  readonly backlog: number;
}

const n = (v: number): string => Math.round(v).toLocaleString('en');

export function formatBytes(b: number): string {
  if (b < 1000) return `${Math.round(b)} B`;
  if (b < 1e6) return `${(b / 1e3).toFixed(1)} kB`;
  if (b < 1e9) return `${(b / 1e6).toFixed(1)} MB`;
  return `${(b / 1e9).toFixed(2)} GB`;
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** One status line; `prev` and `dtMs` give the rates (none on the first line). */
export function liveStatusText(s: CaptureSnapshot, prev: CaptureSnapshot | null, dtMs: number, colour: boolean): string {
  const rate = (now: number, before: number | undefined): number => (before === undefined || dtMs <= 0 ? 0 : ((now - before) * 1000) / dtMs);
  const state = s.state ?? 'connecting';
  const stateColour = state === 'connected' ? 'green' : state === 'ended' ? 'gray' : 'yellow';
  const total = Object.values(s.anomalies).reduce((a, b) => a + b, 0);
  const list = Object.entries(s.anomalies).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
  const parts = [
    `${s.name} ${paint(stateColour, state, colour)}`,
    formatElapsed(s.elapsedMs),
    `${n(s.records)} records${prev ? ` (${n(rate(s.records, prev.records))}/s)` : ''}`,
    `${n(s.packets)} packets`,
    `${formatBytes(s.bytesIn)} in${prev ? ` (${formatBytes(rate(s.bytesIn, prev.bytesIn))}/s)` : ''}`,
    total ? paint('red', `anomalies ${n(total)} (${list})`, colour) : 'anomalies 0',
    ...(s.badPackets ? [paint('red', `bad packets ${n(s.badPackets)}`, colour)] : []),
    ...(s.gaps ? [paint('yellow', `gaps ${n(s.gaps)}`, colour)] : []),
    ...(s.reconnects ? [`reconnects ${n(s.reconnects)}`] : []),
    ...(s.backlog > 10_000 ? [paint('yellow', `backlog ${n(s.backlog)}`, colour)] : []),
  ];
  return parts.join('  ');
}

/** Cuts a line (which may hold SGR colour codes) to `width` visible characters. */
export function fitVisible(text: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\x1b') {
      const end = text.indexOf('m', i);
      if (end > 0) {
        out += text.slice(i, end + 1);
        i = end;
        continue;
      }
    }
    if (visible === width) break;
    out += text[i];
    visible++;
  }
  return visible === width && out.length < text.length ? `${out}\x1b[0m` : out;
}

export class LiveStatusLine {
  private timer: NodeJS.Timeout | null = null;
  private prev: CaptureSnapshot | null = null;
  private prevAt = 0;
  private drawn = false;
  private lastState: LiveStatus['state'] | null = null;
  private lastDetail = '';
  readonly tty: boolean;
  private readonly colour: boolean;

  constructor(private readonly snapshot: () => CaptureSnapshot, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY === true;
    this.colour = useColour(stream);
  }

  start(): void {
    if (this.timer) return;
    this.prev = this.snapshot();
    this.prevAt = Date.now();
    this.timer = setInterval(() => this.tick(), this.tty ? TTY_INTERVAL_MS : PLAIN_INTERVAL_MS);
    this.timer.unref();
  }

  /** A connection state change: redrawn at once on a terminal, a line of its own otherwise. */
  status(st: LiveStatus): void {
    // A state change is news; so is a connection's detail once the bridge introduced itself. The
    // retries of an outage are not: one line when it starts ("connecting" between retries included).
    if (st.state === 'connecting' && this.lastState === 'disconnected') return;
    if (st.state === this.lastState && (st.state !== 'connected' || st.detail === this.lastDetail)) return;
    this.lastState = st.state;
    this.lastDetail = st.detail;
    if (this.tty) {
      if (this.timer) this.tick();
      return;
    }
    if (st.state === 'connected' || st.state === 'disconnected') this.stream.write(`buddyshark: ${st.detail}\n`);
  }

  tick(): void {
    const now = Date.now();
    const s = this.snapshot();
    const text = liveStatusText(s, this.prev, now - this.prevAt, this.tty && this.colour);
    this.prev = s;
    this.prevAt = now;
    if (this.tty) {
      const width = Math.max(20, (this.stream.columns || 80) - 1);
      this.stream.write(`\r\x1b[2K${fitVisible(text, width)}`);
      this.drawn = true;
    } else {
      this.stream.write(`buddyshark: ${text}\n`);
    }
  }

  /** Stops the updates and erases the line on a terminal. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.drawn) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
