/** Builds transaction records from frames for link-stage tests. */
import { Flag } from '../../src/protocol/constants.ts';
import { encodeFrame, type FrameInit } from '../../src/protocol/frame.ts';
import type { TxnRecord } from '../../src/records/types.ts';

export const IDLE_CPU: FrameInit = { channel: 0, flags: 0, seq: 0, ack: 0, credit: 255, epoch: 0 };
export const IDLE_BUDDY: FrameInit = { channel: 0, flags: 0, seq: 0, ack: 0, credit: 8, epoch: 42 };

export function frame(init: Partial<FrameInit>, payload?: Uint8Array, base: FrameInit = IDLE_CPU): Uint8Array {
  return encodeFrame({ ...base, ...init }, payload);
}

/** A transaction as the CPU clocks it: both frames, the shorter padded with zeros. */
export function txn(index: number, mosi: Uint8Array, miso: Uint8Array): TxnRecord {
  const n = Math.max(mosi.length, miso.length);
  const pad = (b: Uint8Array): Uint8Array => {
    const out = new Uint8Array(n);
    out.set(b);
    return out;
  };
  return { kind: 'txn', startNs: index * 100_000, endNs: index * 100_000 + 10_000, txn: index, mosi: pad(mosi), miso: pad(miso) };
}

export const ACK = Flag.ackValid;
