/**
 * pcapng source. Consumes a pcapng file (path or Readable) written by buddyshark, emits a
 * RecordStream: one batch of records per read chunk, in file order. Packets on interfaces that are
 * not buddyshark's (foreign IDBs, SPBs) are skipped and counted; a packet on one of ours whose bytes
 * do not decode becomes a `source-error` anomaly naming its file offset (never dropped silently).
 *
 * Truncation: a file cut mid-block yields every record before the cut; `status.truncatedAt` then
 * holds the byte offset of the incomplete block, and (unless `markTruncation: false`) a final
 * `truncated-capture` anomaly is emitted. Structural damage throws SourceError after the records
 * before it.
 *
 * Example:
 *   const src = readRecordsFromPcapng('cap.pcapng');
 *   for await (const batch of src) for (const r of batch) console.log(r.kind, r.startNs);
 *   if (src.status.truncatedAt !== undefined) console.log('cut at byte', src.status.truncatedAt);
 */
import type { Readable } from 'node:stream';
import type { BuddyRecord, RecordStream } from '../records/types.ts';
import { interfaceKeyOf, type InterfaceKey } from './interfaces.ts';
import { packetStartNs, packetToRecord } from './packet-records.ts';
import { readPcapngBatches, type IdbBlock, type ReadOptions } from './reader.ts';

export interface SourceStatus {
  /** Byte offset of the incomplete block when the file was cut short. */
  truncatedAt?: number;
  /** Packets on foreign interfaces, and simple packet blocks. */
  skippedPackets: number;
  /** Packets of ours that did not decode (each emitted as a source-error anomaly). */
  badPackets: number;
  sections: number;
  /** The SHB's shb_userappl of the first section, when present. */
  userappl?: string;
}

export interface PcapngRecordStream extends RecordStream {
  readonly status: SourceStatus;
}

export interface SourceOptions extends ReadOptions {
  /** Emit a truncated-capture anomaly at the end of a cut file. Default true. */
  readonly markTruncation?: boolean;
  /** Read only these interfaces' packets (replay needs the raw SPI layer alone); default all. */
  readonly only?: ReadonlySet<InterfaceKey>;
  /**
   * Raw SPI bytes as views into the read chunk instead of copies: faster, but a kept record keeps
   * its whole chunk alive. For consumers that let records go (replay); default false.
   */
  readonly views?: boolean;
}

export function readRecordsFromPcapng(input: string | Readable, opts: SourceOptions = {}): PcapngRecordStream {
  const status: SourceStatus = { skippedPackets: 0, badPackets: 0, sections: 0 };
  const keys = new Map<IdbBlock, InterfaceKey | undefined>();
  let lastNs = 0;
  async function* records(): AsyncGenerator<readonly BuddyRecord[]> {
    for await (const blocks of readPcapngBatches(input, opts)) {
      const out: BuddyRecord[] = [];
      for (const b of blocks) {
        switch (b.type) {
          case 'shb':
            if (status.sections++ === 0 && b.userappl !== undefined) status.userappl = b.userappl;
            keys.clear();
            break;
          case 'idb':
            keys.set(b, interfaceKeyOf(b));
            break;
          case 'spb':
            status.skippedPackets++;
            break;
          case 'epb': {
            const key = keys.get(b.iface);
            if (key === undefined) {
              status.skippedPackets++;
              break;
            }
            if (opts.only && !opts.only.has(key)) break;
            const r = packetToRecord(key, b, opts.views ?? false);
            if (r.ok) {
              out.push(r.record);
              lastNs = r.record.endNs;
            } else {
              status.badPackets++;
              const t = packetStartNs(b);
              out.push({ kind: 'anomaly', startNs: t, endNs: t, code: 'source-error', detail: `byte ${b.offset}: ${r.reason}` });
            }
            break;
          }
          case 'truncated':
            status.truncatedAt = b.offset;
            if (opts.markTruncation ?? true) {
              out.push({ kind: 'anomaly', startNs: lastNs, endNs: lastNs, code: 'truncated-capture', detail: `file cut short at byte ${b.offset}` });
            }
            break;
          case 'unknown':
            break;
        }
      }
      if (out.length) yield out;
    }
  }
  const it = records();
  return { status, [Symbol.asyncIterator]: () => it };
}
