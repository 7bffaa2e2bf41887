import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeSpi, type DecodeSpiOptions } from '../../src/spi/decode.ts';
import type { ChannelMap, SignalInfo } from '../../src/signals/types.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { DEFAULT_MODE } from '../../src/spi/types.ts';
import { MAP, NO_CS, SignalBuilder, collect, ofKind, split, stream } from './builder.ts';

const CHANNELS = ['CS', 'SCK', 'MOSI', 'MISO', 'READY', 'IRQ', 'RESET'];
const SAMPLED: SignalInfo = { channels: CHANNELS, source: 'hand', samplePeriodNs: 10 }; // glitch filter 30 ns
const UNSAMPLED: SignalInfo = { channels: CHANNELS, source: 'hand' }; // glitch filter 20 ns

async function decode(b: SignalBuilder, info = SAMPLED, map: ChannelMap = MAP, opts: DecodeSpiOptions = {}): Promise<BuddyRecord[]> {
  const batch = b.batch();
  const all = await collect(decodeSpi(info, stream([batch]), map, opts));
  // The same signal, one change per batch, must give the same records.
  const cuts = Array.from({ length: batch.length - 1 }, (_, k) => k + 1);
  assert.deepEqual(await collect(decodeSpi(info, stream(split(batch, cuts)), map, opts)), all);
  return all;
}

test('emits a cs-glitch anomaly for a one-sample active CS pulse and frames nothing from it', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0).set(1010, 'cs', 1);
  b.set(2000, 'cs', 0);
  b.set(b.bits(2100, 100, 8, 0xa5, 0x5a) + 100, 'cs', 1);
  const recs = await decode(b);
  assert.equal(recs.length, 2);
  assert.deepEqual({ ...recs[0], detail: undefined }, { kind: 'anomaly', code: 'cs-glitch', startNs: 1000, endNs: 1010, detail: undefined });
  assert.match((recs[0] as { detail: string }).detail, /active CS pulse of 10 ns/);
  assert.deepEqual(recs[1], { kind: 'txn', txn: 0, startNs: 2000, endNs: 3000, mosi: Uint8Array.of(0xa5), miso: Uint8Array.of(0x5a) });
});

test('ignores a short inactive CS pulse inside a transaction and reports it', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0);
  b.bits(1100, 100, 8, 0x12, 0x34);
  b.set(1950, 'cs', 1).set(1970, 'cs', 0);
  b.set(b.bits(2000, 100, 8, 0x56, 0x78) + 100, 'cs', 1);
  const recs = await decode(b);
  const [txn] = ofKind(recs, 'txn');
  assert.deepEqual([txn.startNs, txn.endNs, [...txn.mosi], [...txn.miso]], [1000, 2900, [0x12, 0x56], [0x34, 0x78]]);
  const [g] = ofKind(recs, 'anomaly');
  assert.deepEqual([g.code, g.startNs, g.endNs], ['cs-glitch', 1950, 1970]);
  assert.match(g.detail, /inactive/);
  assert.equal(recs.length, 2);
});

test('uses a 20 ns glitch filter when the sample period is unknown', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0).set(1015, 'cs', 1);
  b.set(2000, 'cs', 0).set(2025, 'cs', 1);
  const recs = await decode(b, UNSAMPLED);
  // Both are glitches, for different reasons: the first is under the filter, the second is a CS
  // assertion past the filter that clocked nothing (framed, but not a transaction).
  assert.deepEqual(recs.map((r) => [r.kind, r.startNs, r.endNs]), [['anomaly', 1000, 1015], ['anomaly', 2000, 2025]]);
  const [short, empty] = ofKind(recs, 'anomaly');
  assert.match(short.detail, /< 20 ns\) ignored for framing/);
  assert.match(empty.detail, /25 ns with no clock: not a transaction/);
});

