/**
 * Ring buffer of pcapng files, like dumpcap's `-b files:N -b filesize:KB`. Consumes record batches
 * (the same `write(batch)` as RecordPcapngSink), emits a series of files named after the base path
 * with a sequence number and the local time the file was started:
 *   out.pcapng -> out_00001_20261124131500.pcapng, out_00002_20261124131502.pcapng, ...
 * Each file is a complete pcapng (its own SHB and the five buddyshark IDBs, written as soon as the
 * file is opened), and only the newest `files` are kept: opening one more deletes the oldest.
 *
 * A file is switched for the next one once it has reached `sizeBytes`; batches are written in
 * slices of at most SLICE_RECORDS records (one write each), so a file overshoots the size by at most
 * one slice. Records keep their capture times, so the files share one time base.
 *
 * Options: files (N >= 1), sizeBytes (> 0), raw (default true), force (default false: an existing
 * file of the series is never replaced), timeOffsetSec, userappl/hardware/os, now (clock for names).
 *
 * Example:
 *   const ring = RingPcapngSink.open('cap.pcapng', { files: 5, sizeBytes: 10e6 });
 *   for await (const batch of records) await ring.write(batch);
 *   await ring.close();   // ring.files: the kept paths, oldest first
 */
import fs from 'node:fs';
import path from 'node:path';
import type { BuddyRecord } from '../records/types.ts';
import { RecordPcapngSink, type SinkCounts, type SinkOptions } from './sink.ts';
import { OutputExistsError, PcapngWriter } from './writer.ts';

/** Largest slice of a batch written in one go (the size check runs between slices). */
export const SLICE_RECORDS = 256;

export interface RingOptions extends SinkOptions {
  /** How many files to keep (the newest). */
  readonly files: number;
  /** Size at which a file is closed and the next one started. */
  readonly sizeBytes: number;
  /** Clock used for the timestamp in file names (default: now). */
  readonly now?: () => Date;
}

interface OpenFile {
  readonly path: string;
  readonly fd: number;
  readonly sink: RecordPcapngSink;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** YYYYMMDDHHMMSS in local time, as dumpcap names its ring files. */
export function ringTimestamp(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}${pad(d.getHours())}${pad(d.getMinutes())}${pad(d.getSeconds())}`;
}

/** The name of file number `seq` of a ring based on `base` (out.pcapng -> out_00001_<time>.pcapng). */
export function ringFileName(base: string, seq: number, at: Date): string {
  const ext = path.extname(base);
  const stem = ext ? base.slice(0, -ext.length) : base;
  return `${stem}_${pad(seq, 5)}_${ringTimestamp(at)}${ext}`;
}

export class RingPcapngSink {
  /** Kept files, oldest first (the last one is being written until close). */
  readonly files: string[] = [];
  /** Files started so far (deleted ones included). */
  created = 0;
  private current: OpenFile | null = null;
  private readonly finished: SinkCounts = { records: 0, packets: 0, skipped: 0, byInterface: { eth: 0, link: 0, ble: 0, spi: 0, events: 0 } };
  private closed = false;

  private constructor(private readonly base: string, private readonly opts: RingOptions) {}

  /** Validates the options and starts the first file (header and interfaces written at once). */
  static async open(base: string, opts: RingOptions): Promise<RingPcapngSink> {
    if (!Number.isInteger(opts.files) || opts.files < 1) throw new RangeError(`ring: files must be a whole number >= 1 (got ${opts.files})`);
    if (!(opts.sizeBytes > 0)) throw new RangeError(`ring: sizeBytes must be > 0 (got ${opts.sizeBytes})`);
    const ring = new RingPcapngSink(base, opts);
    await ring.next();
    return ring;
  }

  /** Counts over every file written (deleted ones included). */
  get counts(): SinkCounts {
    const c = this.current?.sink.counts;
    const f = this.finished;
    if (!c) return { ...f, byInterface: { ...f.byInterface } };
    const byInterface = { ...f.byInterface };
    for (const k of Object.keys(byInterface) as (keyof typeof byInterface)[]) byInterface[k] += c.byInterface[k];
    return { records: f.records + c.records, packets: f.packets + c.packets, skipped: f.skipped + c.skipped, byInterface };
  }

  async write(batch: readonly BuddyRecord[]): Promise<void> {
    for (let at = 0; at < batch.length; at += SLICE_RECORDS) {
      if (this.currentSize() >= this.opts.sizeBytes) await this.next();
      const file = this.current;
      if (!file) throw new Error('pcapng ring is closed');
      await file.sink.write(at === 0 && batch.length <= SLICE_RECORDS ? batch : batch.slice(at, at + SLICE_RECORDS));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.finishCurrent();
  }

  private currentSize(): number {
    return this.current ? fs.fstatSync(this.current.fd).size : 0;
  }

  private async finishCurrent(): Promise<void> {
    const file = this.current;
    if (!file) return;
    this.current = null;
    await file.sink.close();
    const c = file.sink.counts;
    const f = this.finished;
    f.records += c.records;
    f.packets += c.packets;
    f.skipped += c.skipped;
    for (const k of Object.keys(f.byInterface) as (keyof typeof f.byInterface)[]) f.byInterface[k] += c.byInterface[k];
  }

  /** Closes the current file, starts the next, and deletes the oldest beyond `files`. */
  private async next(): Promise<void> {
    await this.finishCurrent();
    const name = ringFileName(this.base, this.created + 1, (this.opts.now ?? (() => new Date()))());
    let fd: number;
    try {
      fd = fs.openSync(name, this.opts.force ? 'w' : 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputExistsError(name);
      throw err;
    }
    const writer = PcapngWriter.toFd(fd, { ...this.opts, closeFd: true });
    const sink = new RecordPcapngSink(writer, this.opts);
    this.current = { path: name, fd, sink };
    this.created++;
    this.files.push(name);
    // The interfaces go out now: every file of the ring is a valid capture even before a packet.
    await sink.flush();
    while (this.files.length > this.opts.files) fs.rmSync(this.files.shift() as string, { force: true });
  }
}
