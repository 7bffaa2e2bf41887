/**
 * A capinfos-like summary of a pcapng, for `buddyshark info`. `PcapngSummarizer` is pure: feed it
 * the blocks of `readPcapng` one by one and ask for `result()`, a plain JSON-able object (the CLI
 * prints it or `--json`s it). `summarizePcapng(path)` streams a file through it.
 *
 * Counts: packets and bytes per interface, records per kind, frames per channel name and per
 * direction, anomalies by code, time span (ns from capture start, from buddyshark records; raw
 * timestamps for foreign packets), packets that did not decode, unknown blocks, truncation.
 * A structurally broken file still throws SourceError (from the reader).
 *
 * Example:
 *   await summarizePcapng('cap.pcapng')
 *   // { sections: 1, packets: 14, records: { frame: 8, ... }, channels: { control: 3, ... },
 *   //   anomalies: { 'payload-crc': 1 }, firstNs: 100, lastNs: 43000, durationNs: 42900, truncated: false, ... }
 */
import { channelOf } from '../records/summary.ts';
import type { Readable } from 'node:stream';
import { channelName } from '../protocol/constants.ts';
import type { RecordKind } from '../records/types.ts';
import { interfaceKeyOf, type InterfaceKey } from './interfaces.ts';
import { packetStartNs, packetToRecord } from './packet-records.ts';
import { readPcapngBatches, type IdbBlock, type PcapngBlock, type ReadOptions } from './reader.ts';

export interface InterfaceSummary {
  section: number;
  id: number;
  name: string | null;
  linkType: number;
  description: string | null;
  /** buddyshark's interface key, or null for a foreign interface. */
  buddy: InterfaceKey | null;
  packets: number;
  bytes: number;
}

export interface PcapngSummary {
  sections: number;
  userappl: string | null;
  interfaces: InterfaceSummary[];
  packets: number;
  records: Partial<Record<RecordKind, number>> & Record<'txn' | 'line' | 'frame' | 'anomaly', number>;
  /** Frame records per channel name (link, control, ethernet, trace, bleHci, reserved-N). */
  channels: Record<string, number>;
  directions: { 'cpu-to-buddy': number; 'buddy-to-cpu': number };
  anomalies: Record<string, number>;
  firstNs: number | null;
  lastNs: number | null;
  durationNs: number | null;
  /** Packets on buddyshark interfaces whose bytes did not decode. */
  badPackets: number;
  /** Packets on foreign interfaces, and simple packet blocks. */
  foreignPackets: number;
  unknownBlocks: number;
  truncated: boolean;
  truncatedAt: number | null;
}

export class PcapngSummarizer {
  private readonly s: PcapngSummary = {
    sections: 0, userappl: null, interfaces: [], packets: 0,
    records: { txn: 0, line: 0, frame: 0, anomaly: 0 }, channels: {}, directions: { 'cpu-to-buddy': 0, 'buddy-to-cpu': 0 },
    anomalies: {}, firstNs: null, lastNs: null, durationNs: null, badPackets: 0, foreignPackets: 0, unknownBlocks: 0,
    truncated: false, truncatedAt: null,
  };
  private readonly ifaces = new Map<IdbBlock, InterfaceSummary>();

  add(b: PcapngBlock): void {
    const s = this.s;
    switch (b.type) {
      case 'shb':
        s.sections++;
        if (s.userappl === null && b.userappl !== undefined) s.userappl = b.userappl;
        break;
      case 'idb': {
        const i: InterfaceSummary = {
          section: s.sections - 1, id: b.interfaceId, name: b.name ?? null, linkType: b.linkType,
          description: b.description ?? null, buddy: interfaceKeyOf(b) ?? null, packets: 0, bytes: 0,
        };
        this.ifaces.set(b, i);
        s.interfaces.push(i);
        break;
      }
      case 'spb':
      case 'epb': {
        s.packets++;
        const i = this.ifaces.get(b.iface);
        if (i) (i.packets++, (i.bytes += b.data.length));
        if (b.type === 'spb' || !i?.buddy) {
          s.foreignPackets++;
          if (b.type === 'epb') this.span(packetStartNs(b), packetStartNs(b));
          break;
        }
        const r = packetToRecord(i.buddy, b);
        if (!r.ok) {
          s.badPackets++;
          break;
        }
        const rec = r.record;
        // Another link protocol's records are counted once there are any (a buddy file shows no `link`).
        s.records[rec.kind] = (s.records[rec.kind] ?? 0) + 1;
        this.span(rec.startNs, rec.endNs);
        if (rec.kind === 'frame' || rec.kind === 'link') {
          const name = rec.kind === 'frame' ? channelName(rec.channel) : channelOf(rec);
          if (name !== null) s.channels[name] = (s.channels[name] ?? 0) + 1;
          s.directions[rec.dir]++;
        } else if (rec.kind === 'anomaly') {
          s.anomalies[rec.code] = (s.anomalies[rec.code] ?? 0) + 1;
        }
        break;
      }
      case 'unknown':
        s.unknownBlocks++;
        break;
      case 'truncated':
        s.truncated = true;
        s.truncatedAt = b.offset;
        break;
    }
  }

  private span(start: number, end: number): void {
    const s = this.s;
    if (s.firstNs === null || start < s.firstNs) s.firstNs = start;
    const last = Math.max(start, end);
    if (s.lastNs === null || last > s.lastNs) s.lastNs = last;
  }

  result(): PcapngSummary {
    const s = this.s;
    return { ...s, durationNs: s.firstNs === null || s.lastNs === null ? null : s.lastNs - s.firstNs };
  }
}

export async function summarizePcapng(input: string | Readable, opts: ReadOptions = {}): Promise<PcapngSummary> {
  const sum = new PcapngSummarizer();
  for await (const batch of readPcapngBatches(input, opts)) for (const b of batch) sum.add(b);
  return sum.result();
}
