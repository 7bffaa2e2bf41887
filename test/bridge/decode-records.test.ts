/**
 * Bridge packets -> records: the time base (ticks at any clock rate, exact at 1 GHz), what each
 * packet becomes, and the stream faults a live reader must survive: garbage, a bridge that resets
 * (new HELLO mid-stream), a reconnect with and without a restarted clock, packets before any HELLO,
 * a clock that jumps back. Time never goes backwards, and each fault is one anomaly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BridgeDecoder } from '../../src/bridge/decode-records.ts';
import { encodeFrames, FrameReader } from '../../src/bridge/framing.ts';
import { cobsEncode } from '../../src/bridge/cobs.ts';
import { encodePacketInto, packetSize, type BridgePacket, type HelloPacket } from '../../src/bridge/packets.ts';
import { ticksToNs } from '../../src/bridge/ticks.ts';
import type { AnomalyRecord, BuddyRecord } from '../../src/records/types.ts';

function hello(over: Partial<HelloPacket> = {}): HelloPacket {
  return { type: 'hello', version: 1, capabilities: 3, clockHz: 1e9, bootId: 7, originTicks: 0, nowTicks: 0, name: 'test', ...over };
}

function txn(seq: number, start: number, end: number, n = 2): BridgePacket {
  return { type: 'txn', seq, startTicks: start, endTicks: end, flags: 0, partialBits: 0, mosi: new Uint8Array(n).fill(0xa5), miso: new Uint8Array(n).fill(0x5a) };
}

/** A decoder fed through real framing, with a controllable wall clock. */
function rig() {
  let wall = 1_000_000;
  const frames = new FrameReader();
  const dec = new BridgeDecoder({ wallNow: () => wall });
  return {
    dec,
    advanceWall: (ms: number) => {
      wall += ms;
    },
    send: (ps: BridgePacket[]): BuddyRecord[] => dec.push(frames.push(encodeFrames(ps))),
    bytes: (b: Uint8Array): BuddyRecord[] => dec.push(frames.push(b)),
    drop: (): BuddyRecord[] => {
      const r = dec.push(frames.reset());
      dec.disconnected();
      return r;
    },
  };
}

function starts(rs: readonly BuddyRecord[]): number[] {
  return rs.map((r) => r.startNs);
}

function anomalies(rs: readonly BuddyRecord[]): AnomalyRecord[] {
  return rs.filter((r): r is AnomalyRecord => r.kind === 'anomaly');
}

describe('ticks to ns', () => {
  it('is exact at 1 GHz and rounds to the nearest ns at other rates, even past 2^53 / 1e9 ticks', () => {
    assert.equal(ticksToNs(123_456_789_012, 1e9), 123_456_789_012);
    assert.equal(ticksToNs(3, 48e6), 63);
    assert.equal(ticksToNs(125_000_000 * 3600 + 1, 125e6), 3600e9 + 8);
    assert.equal(ticksToNs(2 ** 52, 200e6), 2 ** 52 * 5);
  });
});