test('reports a CS assertion that clocks nothing as a cs-glitch, without using a transaction index', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0).set(1500, 'cs', 1);
  b.set(2000, 'cs', 0);
  b.set(b.bits(2100, 100, 8, 0xa5, 0x5a) + 100, 'cs', 1);
  const recs = await decode(b, UNSAMPLED);
  assert.deepEqual(recs.map((r) => r.kind), ['anomaly', 'txn']);
  assert.equal(ofKind(recs, 'anomaly')[0].code, 'cs-glitch');
  assert.equal(ofKind(recs, 'txn')[0].txn, 0);
});

test('honours an explicit glitchNs option', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0).set(1015, 'cs', 1);
  const recs = await decode(b, UNSAMPLED, MAP, { glitchNs: 10 });
  // 15 ns passes a 10 ns filter: framed as a CS assertion, which clocked nothing.
  assert.deepEqual(recs.map((r) => r.kind), ['anomaly']);
  assert.match(ofKind(recs, 'anomaly')[0].detail, /no clock/);
});

test('decodes a transaction open at a CS-triggered capture start, like any other', async () => {
  const b = new SignalBuilder({ cs: 0 }); // CS already active at capture start: the trigger
  const t = b.bits(100, 100, 16, 0x5a6b, 0x0102); // first edge 150 ns in: more than half a bit period
  b.set(t + 100, 'cs', 1);
  const recs = await decode(b);
  assert.deepEqual(recs.map((r) => r.kind), ['txn']);
  const [txn] = ofKind(recs, 'txn');
  assert.deepEqual([txn.txn, txn.startNs, [...txn.mosi], [...txn.miso]], [0, 0, [0x5a, 0x6b], [0x01, 0x02]]);
});

test('aligns the words of a transaction cut by the capture start to CS release, and says so', async () => {
  const b = new SignalBuilder({ cs: 0 }); // CS active, first edge within half a bit period: mid-transfer
  let t = b.bits(0, 100, 5, 0b10110, 0);
  t = b.bits(t, 100, 8, 0xff, 0x3c);
  b.set(1500, 'cs', 1);
  b.set(2000, 'cs', 0);
  b.set(b.bits(2100, 100, 8, 0xc3, 0x3c) + 100, 'cs', 1);
  const recs = await decode(b);
  assert.deepEqual(recs.map((r) => r.kind), ['anomaly', 'txn', 'txn']);
  const [a] = ofKind(recs, 'anomaly');
  assert.deepEqual([a.code, a.startNs, a.endNs, a.count], ['mid-transaction-start', 0, 1500, 5]);
  assert.match(a.detail, /first 5 bits are not decoded; the 1 words after them are aligned to CS release/);
  const [cut, next] = ofKind(recs, 'txn');
  assert.deepEqual([cut.txn, cut.startNs, [...cut.mosi], [...cut.miso], cut.partialBits], [0, 0, [0xff], [0x3c], undefined]);
  assert.deepEqual([next.txn, next.startNs, [...next.mosi]], [1, 2000, [0xc3]]);
});

test('a capture starting with SCK away from its idle level is cut: whole words kept, the cut noted', async () => {
  const b = new SignalBuilder({ cs: 0, sck: 1 }); // mode 0: SCK high is mid-bit
  b.set(20, 'sck', 0);
  b.set(b.bits(100, 100, 16, 0x1234, 0x5678) + 100, 'cs', 1);
  const recs = await decode(b);
  const [a] = ofKind(recs, 'anomaly');
  assert.deepEqual([a.code, a.count], ['mid-transaction-start', 0]);
  assert.match(a.detail, /earlier words were not captured; the 2 words clocked before CS release are decoded/);
  assert.deepEqual([...ofKind(recs, 'txn')[0].mosi], [0x12, 0x34]);
});

