import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SpiBus, type SpiTarget } from '../../src/sim/bus.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { encodeFrame } from '../../src/protocol/frame.ts';

const hdr = { channel: 1, flags: 0, seq: 0, ack: 0, credit: 4, epoch: 9 };

function rig(armed: Uint8Array | null) {
  const sched = new Scheduler();
  const bus = new SpiBus(sched, { clockHz: 10_000_000, turnaroundNs: 1_000, csSetupNs: 100, csHoldNs: 100 });
  const got: { mosi: Uint8Array; at: number }[] = [];
  let glitches = 0;
  const target: SpiTarget = {
    armedFrame: () => armed,
    onTransaction: (mosi) => void got.push({ mosi, at: sched.now }),
    onCsGlitch: () => void glitches++,
    crash: () => {},
  };
  bus.attach(target);
  return { sched, bus, got, glitches: () => glitches };
}

test('clocks max(frameSize(mosi), frameSize(miso)) bytes and pads the shorter side with 0x00', () => {
  const miso = encodeFrame(hdr, new Uint8Array(100).fill(0xaa)); // 120 bytes
  const mosi = encodeFrame({ ...hdr, channel: 0, credit: 8 }); // idle, 16 bytes
  const { sched, bus, got } = rig(miso);
  const r = bus.transfer(mosi);
  assert.equal(r.miso.length, 120);
  assert.deepEqual(r.miso, miso);
  const rec = bus.out.find((x) => x.kind === 'txn');
  assert.ok(rec && rec.kind === 'txn');
  assert.equal(rec.mosi.length, 120);
  assert.deepEqual(rec.mosi.subarray(0, 16), mosi);
  assert.ok(rec.mosi.subarray(16).every((b) => b === 0));
  // 120 bytes at 10 MHz = 96 us, + setup + hold + turnaround.
  assert.equal(r.endNs - r.startNs, 96_000 + 100 + 100 + 1_000);
  while (sched.step()) {}
  assert.equal(got.length, 1);
  assert.equal(got[0].at, r.endNs);
});

test('a 64-byte control frame against an idle frame clocks 64 bytes, not a full-size transaction', () => {
  const { bus } = rig(encodeFrame({ ...hdr, channel: 0 }));
  const r = bus.transfer(encodeFrame(hdr, new Uint8Array(44)));
  assert.equal(r.miso.length, 64);
});

test('an unarmed target reads as 0xFF and only the MOSI frame sets the length', () => {
  const { bus } = rig(null);
  const r = bus.transfer(encodeFrame(hdr, new Uint8Array(10)));
  assert.equal(r.miso.length, 30);
  assert.ok(r.miso.every((b) => b === 0xff));
});

test('refuses to start while CS has not been high for the minimum gap', () => {
  const { bus } = rig(encodeFrame({ ...hdr, channel: 0 }));
  bus.transfer(encodeFrame({ ...hdr, channel: 0 }));
  assert.equal(bus.idle, false);
  assert.throws(() => bus.transfer(encodeFrame({ ...hdr, channel: 0 })), /busy/);
});

test('emits a cs-glitch anomaly for a CS pulse with no clock, and no transaction', () => {
  const { sched, bus, glitches } = rig(encodeFrame({ ...hdr, channel: 0 }));
  assert.equal(bus.glitch(40), true);
  while (sched.step()) {}
  assert.equal(glitches(), 1);
  assert.deepEqual(bus.out.map((r) => r.kind), ['anomaly']);
  const a = bus.out[0];
  assert.ok(a.kind === 'anomaly' && a.code === 'cs-glitch' && a.endNs - a.startNs === 40);
});

test('records line changes once per change, and READY not at all in IRQ-only mode', () => {
  const sched = new Scheduler();
  const bus = new SpiBus(sched, { readyLine: false });
  bus.setLine('irq', 1);
  bus.setLine('irq', 1);
  bus.setLine('ready', 1);
  bus.setLine('irq', 0);
  assert.deepEqual(bus.out.map((r) => (r.kind === 'line' ? `${r.line}=${r.level}` : r.kind)), ['irq=1', 'irq=0']);
  assert.equal(bus.level('ready'), 1);
});

test('a CS drop cuts both directions at the same byte', () => {
  const { sched, bus, got } = rig(encodeFrame(hdr, new Uint8Array(50)));
  bus.faults = { flip: () => 0, cutAfter: () => 33, crashMidTransfer: () => false };
  const r = bus.transfer(encodeFrame(hdr, new Uint8Array(20)));
  assert.equal(r.cut, true);
  assert.equal(r.miso.length, 33);
  while (sched.step()) {}
  assert.equal(got[0].mosi.length, 33);
});
