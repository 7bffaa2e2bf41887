/**
 * Test fixtures for the pcapng layer, built by hand (not with the code under test): a real ARP
 * request and ICMP echo request as Ethernet frames, one record of every kind, and fast-check
 * arbitraries producing random records of every kind.
 */
import fc from 'fast-check';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { encodeControl, controlMessage, decodeControl } from '../../src/protocol/control.ts';
import { decodeTrace, encodeTrace } from '../../src/protocol/trace.ts';
import { ANOMALY_CODES, type AnomalyRecord, type BuddyRecord, type FrameRecord, type LineRecord, type TxnRecord } from '../../src/records/types.ts';

export const HOST_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
export const BUDDY_MAC = [0x02, 0x00, 0x00, 0x00, 0x00, 0x02];

/** ARP request: who has 192.168.4.1? tell 192.168.4.2 (RFC 826 layout). */
export function arpRequest(): Uint8Array {
  return Uint8Array.from([
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...HOST_MAC, 0x08, 0x06, // Ethernet: broadcast, ARP
    0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, // htype 1, ptype IPv4, hlen, plen, op request
    ...HOST_MAC, 192, 168, 4, 2, // sender
    0, 0, 0, 0, 0, 0, 192, 168, 4, 1, // target
  ]);
}

function ones16(bytes: number[]): number {
  let sum = 0;
  for (let i = 0; i < bytes.length; i += 2) sum += (bytes[i] << 8) | (bytes[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** ICMP echo request 192.168.4.2 -> 192.168.4.1, id 0x1234 seq 1, 8 bytes of data, valid checksums. */
export function icmpEcho(): Uint8Array {
  const icmp = [8, 0, 0, 0, 0x12, 0x34, 0x00, 0x01, ...Array.from('buddyping', (c) => c.charCodeAt(0)).slice(0, 8)];
  const ic = ones16(icmp);
  icmp[2] = ic >> 8;
  icmp[3] = ic & 0xff;
  const total = 20 + icmp.length;
  const ip = [0x45, 0, total >> 8, total & 0xff, 0, 1, 0x40, 0, 64, 1, 0, 0, 192, 168, 4, 2, 192, 168, 4, 1];
  const c = ones16(ip);
  ip[10] = c >> 8;
  ip[11] = c & 0xff;
  return Uint8Array.from([...BUDDY_MAC, ...HOST_MAC, 0x08, 0x00, ...ip, ...icmp]);
}

/** HCI Reset command as H4 bytes (type 1, opcode 0x0c03, length 0). */
export const HCI_RESET = Uint8Array.of(0x01, 0x03, 0x0c, 0x00);

const frameBase = { kind: 'frame', flags: 4, credit: 8, epoch: 7 } as const;

/** One record of every kind and every frame route (eth, ble, link: control, trace, idle, fragment). */
export function sampleRecords(): BuddyRecord[] {
  const hello = encodeControl(controlMessage('hello', 1, { protocol: 1, epoch: 0, max_frame: 1536, credit: 8, trace_level: null }));
  const helloDecoded = decodeControl(hello);
  const trace = encodeTrace({ type: 'heartbeat', body: { max_level: 2 } });
  const traceDecoded = decodeTrace(trace);
  if (!helloDecoded.ok || !traceDecoded.ok) throw new Error('fixture encode failed');
  const arp = arpRequest();
  const ping = icmpEcho();
  const recs: BuddyRecord[] = [
    { kind: 'line', startNs: 100, endNs: 100, line: 'reset', level: 1 },
    { kind: 'txn', startNs: 1_000, endNs: 9_000, txn: 0, mosi: Uint8Array.of(0xb5, 1, 2, 3), miso: Uint8Array.of(0xff, 0, 0, 0) },
    { ...frameBase, startNs: 1_000, endNs: 3_000, txn: 0, dir: 'cpu-to-buddy', channel: 1, seq: 0, ack: 0, payload: hello, fragments: 1, message: hello, decoded: { kind: 'control', msg: helloDecoded.value } },
    { ...frameBase, startNs: 2_000, endNs: 3_000, txn: 0, dir: 'buddy-to-cpu', channel: 0, seq: 5, ack: 0, payload: new Uint8Array(0) },
    { ...frameBase, startNs: 10_000, endNs: 20_000, txn: 1, dir: 'cpu-to-buddy', channel: 2, seq: 1, ack: 5, payload: arp, fragments: 1, message: arp },
    { ...frameBase, startNs: 21_000.5, endNs: 30_000.25, txn: 2, dir: 'buddy-to-cpu', channel: 2, seq: 6, ack: 1, payload: ping },
    { ...frameBase, startNs: 31_000, endNs: 32_000, txn: 3, dir: 'buddy-to-cpu', channel: 3, seq: 7, ack: 1, payload: trace, fragments: 1, message: trace, decoded: { kind: 'trace', event: traceDecoded.value } },
    { ...frameBase, startNs: 33_000, endNs: 34_000, txn: 4, dir: 'cpu-to-buddy', channel: 4, seq: 2, ack: 7, payload: HCI_RESET, fragments: 1, message: HCI_RESET },
    { ...frameBase, startNs: 35_000, endNs: 36_000, txn: 5, dir: 'buddy-to-cpu', channel: 1, flags: 5, seq: 8, ack: 2, payload: hello.subarray(0, 4) },
    { ...frameBase, startNs: 36_000, endNs: 37_000, txn: 6, dir: 'buddy-to-cpu', channel: 1, seq: 9, ack: 2, payload: hello.subarray(4), fragments: 2, message: hello },
    { kind: 'txn', startNs: 38_000, endNs: 39_000, txn: 7, mosi: Uint8Array.of(1, 2), miso: Uint8Array.of(3, 4, 5), partialBits: 3 },
    { kind: 'anomaly', startNs: 40_000, endNs: 41_000, code: 'payload-crc', detail: 'frame CRC 0x12345678, computed 0x9abcdef0', txn: 12, dir: 'buddy-to-cpu', offset: 40 },
    { kind: 'anomaly', startNs: 42_000, endNs: 42_000, code: 'lost-frames', detail: 'seq jumped from 3 to 6', count: 2 },
    { kind: 'line', startNs: 43_000, endNs: 43_000, line: 'irq', level: 0 },
  ];
  return recs;
}

// ---- fast-check arbitraries ----

const time = fc.oneof(fc.nat({ max: 2 ** 40 }), fc.double({ min: -1e6, max: 1e15, noNaN: true }));
const dir = fc.constantFrom('cpu-to-buddy' as const, 'buddy-to-cpu' as const);
const u8 = fc.nat({ max: 0xff });
const u16 = fc.nat({ max: 0xffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max });

export const txnRecord: fc.Arbitrary<TxnRecord> = fc.record(
  {
    kind: fc.constant('txn' as const), startNs: time, endNs: time, txn: fc.nat(), mosi: bytes(64), miso: bytes(64), partialBits: fc.nat({ max: 255 }),
    wordBits: fc.integer({ min: 1, max: 256 }).filter((w) => w !== 8),
  },
  { requiredKeys: ['kind', 'startNs', 'endNs', 'txn', 'mosi', 'miso'] },
);

export const lineRecord: fc.Arbitrary<LineRecord> = fc.record({
  kind: fc.constant('line' as const), startNs: time, endNs: time,
  line: fc.constantFrom('ready' as const, 'irq' as const, 'reset' as const, 'cs' as const), level: fc.constantFrom(0 as const, 1 as const),
});

export const anomalyRecord: fc.Arbitrary<AnomalyRecord> = fc.record(
  {
    kind: fc.constant('anomaly' as const), startNs: time, endNs: time, code: fc.constantFrom(...ANOMALY_CODES),
    detail: fc.string({ maxLength: 80, unit: 'grapheme' }), txn: fc.nat(), dir, offset: fc.nat({ max: 0xffffffff }), count: fc.nat({ max: 0xffffffff }),
  },
  { requiredKeys: ['kind', 'startNs', 'endNs', 'code', 'detail'] },
);

/** Frames on any channel, flags without reserved bits, optional fragments/message; `decoded` when the message decodes. */
export const frameRecord: fc.Arbitrary<FrameRecord> = fc
  .record(
    {
      startNs: time, endNs: time, txn: fc.nat(), dir, channel: fc.oneof(fc.constantFrom(0, 1, 2, 3, 4), u8),
      flags: fc.nat({ max: 7 }), seq: u16, ack: u16, credit: u8, epoch: u8, payload: bytes(200),
      fragments: fc.option(fc.integer({ min: 1, max: 20 }), { nil: undefined }),
      messageKind: fc.constantFrom('none', 'payload', 'other', 'control', 'trace'),
      other: bytes(300),
    },
  )
  .map((f) => {
    const r: { -readonly [K in keyof FrameRecord]: FrameRecord[K] } = {
      kind: 'frame', startNs: f.startNs, endNs: f.endNs, txn: f.txn, dir: f.dir, channel: f.channel, flags: f.flags,
      seq: f.seq, ack: f.ack, credit: f.credit, epoch: f.epoch, payload: f.payload,
    };
    if (f.fragments !== undefined) r.fragments = f.fragments;
    if (f.messageKind === 'payload') r.message = f.payload;
    if (f.messageKind === 'other') r.message = f.other;
    if (f.messageKind === 'control') {
      const m = encodeControl(controlMessage('echo', f.seq, { data: f.other }));
      const d = decodeControl(m);
      r.message = m;
      if (d.ok) r.decoded = { kind: 'control', msg: d.value };
    }
    if (f.messageKind === 'trace') {
      const m = encodeTrace({ type: 'enter', body: { id: f.seq + 1 } });
      const d = decodeTrace(m);
      r.message = m;
      if (d.ok) r.decoded = { kind: 'trace', event: d.value };
    }
    return r;
  });

export const anyRecord: fc.Arbitrary<BuddyRecord> = fc.oneof(frameRecord, txnRecord, lineRecord, anomalyRecord);

// ---- helpers ----

export function tmpDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'buddyshark-pcapng-'));
}

export const HAS_TSHARK = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
export const TSHARK_SKIP: { skip: string } | { skip?: undefined } = HAS_TSHARK ? {} : { skip: 'tshark not installed' };

export function tshark(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync('tshark', args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C', TZ: 'UTC' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.split('\n').filter((l) => !/Running as user "root"/.test(l)).join('\n') };
}

export async function* batches<T>(items: readonly T[], size = 4): AsyncGenerator<readonly T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}

/**
 * A comparable form of records: byte arrays become hex strings. (cbor-x caches a `dataView`
 * property on every Uint8Array it decodes, so two equal byte arrays are not always deepStrictEqual.)
 */
export function canon(v: unknown): unknown {
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}`;
  if (Array.isArray(v)) return v.map(canon);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = canon(x);
    return out;
  }
  return v;
}
