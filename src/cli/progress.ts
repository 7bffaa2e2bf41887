/**
 * Progress for long work, on stderr, only when stderr is a terminal: a single line redrawn at most
 * a few times a second, cleared when done. Silent when piped, so logs and CI output stay clean.
 */
import { formatDuration } from './record-summary.ts';

export class Progress {
  private last = 0;
  private shown = false;
  private readonly started = Date.now();
  private readonly enabled: boolean;

  constructor(private readonly label: string, stream: NodeJS.WriteStream = process.stderr) {
    this.enabled = stream.isTTY === true;
  }

  update(records: number, captureNs: number): void {
    if (!this.enabled) return;
    const now = Date.now();
    // Only after half a second: quick files show no progress at all.
    if (now - this.last < 200 || now - this.started < 500) return;
    this.last = now;
    this.shown = true;
    const rate = records / ((now - this.started) / 1000);
    process.stderr.write(`\r\x1b[2K${this.label}: ${records.toLocaleString('en')} records, ${formatDuration(captureNs)} of capture, ${Math.round(rate).toLocaleString('en')} records/s`);
  }

  done(): void {
    if (this.shown) process.stderr.write('\r\x1b[2K');
    this.shown = false;
  }
}
