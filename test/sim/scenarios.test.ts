import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadScenario } from '../../src/sim/scenario.ts';
import { drainScenario, runScenario } from '../../src/sim/run.ts';
import { decodeHeader, decodeFrame } from '../../src/protocol/frame.ts';
import { decodeControl } from '../../src/protocol/control.ts';
import { Channel } from '../../src/protocol/constants.ts';
import type { BuddyRecord, TxnRecord } from '../../src/records/types.ts';

const DIR = join(import.meta.dirname, '../../captures/scenarios');
const load = (name: string) => loadScenario(join(DIR, `${name}.json`));

async function collect(name: string, patch: (s: ReturnType<typeof load>) => ReturnType<typeof load> = (s) => s) {
  const run = runScenario(patch(load(name)));
  const records: BuddyRecord[] = [];
  for await (const batch of run.records) records.push(...batch);
  return { records, report: await run.done };
}

const txns = (rs: BuddyRecord[]): TxnRecord[] => rs.filter((r): r is TxnRecord => r.kind === 'txn');

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
  test(`scenario ${file} runs to completion with its expectations holding`, async () => {
    const { report } = await drainScenario(loadScenario(join(DIR, file)));
    assert.deepEqual(report.failures, []);
    assert.equal(report.passed, true);
    assert.equal(report.steps.length, loadScenario(join(DIR, file)).steps.length);
  });
}

test('two runs with one seed give identical record streams; another seed differs', async () => {
  const a = await drainScenario(load('demo'));
  const b = await drainScenario(load('demo'));
  assert.equal(a.hash, b.hash);
  const c = await drainScenario({ ...load('demo'), seed: 99 });
  assert.notEqual(c.hash, a.hash);
});

test('the demo stream is in time order, has transactions and line edges, and stays small', async () => {
  const { records, report } = await collect('demo');
  let last = -1;
  let bytes = 0;
  for (const r of records) {
    assert.ok(r.startNs >= last, `record at ${r.startNs} after ${last}`);
    last = r.startNs;
    bytes += r.kind === 'txn' ? r.mosi.length * 2 + 64 : 64;
  }
  const t = txns(records);
  assert.deepEqual(t.map((x) => x.txn), t.map((_, i) => i));
  assert.ok(records.some((r) => r.kind === 'line' && r.line === 'ready'));
  assert.ok(records.some((r) => r.kind === 'line' && r.line === 'irq'));
  assert.ok(bytes < 1_000_000, `demo is ${bytes} bytes`);
  assert.equal(report.counts.cpuRxLost, 0);
  assert.equal(report.counts.buddyRxLost, 0);
  // The first MISO frame is the boot event; the CPU's answer is hello with the boot's epoch.
  const boot = decodeFrame(t[0].miso);
  assert.ok(boot.ok);
  const msg = decodeControl(boot.value.payload);
  assert.ok(msg.ok && msg.value.type === 'boot');
  const hello = decodeFrame(t[1].mosi);
  assert.ok(hello.ok && hello.value.header.epoch === boot.value.header.epoch);
  const h = decodeControl(hello.value.payload);
  assert.ok(h.ok && h.value.type === 'hello');
});

test('every transaction starts while READY is high, never inside readyFallMax of the last CS release', async () => {
  const { records } = await collect('demo');
  let ready = 0;
  let lastEnd = -Infinity;
  for (const r of records) {
    if (r.kind === 'line' && r.line === 'ready') ready = r.level;
    if (r.kind === 'txn') {
      assert.equal(ready, 1, `txn ${r.txn} started with READY low`);
      assert.ok(r.startNs - lastEnd >= 5_000, `txn ${r.txn} too soon after the previous`);
      lastEnd = r.endNs;
    }
  }
});

test('a wrong passphrase yields error auth-failed about 1 s after connect', async () => {
  const { report, records } = await collect('wrong-passphrase');
  const step = report.steps[1];
  assert.equal(step.ok, false);
  assert.equal(step.code, 'auth-failed');
  const took = step.endNs - step.startNs;
  assert.ok(took >= 1e9 && took < 1.1e9, `took ${took} ns`);
  const errors = txns(records).flatMap((t) => {
    const f = decodeFrame(t.miso);
    if (!f.ok || f.value.header.channel !== Channel.control) return [];
    const m = decodeControl(f.value.payload);
    return m.ok && m.value.type === 'error' ? [m.value.body.code] : [];
  });
  assert.deepEqual(errors, ['auth-failed', 'no-ap']);
});

test('buddy-reset shows a new epoch and a completed re-handshake, then carries on', async () => {
  const { report, records } = await collect('buddy-reset');
  assert.ok(report.epochs.length >= 3, `epochs ${report.epochs}`);
  assert.equal(new Set(report.epochs).size, report.epochs.length);
  assert.equal(report.counts.handshakes, report.epochs.length);
  // On the wire: hellos carrying each epoch, each answered with ok.
  const hellos = new Set<number>();
  for (const t of txns(records)) {
    const f = decodeFrame(t.mosi);
    if (!f.ok || f.value.header.channel !== Channel.control) continue;
    const m = decodeControl(f.value.payload);
    if (m.ok && m.value.type === 'hello') hellos.add(m.value.body.epoch);
  }
  for (const e of report.epochs) assert.ok(hellos.has(e), `no hello for epoch ${e}`);
  // The crash cut a transfer: MISO goes to 0xFF mid-frame.
  assert.ok(txns(records).some((t) => t.miso.length > 32 && t.miso[t.miso.length - 1] === 0xff && t.miso[0] === 0xb5));
  const after = report.steps.slice(3);
  assert.ok(after.every((s) => s.ok), JSON.stringify(after));
});

