/** The comparison levels, ignored fields and unverifiable captured frames. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Channel, Flag } from '../../src/protocol/constants.ts';
import { controlMessage, encodeControl } from '../../src/protocol/control.ts';
import { encodeFrame } from '../../src/protocol/frame.ts';
import { fragment } from '../../src/protocol/fragment.ts';
import { Comparator, diffValues } from '../../src/replay/compare.ts';
import { replayCapture } from '../../src/replay/run.ts';
import { ROOT } from '../cli/helpers.ts';

const hb = (rssi: number, uptime: number): Uint8Array =>
  encodeControl(controlMessage('heartbeat', 0, { uptime_ms: uptime, state: 'connected', rssi, tx_queue: 0, rx_queue: 0, trace_dropped: 0 }));
const frame = (payload: Uint8Array, seq = 1, flags = 0, channel: number = Channel.control): Uint8Array =>
  encodeFrame({ channel, flags, seq, ack: 0, credit: 8, epoch: 7 }, payload);

test('bytes level: any byte, frames level: a field, with the message decoded for a readable difference', () => {
  const bytes = new Comparator('bytes', new Set(), 'buddy-to-cpu');
  const [d] = bytes.compare(3, 100, frame(hb(-50, 10)), frame(hb(-51, 10)));
  assert.match(d.what, /^byte \d+ differs \(0x[0-9a-f]{2} captured, 0x[0-9a-f]{2} simulated\)$/);
  const frames = new Comparator('frames', new Set(), 'buddy-to-cpu');
  const [f] = frames.compare(3, 100, frame(hb(-50, 10)), frame(hb(-51, 10)));
  assert.equal(f.what, 'payload differs: msg.body.rssi: -50 captured, -51 simulated');
  assert.match(f.expected?.summary ?? '', /heartbeat .*rssi=-50/);
  assert.equal(new Comparator('frames', new Set(), 'buddy-to-cpu').compare(0, 0, frame(hb(-50, 1), 1), frame(hb(-50, 1), 2))[0].what, 'seq differs: 1 captured, 2 simulated');
});

test('ignored fields: header fields and message fields at any depth', () => {
  const c = new Comparator('frames', new Set(['seq', 'rssi', 'uptime_ms']), 'buddy-to-cpu');
  assert.deepEqual(c.compare(0, 0, frame(hb(-50, 10), 1), frame(hb(-60, 20), 9)), []);
  assert.equal(c.stats.matched, 1);
  assert.equal(diffValues({ a: [{ rssi: 1, b: 2 }] }, { a: [{ rssi: 5, b: 3 }] }, '', new Set(['rssi'])), 'a[0].b: 2 captured, 3 simulated');
  assert.equal(diffValues({ mac: new Uint8Array([1, 2]) }, { mac: new Uint8Array([1, 3]) }, '', new Set()), 'mac: <0102> captured, <0103> simulated');
});

test('a captured frame corrupted on the wire is unverifiable, not a divergence', () => {
  const c = new Comparator('frames', new Set(), 'buddy-to-cpu');
  const bad = frame(hb(-50, 10));
  bad[20] ^= 0x10;
  assert.deepEqual(c.compare(0, 0, bad, frame(hb(-50, 10))), []);
  assert.deepEqual(c.stats, { compared: 1, matched: 0, diverged: 0, unverifiable: 1, messages: 0 });
  assert.equal(c.compare(1, 0, null, frame(hb(-50, 10))).length, 0, 'no bytes in the capture: unverifiable too');
  const [d] = c.compare(2, 0, frame(hb(-50, 10)), bad);
  assert.match(d.what, /simulated frame is unreadable \(payload-crc/);
});

test('messages level pairs reassembled messages wherever their fragments fell', () => {
  const big = encodeControl(controlMessage('echo_reply', 4, { data: new Uint8Array(300).fill(7) }));
  const parts = fragment(big, 128);
  const flags = (i: number): number => (i < parts.length - 1 ? Flag.more : 0) | (i > 0 ? Flag.cont : 0);
  const c = new Comparator('messages', new Set(), 'buddy-to-cpu');
  const idle = encodeFrame({ channel: 0, flags: 0, seq: 0, ack: 0, credit: 8, epoch: 7 });
  // Captured: fragments in transactions 0..2; simulated: an idle frame first, so one transaction later.
  const out = [
    ...c.compare(0, 0, frame(parts[0], 1, flags(0)), idle),
    ...c.compare(1, 0, frame(parts[1], 2, flags(1)), frame(parts[0], 1, flags(0))),
    ...c.compare(2, 0, frame(parts[2], 3, flags(2)), frame(parts[1], 2, flags(1))),
    ...c.compare(3, 0, idle, frame(parts[2], 3, flags(2))),
    ...c.finish(),
  ];
  assert.deepEqual(out, []);
  assert.equal(c.stats.messages, 1);
  const missing = new Comparator('messages', new Set(), 'buddy-to-cpu');
  missing.compare(0, 0, frame(hb(-50, 1)), idle);
  const [m] = missing.finish();
  assert.equal(m.what, 'captured message never sent by the simulation');
});

test('on a noisy bus the bytes level sees the flipped bits the frames level cannot verify', async () => {
  const capture = join(ROOT, 'captures/golden/noisy-bus.pcapng.gz');
  const bytes = await replayCapture(capture, { against: 'buddy', level: 'bytes' });
  const frames = await replayCapture(capture, { against: 'buddy', level: 'frames' });
  assert.equal(frames.matched, true);
  assert.equal(bytes.matched, false);
  assert.ok(frames.stats.unverifiable > 0);
  // Every corrupted captured frame is a byte divergence, and so is a flip in the padding after a frame.
  assert.ok(bytes.stats.diverged >= frames.stats.unverifiable, `${bytes.stats.diverged} vs ${frames.stats.unverifiable}`);
  assert.ok(bytes.divergences.every((d) => /^byte \d+ differs|^length differs/.test(d.what)));
});

test('--speed paces the replay against the wall clock', async () => {
  const capture = join(ROOT, 'captures/golden/demo.pcapng.gz');
  const t = performance.now();
  const o = await replayCapture(capture, { against: 'cpu', speed: 8 });
  const wall = performance.now() - t;
  assert.equal(o.matched, true);
  assert.ok(wall >= ((o.virtualNs - 50e6) / 1e6) / 8, `${wall.toFixed(0)} ms for ${(o.virtualNs / 1e6).toFixed(0)} ms at 8x`);
});
