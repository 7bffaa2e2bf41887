/**
 * Records -> bridge packets: what a bridge would have sent for a transaction stream (the simulator
 * serving as a bridge uses it; tests use it to build streams).
 *
 *   TxnRecord               -> TXN (seq = the record's index, partial flag from partialBits)
 *   LineRecord              -> LINE
 *   AnomalyRecord cs-glitch -> TXN with no bytes (seq = the next transaction's index)
 *   anything else           -> nothing (frames are the reader's job; other anomalies are a
 *                              decoder's findings, not wire events)
 * Times are converted at `clockHz` (default 1 GHz: integer ns survive exactly).
 *
 * Example: recordsToPackets([{ kind: 'line', startNs: 5, endNs: 5, line: 'irq', level: 1 }])
 *   -> [{ type: 'line', ticks: 5, line: 'irq', level: 1 }]
 */
import type { BuddyRecord } from '../records/types.ts';
import { Capability, TxnFlag, type BridgePacket, type HelloPacket, BRIDGE_FORMAT_VERSION } from './packets.ts';
import { nsToTicks } from './ticks.ts';

export const SIM_CLOCK_HZ = 1_000_000_000;

/** What the simulator reports: lines, CS glitches, MISO, overflow reports. */
export const SIM_CAPABILITIES = Capability.lines | Capability.csGlitch | Capability.miso | Capability.keepalive | Capability.dropReports;

export function simHello(name: string, bootId: number, nowNs: number): HelloPacket {
  return {
    type: 'hello', version: BRIDGE_FORMAT_VERSION, capabilities: SIM_CAPABILITIES, clockHz: SIM_CLOCK_HZ, bootId,
    originTicks: 0, nowTicks: Math.max(0, Math.round(nowNs)), name,
  };
}

export class RecordPacketEncoder {
  private nextSeq = 0;
  constructor(private readonly clockHz = SIM_CLOCK_HZ) {}

  /** Appends the packets for `records` to `out`; returns how many records became packets. */
  encode(records: readonly BuddyRecord[], out: BridgePacket[]): number {
    const hz = this.clockHz;
    let n = 0;
    for (const r of records) {
      switch (r.kind) {
        case 'txn':
          out.push({
            type: 'txn', seq: r.txn >>> 0, startTicks: nsToTicks(r.startNs, hz), endTicks: nsToTicks(r.endNs, hz),
            flags: r.partialBits ? TxnFlag.partial : 0, partialBits: r.partialBits ?? 0, mosi: r.mosi, miso: r.miso,
          });
          this.nextSeq = r.txn + 1;
          n++;
          break;
        case 'line':
          out.push({ type: 'line', ticks: nsToTicks(r.startNs, hz), line: r.line, level: r.level });
          n++;
          break;
        case 'anomaly':
          if (r.code !== 'cs-glitch') break;
          out.push({
            type: 'txn', seq: this.nextSeq >>> 0, startTicks: nsToTicks(r.startNs, hz), endTicks: nsToTicks(r.endNs, hz),
            flags: 0, partialBits: 0, mosi: EMPTY, miso: EMPTY,
          });
          n++;
          break;
        case 'frame':
          break;
      }
    }
    return n;
  }
}

const EMPTY = new Uint8Array(0);