test('noisy-bus has corrupted frames and CS glitches, and its requests still complete by retry', async () => {
  const { report, records } = await collect('noisy-bus');
  const c = report.counts;
  assert.ok(c.flippedBits > 0);
  assert.ok(c.cpuRxBadHeader + c.cpuRxBadPayload > 0);
  assert.ok(c.buddyRxBad > 0);
  assert.ok(c.requestRetries > 0);
  assert.ok(c.csCuts > 0);
  assert.ok(records.some((r) => r.kind === 'anomaly' && r.code === 'cs-glitch'));
  const bad = txns(records).filter((t) => !decodeHeader(t.miso).ok || !decodeFrame(t.miso).ok);
  assert.ok(bad.length > 0);
  assert.equal(report.passed, true);
});

test('flood: credit reaches 0, the CPU then waits, and TX goodput is within 10% of the computed figure', async () => {
  const { report, records } = await collect('flood');
  const t = txns(records);
  let zero = 0;
  for (let i = 0; i + 1 < t.length; i++) {
    const h = decodeHeader(t[i].miso);
    if (!h.ok || h.value.credit !== 0) continue;
    zero++;
    const next = decodeHeader(t[i + 1].mosi);
    assert.ok(next.ok && next.value.channel !== Channel.ethernet, `txn ${t[i + 1].txn} sent ethernet against credit 0`);
  }
  assert.ok(zero > 0, 'credit never reached 0');
  const tx = report.throughput.floods.find((f) => f.direction === 'tx');
  assert.ok(tx);
  assert.equal(tx.delivered, tx.frames);
  assert.ok(Math.abs(tx.ratio - 1) <= 0.1, `tx goodput ${tx.goodputBytesPerSec} vs ${tx.computedBytesPerSec}`);
  const rx = report.throughput.floods.find((f) => f.direction === 'rx');
  assert.ok(rx && Math.abs(rx.ratio - 1) <= 0.1, `rx ratio ${rx?.ratio}`);
  assert.ok(report.throughput.overhead < 1.05);
});

test('IRQ-only mode runs the demo without a READY line, waiting armMax after each transaction', async () => {
  const { report, records } = await collect('demo', (s) => ({ ...s, bus: { ...s.bus, irqOnly: true } }));
  assert.deepEqual(report.failures, []);
  assert.ok(!records.some((r) => r.kind === 'line' && r.line === 'ready'));
  const t = txns(records);
  for (let i = 1; i < t.length; i++) assert.ok(t[i].startNs - t[i - 1].endNs >= 200_000, `txn ${i} came too soon`);
});

test('link loss: the AP vanishes and the buddy reports beacon-loss about 1 s later', async () => {
  const { records, report } = await collect('demo', (s) => ({
    ...s,
    faults: { linkLoss: { atMs: 1800 } },
    steps: [...s.steps, { do: 'wait', ms: 2000 }, { do: 'status' }],
  }));
  const downs = txns(records).flatMap((t) => {
    const f = decodeFrame(t.miso);
    if (!f.ok || f.value.header.channel !== Channel.control) return [];
    const m = decodeControl(f.value.payload);
    return m.ok && m.value.type === 'link_down' ? [{ at: t.startNs, reason: m.value.body.reason }] : [];
  });
  assert.equal(downs.length, 1);
  assert.equal(downs[0].reason, 'beacon-loss');
  assert.ok(downs[0].at > 2.8e9 && downs[0].at < 3e9);
  const status = report.steps.at(-1);
  assert.ok(status?.ok);
});

test('a buddy that stops answering is reset through the RESET line after the liveness timeout', async () => {
  const { records, report } = await collect('demo', (s) => ({
    ...s,
    faults: { slowBuddy: { extraUs: 6_000_000, fromMs: 1400, toMs: 5000 } },
    steps: [...s.steps.slice(0, 2), { do: 'wait', ms: 6000 }, { do: 'status' }],
  }));
  const resets = records.filter((r) => r.kind === 'line' && r.line === 'reset');
  assert.deepEqual(resets.map((r) => (r.kind === 'line' ? r.level : -1)), [0, 1]);
  assert.ok(resets[1].startNs - resets[0].startNs >= 100_000, 'RESET pulse shorter than resetPulseMin');
  assert.equal(report.counts.livenessResets, 1);
  assert.equal(report.epochs.length, 2);
  assert.equal(report.counts.handshakes, 2);
  assert.ok(report.steps.at(-1)?.ok);
  // The reset came ~3.5 s after the last valid buddy frame.
  const lastBefore = txns(records).filter((t) => t.endNs < resets[0].startNs && decodeHeader(t.miso).ok).at(-1);
  assert.ok(lastBefore);
  const gap = resets[0].startNs - lastBefore.endNs;
  assert.ok(gap >= 3.5e9 && gap < 3.6e9, `gap ${gap}`);
});

test('trace drops under load are reported with a trace discarded event', async () => {
  const { records, report } = await collect('flood');
  assert.ok(report.counts.traceDropped > 0);
  const { decodeTrace } = await import('../../src/protocol/trace.ts');
  const discarded = txns(records).some((t) => {
    const f = decodeFrame(t.miso);
    if (!f.ok || f.value.header.channel !== Channel.trace) return false;
    const ev = decodeTrace(f.value.payload);
    return ev.ok && ev.value.type === 'discarded';
  });
  assert.ok(discarded);
});
