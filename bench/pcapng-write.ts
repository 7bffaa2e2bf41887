/**
 * pcapng write benchmark: 1 million records (a realistic mix) through the pcapng sink into a temp
 * file, timed; then `tshark -r same.pcapng -w copy.pcapng` on the same file, timed, in the same run.
 * Prints both times and the ratio (ours must be faster).
 *
 * Mix per SPI transaction: one TxnRecord (both directions, as long as the longer frame), two FrameRecords
 * (one per direction: idle link frames most of the time, Ethernet frames, control and trace
 * messages, a BLE HCI packet now and then), a READY line change every other transaction and an
 * anomaly every 500th. The records are built before the clock starts: the sink is what is timed.
 *
 * Run: node --import tsx bench/pcapng-write.ts [records=1000000]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeRecordsToPcapng } from '../src/pcapng/sink.ts';
import { controlMessage, decodeControl, encodeControl } from '../src/protocol/control.ts';
import { decodeTrace, encodeTrace } from '../src/protocol/trace.ts';
import type { BuddyRecord, Direction, FrameRecord, RecordStream } from '../src/records/types.ts';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const BATCH = 1024;

function rand(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
}
const rnd = rand(42);
function bytes(n: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (rnd() * 256) | 0;
  return b;
}

// A pool of payloads, built once (the bench times writing, not record generation).
const ethFrames = Array.from({ length: 64 }, () => bytes(60 + ((rnd() * 1450) | 0)));
const txnBytes = Array.from({ length: 64 }, () => bytes(1556));
const ctl = encodeControl(controlMessage('heartbeat', 0, { uptime_ms: 12345, state: 'connected', rssi: -50, tx_queue: 1, rx_queue: 0, trace_dropped: 0 }));
const ctlDecoded = decodeControl(ctl);
const trc = encodeTrace({ type: 'event', body: { meta: 3, fields: { message: 'tick', n: 7 } } });
const trcDecoded = decodeTrace(trc);
const hci = Uint8Array.of(0x04, 0x0e, 0x04, 0x01, 0x03, 0x0c, 0x00);

/** Per-direction sequence numbers as the protocol runs them: idle frames carry the next seq without using it. */
const nextSeq = { 'cpu-to-buddy': 0, 'buddy-to-cpu': 0 };
const peer = { 'cpu-to-buddy': 'buddy-to-cpu', 'buddy-to-cpu': 'cpu-to-buddy' } as const;

function frame(t: number, txn: number, dir: Direction): FrameRecord {
  const x = rnd();
  const idle = x < 0.55;
  const seq = nextSeq[dir];
  if (!idle) nextSeq[dir] = (seq + 1) & 0xffff;
  const ack = (nextSeq[peer[dir]] - 1) & 0xffff;
  // Object literals in one key order, as a link stage builds them: records made with object spread
  // end up in many hidden classes and make every consumer's property loads megamorphic (3x slower).
  const endNs = t + 5_000;
  if (idle) return { kind: 'frame', startNs: t, endNs, txn, dir, channel: 0, flags: 4, seq, ack, credit: 8, epoch: 3, payload: new Uint8Array(0) };
  let channel: number;
  let payload: Uint8Array;
  let decoded: FrameRecord['decoded'];
  if (x < 0.85) (channel = 2), (payload = ethFrames[(rnd() * ethFrames.length) | 0]);
  else if (x < 0.93 && ctlDecoded.ok) (channel = 1), (payload = ctl), (decoded = { kind: 'control', msg: ctlDecoded.value });
  else if (x < 0.98 && trcDecoded.ok) (channel = 3), (payload = trc), (decoded = { kind: 'trace', event: trcDecoded.value });
  else (channel = 4), (payload = hci);
  if (decoded) return { kind: 'frame', startNs: t, endNs, txn, dir, channel, flags: 4, seq, ack, credit: 8, epoch: 3, payload, fragments: 1, message: payload, decoded };
  return { kind: 'frame', startNs: t, endNs, txn, dir, channel, flags: 4, seq, ack, credit: 8, epoch: 3, payload, fragments: 1, message: payload };
}