test('a capture that starts and ends inside one transaction counts words from the first edge and says it assumed that', async () => {
  const b = new SignalBuilder({ cs: 0 });
  b.bits(0, 100, 12, 0xabc, 0);
  const recs = await decode(b);
  const codes = ofKind(recs, 'anomaly').map((a) => a.code);
  assert.deepEqual(codes, ['mid-transaction-start', 'truncated-capture', 'partial-word']);
  assert.match(ofKind(recs, 'anomaly')[0].detail, /still open when it ends: words counted from the first clock edge \(alignment assumed\)/);
  assert.deepEqual([...ofKind(recs, 'txn')[0].mosi], [0xab]);
});

test('reads each data line in the sample of the sampling edge: a late-set bit is the new bit', async () => {
  // MOSI is still high from before and goes low in the very sample SCK rises (mode 0): a flash
  // command 0x05 must not read as 0x85.
  const b = new SignalBuilder({ cs: 1, mosi: 1 });
  b.set(1000, 'cs', 0);
  let t = 1100;
  for (let k = 7; k >= 0; k--) {
    const bit = ((0x05 >> k) & 1) as 0 | 1;
    b.set(t + 50, 'mosi', bit).set(t + 50, 'sck', 1).set(t + 100, 'sck', 0);
    t += 100;
  }
  b.set(t + 100, 'cs', 1);
  const [txn] = ofKind(await decode(b), 'txn');
  assert.deepEqual([...txn.mosi], [0x05]);
});

test('reports bits after the last whole word as partial-word with their count and value', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0);
  let t = b.bits(1100, 100, 8, 0xa5, 0x00);
  t = b.bits(t, 100, 3, 0b101, 0b011);
  b.set(t + 100, 'cs', 1);
  for (const bitOrder of ['msb', 'lsb'] as const) {
    const recs = await decode(b, SAMPLED, MAP, { mode: { ...DEFAULT_MODE, bitOrder } });
    const [txn] = ofKind(recs, 'txn');
    assert.deepEqual([...txn.mosi], [bitOrder === 'msb' ? 0xa5 : 0xa5]); // 0xa5 is its own bit reversal
    assert.equal(txn.partialBits, 3);
    const [a] = ofKind(recs, 'anomaly');
    assert.deepEqual([a.code, a.txn, a.startNs, a.endNs, a.count, a.offset], ['partial-word', 0, 1950, 2300, 3, 1]);
    assert.match(a.detail, /mosi 101, miso 011, in clock order/);
  }
});

test('reports clock edges while CS is inactive as one clock-outside-cs anomaly per burst', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.bits(1000, 100, 3, 0, 0); // edges at 1050 .. 1300
  b.set(2000, 'cs', 0);
  b.set(b.bits(2100, 100, 8, 0xff, 0x01) + 100, 'cs', 1); // a 100 ns bit period: bursts split after 800 ns
  b.bits(5000, 100, 2, 0, 0); // edges 5050 .. 5200
  b.bits(9000, 100, 1, 0, 0); // edges 9050, 9100: end of capture closes it
  const recs = await decode(b);
  const out = ofKind(recs, 'anomaly').map((a) => [a.code, a.startNs, a.endNs, a.count]);
  assert.deepEqual(out, [
    ['clock-outside-cs', 1050, 1300, 6],
    ['clock-outside-cs', 5050, 5200, 4],
    ['clock-outside-cs', 9050, 9100, 2],
  ]);
  assert.deepEqual([...ofKind(recs, 'txn')[0].mosi], [0xff]);
});

test('frames by clock gaps without a CS channel and says so once', async () => {
  const b = new SignalBuilder({});
  b.bits(1000, 100, 16, 0xa55a, 0x0102);
  b.bits(5000, 100, 8, 0x33, 0x44);
  const notes: string[] = [];
  const recs = await decode(b, SAMPLED, NO_CS, { onNote: (n) => notes.push(n) });
  assert.deepEqual(recs.map((r) => r.kind === 'txn' && [r.txn, r.startNs, r.endNs, [...r.mosi], [...r.miso]]), [
    [0, 1050, 2600, [0xa5, 0x5a], [0x01, 0x02]],
    [1, 5050, 5800, [0x33], [0x44]],
  ]);
  assert.equal(notes.length, 2, 'once per decode (decode() runs twice)');
  assert.match(notes[0], /no CS channel.*clock gaps/);
});

