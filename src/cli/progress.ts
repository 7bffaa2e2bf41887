/**
 * Progress for long work, on stderr, only when stderr is a terminal and only after half a second
 * (quick files show nothing). For a file of known size on Linux it is a cli-progress bar of bytes
 * read: /proc/self/io counts every byte the process reads, whichever reader (stream, zip, pcapng)
 * reads it, so no layer has to report its position. Otherwise (stdin, other systems) it is one
 * status line of records and capture time. `fraction()` shows work counted in its own units (replay:
 * capture time replayed). Silent when piped, so logs and CI output stay clean.
 */
import { readFileSync, statSync } from 'node:fs';
import cliProgress from 'cli-progress';
import { formatDuration } from '../records/summary.ts';

function bytesReadSoFar(): number | null {
  try {
    const m = /^rchar:\s+(\d+)/m.exec(readFileSync('/proc/self/io', 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

function fileSize(path: string): number | null {
  if (path === '-') return null;
  try {
    const s = statSync(path);
    return s.isFile() && s.size > 0 ? s.size : null;
  } catch {
    return null;
  }
}

export class Progress {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();
  private readonly enabled: boolean;
  private readonly total: number | null;
  private readonly base: number | null;
  private bar: cliProgress.SingleBar | null = null;

  constructor(private readonly label: string, path = '-', stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = stream.isTTY === true;
    this.total = this.enabled ? fileSize(path) : null;
    this.base = this.total !== null ? bytesReadSoFar() : null;
  }

  update(records: number, captureNs: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 200 || now - this.started < 500) return;
    this.last = now;
    const read = this.base !== null && this.total !== null ? bytesReadSoFar() : null;
    if (read !== null && this.base !== null && this.total !== null) {
      if (!this.bar) {
        this.bar = new cliProgress.SingleBar(
          { format: `${this.label} [{bar}] {percentage}% | {records} records, {capture} of capture | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
          cliProgress.Presets.shades_classic,
        );
        this.bar.start(this.total, 0, { records: 0, capture: '0 ns' });
      }
      this.bar.update(Math.min(this.total, read - this.base), { records: records.toLocaleString('en'), capture: formatDuration(captureNs) });
      return;
    }
    this.shown = true;
    const rate = records / ((now - this.started) / 1000);
    process.stderr.write(`\r\x1b[2K${this.label}: ${records.toLocaleString('en')} records, ${formatDuration(captureNs)} of capture, ${Math.round(rate).toLocaleString('en')} records/s`);
  }

  /**
   * Progress measured in the work's own units instead of bytes read (replay reads its capture
   * twice, so bytes say little): `done` of `total`, with one line of detail.
   */
  fraction(done: number, total: number, detail: string): void {
    if (!this.enabled || !(total > 0)) return;
    const now = Date.now();
    if (now - this.last < 200 || now - this.started < 500) return;
    this.last = now;
    if (!this.bar) {
      this.bar = new cliProgress.SingleBar(
        { format: `${this.label} [{bar}] {percentage}% | {detail} | ETA {eta_formatted}`, hideCursor: true, clearOnComplete: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { detail });
    }
    this.bar.update(Math.min(total, done), { detail });
  }

  done(): void {
    if (this.bar) this.bar.stop();
    this.bar = null;
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
