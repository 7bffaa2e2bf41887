/**
 * A small capture for the viewer's tests, built with the protocol encoders and run through the
 * real link decoder: control requests and their replies, an ethernet frame, a trace event, idle
 * frames, READY line events and a MISO header-CRC fault.
 */
import { encodeControl, controlMessage } from '../../src/protocol/control.ts';
import { encodeFrame, type FrameInit } from '../../src/protocol/frame.ts';
import { LinkDecoder } from '../../src/link/buddy/decoder.ts';
import type { BuddyRecord, LineRecord, TxnRecord } from '../../src/records/types.ts';
import { RecordIndex } from '../../src/tui/record-index.ts';

const CPU: FrameInit = { channel: 0, flags: 0, seq: 0, ack: 0, credit: 8, epoch: 42 };
const BUDDY: FrameInit = { channel: 0, flags: 0, seq: 0, ack: 0, credit: 8, epoch: 42 };

function pad(b: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(n);
  out.set(b);
  return out;
}

/** Transaction k starts at k * 100 µs and lasts 10 µs. */
export function txn(k: number, mosi: Uint8Array, miso: Uint8Array): TxnRecord {
  const n = Math.max(mosi.length, miso.length);
  return { kind: 'txn', startNs: k * 100_000, endNs: k * 100_000 + 10_000, txn: k, mosi: pad(mosi, n), miso: pad(miso, n) };
}

export function line(tNs: number, level: 0 | 1): LineRecord {
  return { kind: 'line', line: 'ready', level, startNs: tNs, endNs: tNs };
}

/** The transaction stream: what a sniffer would hand the link stage; `repeats` > 1 repeats the
 * exchange every 4.1 ms with sequence numbers and request ids carrying on (for make-sample.ts). */
export function sampleTxns(repeats = 1): BuddyRecord[] {
  let cpuSeq = 0;
  let buddySeq = 0;
  const cpu = (channel: number, payload?: Uint8Array) => {
    const f = encodeFrame({ ...CPU, channel, seq: payload ? cpuSeq++ : cpuSeq }, payload);
    return f;
  };
  const buddy = (channel: number, payload?: Uint8Array) => encodeFrame({ ...BUDDY, channel, seq: payload ? buddySeq++ : buddySeq }, payload);
  const out: BuddyRecord[] = [];
  for (let rep = 0; rep < repeats; rep++) {
    const id = 7 + rep * 2;
    const k0 = rep * 41;
    const hello = encodeControl(controlMessage('hello', id, { protocol: 1, epoch: 42, max_frame: 1536, credit: 8, trace_level: null }));
    const ok = encodeControl(controlMessage('ok', id, {}));
    const getStatus = encodeControl(controlMessage('get_status', id + 1, {}));
    const status = encodeControl(controlMessage('status', id + 1, {
      state: 'connected', mac: new Uint8Array([2, 0, 0, 0, 0, 1]), uptime_ms: 1000,
      tx_frames: 1, rx_frames: 2, tx_dropped: 0, rx_dropped: 0, trace_dropped: 0,
    }));
    const eth = new Uint8Array(60);
    eth.set([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0, 0, 0, 1, 0x08, 0x06]);
    const broken = buddy(0);
    broken[13] ^= 0xff; // header CRC no longer matches
    out.push(line(k0 * 100_000 + 50_000, 1));
    out.push(txn(k0 + 1, cpu(1, hello), buddy(0)));
    out.push(txn(k0 + 2, cpu(0), buddy(1, ok)));
    out.push(line(k0 * 100_000 + 250_000, 0));
    out.push(txn(k0 + 3, cpu(1, getStatus), buddy(0)));
    out.push(txn(k0 + 4, cpu(0), buddy(1, status)));
    out.push(txn(k0 + 5, cpu(2, eth), buddy(0)));
    out.push(txn(k0 + 6, cpu(0), broken));
    for (let k = 7; k < 40; k++) out.push(txn(k0 + k, cpu(0), buddy(0)));
    out.push(txn(k0 + 40, cpu(2, eth), buddy(0)));
  }
  return out;
}

export function sampleRecords(): BuddyRecord[] {
  const link = new LinkDecoder();
  return [...link.push(sampleTxns()), ...link.finish()];
}

export function sampleIndex(records: BuddyRecord[] = sampleRecords()): RecordIndex {
  const index = new RecordIndex('sample.ndjson');
  index.append(records);
  index.done = true;
  return index;
}

/** Lets Ink re-render after stdin input. */
export const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 10));

interface Rendered {
  readonly frames: string[];
  readonly stdin: { write(data: string): void };
}

/**
 * Types keys one at a time, each time waiting for Ink to draw the next frame (Ink throttles frames,
 * so a fixed delay is either slow or flaky). Keys that change nothing time out after `idleMs`.
 */
export async function press(r: Rendered, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    const before = r.frames.length;
    r.stdin.write(k);
    const started = Date.now();
    while (r.frames.length === before && Date.now() - started < 1000) await new Promise((resolve) => setTimeout(resolve, 2));
    await tick();
  }
}

export const KEYS = {
  up: '\u001B[A', down: '\u001B[B', pageDown: '\u001B[6~', pageUp: '\u001B[5~', home: '\u001B[H', end: '\u001B[F',
  enter: '\r', escape: '\u001B', tab: '\t', backspace: '\u007F',
} as const;