describe('BridgeDecoder', () => {
  it('turns TXN, LINE, zero-byte TXN and DROP into records, times from the HELLO origin', () => {
    const r = rig();
    const out = r.send([
      hello({ clockHz: 125e6, originTicks: 1000, nowTicks: 1000 }),
      txn(0, 1125, 1250),
      { type: 'line', ticks: 1300, line: 'irq', level: 1 },
      txn(1, 1400, 1400, 0),
      txn(1, 1500, 1600),
      { type: 'drop', startTicks: 1700, endTicks: 1800, count: 12 },
    ]);
    assert.deepEqual(out.map((x) => x.kind), ['txn', 'line', 'anomaly', 'txn', 'anomaly']);
    assert.deepEqual(starts(out), [1000, 2400, 3200, 4000, 5600]);
    assert.ok(out[0].kind === 'txn' && out[0].txn === 0 && out[0].endNs === 2000 && out[0].mosi[0] === 0xa5 && out[0].miso[0] === 0x5a);
    assert.ok(out[2].kind === 'anomaly' && out[2].code === 'cs-glitch');
    assert.ok(out[3].kind === 'txn' && out[3].txn === 1);
    assert.ok(out[4].kind === 'anomaly' && out[4].code === 'capture-gap' && out[4].count === 12 && out[4].endNs === 6400);
    assert.equal(r.dec.gaps, 1);
  });

  it('drops packets that come before any HELLO, with one anomaly, then starts at the HELLO', () => {
    const r = rig();
    assert.deepEqual(r.send([txn(0, 5, 6), txn(1, 7, 8)]), []);
    const out = r.send([hello(), txn(2, 10, 20)]);
    assert.equal(anomalies(out).length, 1);
    assert.match(anomalies(out)[0].detail, /2 packets arrived before the bridge's HELLO/);
    assert.ok(out[1].kind === 'txn' && out[1].txn === 0 && out[1].startNs === 10);
  });

  it('records a garbage run once and keeps going', () => {
    const r = rig();
    r.send([hello(), txn(0, 100, 200)]);
    const out = r.bytes(Buffer.concat([Buffer.from('noise\0more noise\0\x01\x02\x03\0'), encodeFrames([txn(1, 300, 400)])]));
    assert.deepEqual(out.map((x) => (x.kind === 'anomaly' ? x.code : x.kind)), ['stream-resync', 'txn']);
    assert.match(anomalies(out)[0].detail, /skipped 21 bytes/);
    assert.ok(out[0].startNs <= out[1].startNs);
  });

  it('records a burst of packets with a bad CRC once: count, stream byte offset, at the time reached', () => {
    const r = rig();
    const head = encodeFrames([hello(), txn(0, 100, 200)]);
    r.bytes(head);
    const damaged = (p: BridgePacket): Buffer => {
      const b = new Uint8Array(packetSize(p));
      encodePacketInto(p, b);
      b[b.length - 1] ^= 0xff; // the CRC itself damaged
      return Buffer.concat([cobsEncode(b), Uint8Array.of(0)]);
    };
    const bad = Buffer.concat([damaged(txn(1, 300, 400)), damaged(txn(2, 500, 600)), damaged(txn(3, 700, 800))]);
    const out = r.bytes(Buffer.concat([bad, encodeFrames([txn(4, 900, 1000)])]));
    assert.deepEqual(out.map((x) => (x.kind === 'anomaly' ? x.code : x.kind)), ['bad-packets', 'txn']);
    const a = anomalies(out)[0];
    assert.equal(a.count, 3);
    assert.equal(a.offset, head.length);
    assert.equal(a.startNs, 100, 'at the last time the stream reached');
    assert.match(a.detail, new RegExp(`^3 bridge packets with a bad CRC-32C dropped \\(damaged in transit\\): ${bad.length} bytes from stream byte ${head.length}; first: CRC 0x`));
  });

  it('continues time across a bridge reset (new HELLO, clock restarted) and records it', () => {
    const r = rig();
    const a = r.send([hello({ bootId: 1 }), txn(0, 1000, 5000), txn(1, 6000, 9000)]);
    const b = r.send([hello({ bootId: 2, nowTicks: 50 }), txn(0, 100, 200), { type: 'line', ticks: 300, line: 'ready', level: 1 }]);
    assert.deepEqual(b.map((x) => (x.kind === 'anomaly' ? x.code : x.kind)), ['bridge-reset', 'txn', 'line']);
    assert.equal(b[0].startNs, 9000);
    assert.deepEqual(starts(b.slice(1)), [9050, 9250]);
    assert.ok(b[1].kind === 'txn' && b[1].txn === 2, 'transaction indices keep increasing');
    const all = [...a, ...b];
    for (let i = 1; i < all.length; i++) assert.ok(all[i].startNs >= all[i - 1].startNs, `time order at ${i}`);
  });

  it('treats a repeated HELLO from the same boot as nothing new', () => {
    const r = rig();
    r.send([hello(), txn(0, 10, 20)]);
    const out = r.send([hello({ nowTicks: 30 }), txn(1, 40, 50)]);
    assert.deepEqual(out.map((x) => x.kind), ['txn']);
    assert.equal(out[0].startNs, 40);
  });

  it('spans a reconnect with a capture-gap measured in ticks when the clock kept counting', () => {
    const r = rig();
    r.send([hello(), txn(0, 10, 2000)]);
    r.drop();
    r.advanceWall(300);
    // Packets of the new connection before its HELLO cannot be trusted (the bridge may have reset).
    assert.deepEqual(r.send([txn(1, 3000, 3100)]), []);
    const out = r.send([hello({ nowTicks: 5_000_000 }), txn(5, 5_000_100, 5_000_200)]);
    assert.deepEqual(out.map((x) => (x.kind === 'anomaly' ? x.code : x.kind)), ['stream-resync', 'capture-gap', 'txn']);
    const gap = anomalies(out)[1];
    assert.equal(gap.startNs, 2000);
    assert.equal(gap.endNs, 5_000_000);
    assert.match(gap.detail, /reconnected after 300 ms; the bridge's clock kept counting/);
    assert.ok(out[2].kind === 'txn' && out[2].txn === 5 && out[2].startNs === 5_000_100, 'bridge counter shows the lost transactions');
  });

  it('spans a reconnect to a restarted bridge with the wall-clock outage', () => {
    const r = rig();
    r.send([hello({ bootId: 1 }), txn(0, 10, 2000)]);
    r.drop();
    r.advanceWall(1500);
    const out = r.send([hello({ bootId: 99, nowTicks: 40 }), txn(0, 50, 60)]);
    assert.deepEqual(out.map((x) => (x.kind === 'anomaly' ? x.code : x.kind)), ['capture-gap', 'bridge-reset', 'txn']);
    assert.equal(out[0].startNs, 2000);
    assert.equal(out[0].endNs, 2000 + 1500e6);
    assert.equal(out[2].startNs, 2000 + 1500e6 + 10);
  });

  it('never lets time go backwards when a bridge timestamp jumps back', () => {
    const r = rig();
    r.send([hello(), txn(0, 10_000, 11_000)]);
    const out = r.send([txn(1, 4000, 4500), txn(2, 5000, 5200)]);
    assert.deepEqual(out.map((x) => (x.kind === 'anomaly' ? x.code : x.kind)), ['bridge-reset', 'txn', 'txn']);
    assert.deepEqual(starts(out), [10_000, 10_000, 11_000]);
  });

  it('flags a transaction the bridge could not hold whole', () => {
    const r = rig();
    const out = r.send([hello(), { ...txn(0, 10, 20, 4), flags: 2 } as BridgePacket]);
    assert.deepEqual(out.map((x) => (x.kind === 'anomaly' ? x.code : x.kind)), ['txn', 'capture-gap']);
    assert.ok(out[1].kind === 'anomaly' && out[1].txn === 0 && /kept only the first 4 bytes/.test(out[1].detail));
  });
});
