/**
 * Builds link captures by hand for the Wireshark tests: both ends' frames as they cross the bus,
 * one frame each way per transaction, with per-side sequence numbers and epochs, fragmented
 * messages (fragment() and fragmentFlags() from src/protocol) and faults: frames lost or corrupt in
 * the header or the payload, cut short, resets, stale epochs, sender mistakes. The transactions go
 * through the real LinkDecoder, so the records a test writes to pcapng, and checks Wireshark
 * against, are exactly what `buddyshark decode` makes of the same bus traffic.
 */
import { Channel, Flag, MAX_MESSAGE } from '../../src/protocol/constants.ts';
import { fragment, fragmentFlags } from '../../src/protocol/fragment.ts';
import { encodeFrame } from '../../src/protocol/frame.ts';
import { decodeLink } from '../../src/link/stream.ts';
import { createLinkStage } from '../../src/link/select.ts';
import type { AnomalyRecord, BuddyRecord, TxnRecord } from '../../src/records/types.ts';
import { collect } from '../cli/helpers.ts';

export interface WireFrame {
  channel: number;
  flags: number;
  seq: number;
  epoch: number;
  payload: Uint8Array;
}

/** One end of the link: its next sequence number, its epoch, and the frames it has queued. */
export class Side {
  seq = 0;
  queue: WireFrame[] = [];

  constructor(public epoch: number, readonly credit: number) {}

  /** A frame that consumes the next sequence number. */
  frame(channel: number, payload: Uint8Array, flags = 0): WireFrame {
    const f = { channel, flags, seq: this.seq, epoch: this.epoch, payload };
    this.seq = (this.seq + 1) % 0x10000;
    return f;
  }

  /**
   * A message split as the protocol says, every fragment taking the next seq. One over MAX_MESSAGE,
   * which fragment() refuses, is cut the same way: a sender breaking the limit.
   */
  message(channel: number, message: Uint8Array, maxPayload: number): WireFrame[] {
    const parts: Uint8Array[] = [];
    if (message.length <= MAX_MESSAGE) parts.push(...fragment(message, maxPayload));
    else for (let at = 0; at < message.length; at += maxPayload) parts.push(message.subarray(at, at + maxPayload));
    return parts.map((p, i) => this.frame(channel, p, fragmentFlags(i, parts.length)));
  }

  send(frames: WireFrame[]): void {
    this.queue.push(...frames);
  }

  /** Bytes for the next transaction: the next queued frame, or an idle frame carrying the next seq. */
  next(mangle?: (bytes: Uint8Array) => Uint8Array): Uint8Array {
    const f = this.queue.shift();
    const bytes = f ? encode(f, this.credit) : encodeFrame({ channel: 0, flags: Flag.ackValid, seq: this.seq, ack: 0, credit: this.credit, epoch: this.epoch });
    return mangle ? mangle(bytes) : bytes;
  }

  get busy(): boolean {
    return this.queue.length > 0;
  }
}

function encode(f: WireFrame, credit: number): Uint8Array {
  return encodeFrame({ channel: f.channel, flags: f.flags | Flag.ackValid, seq: f.seq, ack: 0, credit, epoch: f.epoch }, f.payload);
}

/** A byte flipped after the header: the header CRC holds, the payload CRC fails. */
export function corruptPayload(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  if (out.length > 16) out[16] ^= 0x40;
  return out;
}

/** A byte flipped in the header fields: the header CRC fails, the frame counts for nothing. */
export function corruptHeader(bytes: Uint8Array): Uint8Array {
  const out = bytes.slice();
  out[5] ^= 0x01;
  return out;
}

/** A capture being written: transactions both ways, and records the bridge adds between them. */
export class LinkScript {
  readonly cpu: Side;
  readonly buddy: Side;
  private readonly input: BuddyRecord[] = [];
  private n = 0;

  constructor(buddyEpoch = 42) {
    this.cpu = new Side(0, 255);
    this.buddy = new Side(buddyEpoch, 8);
  }

  /**
   * One transaction: each side's next frame (or idle), each optionally mangled on the wire; `cut`
   * ends the transaction after that many bytes (CS released early: both frames cut short).
   */
  txn(mosi?: (b: Uint8Array) => Uint8Array, miso?: (b: Uint8Array) => Uint8Array, cut?: number): void {
    const a = this.cpu.next(mosi);
    const b = this.buddy.next(miso);
    const len = Math.min(Math.max(a.length, b.length), cut ?? Infinity);
    const pad = (x: Uint8Array): Uint8Array => {
      const out = new Uint8Array(len);
      out.set(x.subarray(0, len));
      return out;
    };
    const startNs = 1_000_000 + this.n * 200_000;
    const t: TxnRecord = { kind: 'txn', startNs, endNs: startNs + 20_000, txn: this.n, mosi: pad(a), miso: pad(b) };
    this.input.push(t);
    this.n++;
  }

  /** Transactions so far: the index the next one gets. */
  get transactions(): number {
    return this.n;
  }

  /** Transactions until both sides have sent everything queued. */
  drain(): void {
    while (this.cpu.busy || this.buddy.busy) this.txn();
  }

  /** The bridge restarted (a new session): the decoder forgets the link state. */
  bridgeReset(): void {
    const at = 1_000_000 + this.n * 200_000 - 100_000;
    const a: AnomalyRecord = { kind: 'anomaly', code: 'bridge-reset', startNs: at, endNs: at, detail: 'bridge session restarted' };
    this.input.push(a);
  }

  /** The buddy rebooted with a new epoch: its sequence numbers start again. */
  buddyReboot(epoch: number, keepQueue = false): void {
    this.buddy.epoch = epoch;
    this.buddy.seq = 0;
    if (!keepQueue) this.buddy.queue = [];
  }

  /** What the link stage makes of the transactions so far. */
  async records(): Promise<BuddyRecord[]> {
    async function* once(input: BuddyRecord[]): AsyncGenerator<BuddyRecord[]> {
      yield input;
    }
    return collect(decodeLink(once(this.input), createLinkStage('buddy')));
  }
}

export { Channel, Flag };