test('without CS, aligns a first burst cut by the capture start to its clock gap', async () => {
  const b = new SignalBuilder({ sck: 1 }); // mode 0 clock high at start: mid-pulse
  b.set(50, 'sck', 0);
  let t = b.bits(100, 100, 3, 0b101, 0);
  t = b.bits(t, 100, 8, 0x11, 0x22);
  b.bits(5000, 100, 8, 0x33, 0x44);
  const recs = await decode(b, SAMPLED, NO_CS);
  const [a] = ofKind(recs, 'anomaly');
  assert.deepEqual([a.code, a.startNs, a.count], ['mid-transaction-start', 50, 3]);
  assert.match(a.detail, /aligned to the first clock gap/);
  assert.deepEqual(ofKind(recs, 'txn').map((r) => [r.txn, [...r.mosi], [...r.miso]]), [[0, [0x11], [0x22]], [1, [0x33], [0x44]]]);
});

test('decodes a MOSI-only capture: MISO is empty, not zeros', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0);
  b.set(b.bits(1100, 100, 8, 0xa5, 0xff) + 100, 'cs', 1);
  const [txn] = ofKind(await decode(b, SAMPLED, { ...MAP, miso: -1 }), 'txn');
  assert.deepEqual([[...txn.mosi], [...txn.miso]], [[0xa5], []]);
  const [only] = ofKind(await decode(b, SAMPLED, { ...MAP, mosi: -1 }), 'txn');
  assert.deepEqual([[...only.mosi], [...only.miso]], [[], [0xff]]);
});

test('decodes words wider than 32 bits, big-endian, both bit orders', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0);
  // 40 bits 0x12_3456_789a: as 5 bytes; the builder clocks up to 32 bits per call.
  let t = b.bits(1100, 100, 8, 0x12, 0x00);
  t = b.bits(t, 100, 32, 0x3456789a, 0xffffffff);
  b.set(t + 100, 'cs', 1);
  const msb = ofKind(await decode(b, SAMPLED, MAP, { mode: { ...DEFAULT_MODE, wordBits: 40 } }), 'txn')[0];
  assert.deepEqual([[...msb.mosi], [...msb.miso], msb.wordBits], [[0x12, 0x34, 0x56, 0x78, 0x9a], [0x00, 0xff, 0xff, 0xff, 0xff], 40]);
  // LSB first: the first bit clocked is bit 0 of the value, so the value is the bit-reversed stream.
  const lsb = ofKind(await decode(b, SAMPLED, MAP, { mode: { ...DEFAULT_MODE, wordBits: 40, bitOrder: 'lsb' } }), 'txn')[0];
  assert.deepEqual([...lsb.mosi], [0x59, 0x1e, 0x6a, 0x2c, 0x48]);
});

test('emits the transaction open at the end of the capture with a truncated-capture anomaly', async () => {
  const b = new SignalBuilder({ cs: 1 });
  b.set(1000, 'cs', 0);
  b.bits(1100, 100, 8, 0x42, 0x24);
  const recs = await decode(b);
  assert.deepEqual(recs.map((r) => [r.kind, r.startNs, r.endNs]), [['txn', 1000, 1900], ['anomaly', 1000, 1900]]);
  assert.equal(ofKind(recs, 'anomaly')[0].code, 'truncated-capture');
  assert.deepEqual([...ofKind(recs, 'txn')[0].mosi], [0x42]);
});

