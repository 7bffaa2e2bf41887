/**
 * pcapng sink. Consumes a RecordStream (batches of records), emits a pcapng file: the SHB, the five
 * buddyshark IDBs up front (interfaces.ts order), then one write per record batch, so a killed
 * capture stays readable up to its last batch. If the record stream fails, what was written is
 * flushed and closed before the error is rethrown.
 *
 * Options: raw (default true; false leaves TxnRecords and LineRecords out, a lean file for people),
 * force (default false: an existing file is never replaced), timeOffsetSec (default 0: if_tsoffset,
 * the wall-clock second capture time 0 corresponds to), userappl/hardware/os (SHB options).
 *
 * Example:
 *   const counts = await writeRecordsToPcapng(records, 'cap.pcapng', { raw: false });
 *   // { records: 1200, packets: 1100, skipped: 100, byInterface: { eth: 40, link: 1000, ... } }
 */
import type { Writable } from 'node:stream';
import type { BuddyRecord, RecordStream } from '../records/types.ts';
import type { SectionOptions } from './blocks.ts';
import { BUDDY_INTERFACES, type InterfaceKey } from './interfaces.ts';
import { writeRecordEpb } from './record-epb.ts';
import type { InterfaceIds } from './record-packets.ts';
import { PcapngWriter } from './writer.ts';

export interface SinkOptions extends SectionOptions {
  readonly raw?: boolean;
  readonly force?: boolean;
  readonly timeOffsetSec?: bigint | number;
}

export interface SinkCounts {
  /** Records consumed. */
  records: number;
  /** Packets written. */
  packets: number;
  /** Records left out (txn and line records when raw is false). */
  skipped: number;
  byInterface: Record<InterfaceKey, number>;
}

/** Record-to-packet writing on top of any PcapngWriter (file, fd, stream). */
export class RecordPcapngSink {
  readonly counts: SinkCounts = { records: 0, packets: 0, skipped: 0, byInterface: { eth: 0, link: 0, ble: 0, spi: 0, events: 0 } };
  private readonly ids: InterfaceIds;
  private readonly raw: boolean;

  constructor(private readonly writer: PcapngWriter, opts: Pick<SinkOptions, 'raw' | 'timeOffsetSec'> = {}) {
    this.raw = opts.raw ?? true;
    const ids: Partial<Record<InterfaceKey, number>> = {};
    const tsoffset = BigInt(opts.timeOffsetSec ?? 0);
    for (const i of BUDDY_INTERFACES) {
      const id = writer.addInterface({ linkType: i.linkType, name: i.name, description: i.description, tsoffset });
      ids[i.key] = id;
    }
    this.ids = ids as InterfaceIds;
  }

  async write(batch: readonly BuddyRecord[]): Promise<void> {
    const c = this.counts;
    await this.writer.writeBlocks((out) => {
      for (const r of batch) {
        c.records++;
        if (!this.raw && (r.kind === 'txn' || r.kind === 'line')) {
          c.skipped++;
          continue;
        }
        const at = out.pos;
        let key: InterfaceKey | null;
        try {
          key = writeRecordEpb(out, r, this.ids);
        } catch (err) {
          out.pos = at; // a record that cannot be encoded (a programming error) leaves no half block
          throw err;
        }
        if (key === null) {
          // A record the file does not hold (an idle esp-hosted direction, see its pcapng mapping).
          c.skipped++;
          continue;
        }
        c.byInterface[key]++;
        c.packets++;
      }
    });
  }

  async flush(): Promise<void> {
    await this.writer.flush();
  }

  async close(): Promise<void> {
    await this.writer.close();
  }
}

async function drain(records: RecordStream, sink: RecordPcapngSink): Promise<SinkCounts> {
  try {
    // Header and interfaces go out before the first record: a live reader (an extcap fifo) can
    // show the interfaces while the capture is still quiet.
    await sink.flush();
    for await (const batch of records) await sink.write(batch);
  } finally {
    await sink.close();
  }
  return sink.counts;
}

/** A pcapng file already on disk with its header and interfaces; `drain` fills and closes it. */
export interface RecordPcapngFile {
  drain(records: RecordStream): Promise<SinkCounts>;
  /** Closes it without records (a valid, empty capture), when there is nothing to drain. */
  close(): Promise<void>;
}

/**
 * Creates `path` (OutputExistsError if it exists and !force) and writes the SHB and the interfaces
 * at once, before any record: from then on the file is a valid pcapng at every moment, even if the
 * input takes its time to start (standard input) and the process is killed meanwhile.
 */
export async function createRecordPcapng(path: string, opts: SinkOptions = {}): Promise<RecordPcapngFile> {
  const sink = new RecordPcapngSink(PcapngWriter.create(path, opts), opts);
  await sink.flush();
  return { drain: (records) => drain(records, sink), close: () => sink.close() };
}

/** Writes a record stream to a new pcapng file; fails with OutputExistsError if it exists and !force. */
export async function writeRecordsToPcapng(records: RecordStream, path: string, opts: SinkOptions = {}): Promise<SinkCounts> {
  return (await createRecordPcapng(path, opts)).drain(records);
}

/** Writes a record stream to an open fd (e.g. an extcap fifo) or a Writable (e.g. stdout, left open). */
export async function writeRecordsToPcapngOutput(records: RecordStream, out: number | Writable, opts: Omit<SinkOptions, 'force'> = {}): Promise<SinkCounts> {
  const writer = typeof out === 'number' ? PcapngWriter.toFd(out, opts) : PcapngWriter.toStream(out, { ...opts, end: false });
  return drain(records, new RecordPcapngSink(writer, opts));
}