/** Bytes a frame takes on the wire: the CPU clocks the longer of the two frames. */
function wireSize(f: FrameRecord): number {
  return 16 + f.payload.length + (f.payload.length ? 4 : 0);
}

/**
 * Builds a pool of records up front (not timed), cycled by `replay` until TOTAL records have gone
 * through the sink: the bench measures the sink, not record construction, and not the GC cost of
 * holding a million live records (in a real pipeline records stream through and die young).
 */
const POOL = 64 * 1024;
function buildBatches(): BuddyRecord[][] {
  const out: BuddyRecord[][] = [];
  let n = 0;
  let txn = 0;
  let t = 1_000;
  let batch: BuddyRecord[] = [];
  while (n < Math.min(TOTAL, POOL)) {
    const a = frame(t, txn, 'cpu-to-buddy');
    const b = frame(t + 100, txn, 'buddy-to-cpu');
    const len = Math.max(wireSize(a), wireSize(b));
    const src = txnBytes[txn & 63];
    batch.push({ kind: 'txn', startNs: t, endNs: t + 10_000, txn, mosi: src.subarray(0, Math.min(len, src.length)), miso: txnBytes[(txn + 7) & 63].subarray(0, len) });
    batch.push(a, b);
    n += 3;
    if (txn % 2 === 0) (batch.push({ kind: 'line', startNs: t + 10_500, endNs: t + 10_500, line: 'ready', level: ((txn >> 1) & 1) as 0 | 1 }), n++);
    if (txn % 500 === 499) (batch.push({ kind: 'anomaly', startNs: t, endNs: t + 10_000, code: 'payload-crc', detail: 'frame CRC 0x01020304, computed 0x05060708', txn, dir: 'buddy-to-cpu', offset: 16 }), n++);
    txn++;
    t += 20_000;
    if (batch.length >= BATCH) {
      out.push(batch);
      batch = [];
    }
  }
  if (batch.length) out.push(batch);
  return out;
}

async function* replay(batches: BuddyRecord[][]): RecordStream {
  let left = TOTAL;
  for (let i = 0; left > 0; i = (i + 1) % batches.length) {
    const b = batches[i];
    yield b.length <= left ? b : b.slice(0, left);
    left -= b.length;
  }
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'buddyshark-bench-'));
const file = path.join(dir, 'bench.pcapng');
const copy = path.join(dir, 'copy.pcapng');

const prepared = buildBatches();
const t0 = process.hrtime.bigint();
const counts = await writeRecordsToPcapng(replay(prepared), file);
const oursMs = Number(process.hrtime.bigint() - t0) / 1e6;
const size = fs.statSync(file).size;
console.log(`buddyshark: ${counts.records} records -> ${counts.packets} packets, ${(size / 1e6).toFixed(1)} MB in ${oursMs.toFixed(0)} ms ` +
  `(${((counts.records / oursMs) * 1000 / 1e6).toFixed(2)} M records/s, ${((size / 1e6) / (oursMs / 1000)).toFixed(0)} MB/s)`);
console.log(`  per interface: ${JSON.stringify(counts.byInterface)}`);

const t1 = process.hrtime.bigint();
const ts = spawnSync('tshark', ['-r', file, '-w', copy], { encoding: 'utf8' });
const tsharkMs = Number(process.hrtime.bigint() - t1) / 1e6;
if (ts.error || ts.status !== 0) {
  console.log(`tshark: not run (${ts.error?.message ?? ts.stderr.trim()})`);
} else {
  console.log(`tshark -r same.pcapng -w copy.pcapng: ${tsharkMs.toFixed(0)} ms`);
  console.log(`ratio tshark/buddyshark: ${(tsharkMs / oursMs).toFixed(2)}x ${oursMs < tsharkMs ? '(ours faster)' : '(OURS SLOWER)'}`);
}
fs.rmSync(dir, { recursive: true, force: true });