test('emits a LineRecord for every READY, IRQ and RESET edge, and CS edges on request', async () => {
  const b = new SignalBuilder({ cs: 1, reset: 1 });
  b.set(100, 'ready', 1).set(200, 'irq', 1).set(300, 'reset', 0).set(300, 'ready', 0);
  b.set(1000, 'cs', 0).set(1500, 'cs', 1).set(1600, 'cs', 0).set(1605, 'cs', 1);
  const lines = ofKind(await decode(b, SAMPLED, MAP, { csLines: true }), 'line');
  assert.deepEqual(lines.map((l) => [l.line, l.level, l.startNs]), [
    ['ready', 1, 100], ['irq', 1, 200], ['ready', 0, 300], ['reset', 0, 300], ['cs', 0, 1000], ['cs', 1, 1500],
  ]);
  const noCs = ofKind(await decode(b), 'line');
  assert.equal(noCs.filter((l) => l.line === 'cs').length, 0);
});

test('rejects bad options at the start, naming the option', async () => {
  const b = new SignalBuilder({ cs: 1 });
  await assert.rejects(collect(decodeSpi(SAMPLED, stream([b.batch()]), MAP, { glitchNs: -1 })), /"glitchNs"/);
  await assert.rejects(collect(decodeSpi(SAMPLED, stream([b.batch()]), MAP, { mode: { ...DEFAULT_MODE, wordBits: 0 } })), /"mode.wordBits"/);
  await assert.rejects(collect(decodeSpi(SAMPLED, stream([b.batch()]), { ...MAP, sck: -1 })), /SCK/);
});

test('never throws on random signals and keeps records in startNs order with consecutive txn indices', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 127 })), { minLength: 1, maxLength: 300 }),
      fc.boolean(), async (steps, withCs) => {
        let t = 0;
        const times = new Float64Array(steps.length);
        const states = new Uint32Array(steps.length);
        steps.forEach(([dt, s], k) => {
          t += dt;
          times[k] = t;
          states[k] = s;
        });
        const recs = await collect(decodeSpi(SAMPLED, stream([{ times, states, length: steps.length }]), withCs ? MAP : NO_CS, { csLines: true }));
        for (let k = 1; k < recs.length; k++) assert.ok(recs[k].startNs >= recs[k - 1].startNs, 'ordered');
        ofKind(recs, 'txn').forEach((r, k) => assert.equal(r.txn, k));
        for (const r of recs) assert.ok(r.endNs >= r.startNs);
      }),
    { numRuns: 300 },
  );
});

test('says once when SCK is not at the CPOL idle level as CS asserts (probably the wrong mode)', async () => {
  const b = new SignalBuilder({ cs: 1, sck: 1 }); // a CPOL 1 bus decoded as mode 0
  b.set(1000, 'cs', 0);
  b.set(b.bits(1100, 100, 8, 0x0f, 0, 1) + 100, 'cs', 1);
  b.set(4000, 'cs', 0);
  b.set(b.bits(4100, 100, 8, 0x0f, 0, 1) + 100, 'cs', 1);
  const notes: string[] = [];
  await collect(decodeSpi(SAMPLED, stream([b.batch()]), MAP, { onNote: (n) => notes.push(n) }));
  assert.equal(notes.length, 1);
  assert.match(notes[0], /SCK is high when CS asserts at 1000 ns, but CPOL 0/);
  const ok: string[] = [];
  await collect(decodeSpi(SAMPLED, stream([b.batch()]), MAP, { mode: { ...DEFAULT_MODE, cpol: 1, cpha: 1 }, onNote: (n) => ok.push(n) }));
  assert.deepEqual(ok, []);
});

test('gives each line its level at the capture start when initialLevels is set', async () => {
  const b = new SignalBuilder({ cs: 1, reset: 1, irq: 1 });
  b.set(500, 'ready', 1);
  const lines = ofKind(await decode(b, SAMPLED, MAP, { initialLevels: true, csLines: true }), 'line');
  assert.deepEqual(lines.map((l) => [l.line, l.level, l.startNs]), [
    ['cs', 1, 0], ['ready', 0, 0], ['irq', 1, 0], ['reset', 1, 0], ['ready', 1, 500],
  ]);
});
