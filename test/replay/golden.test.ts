/**
 * The golden corpus replays against both ends and matches; a deliberately changed buddy model
 * (scan results in another order) fails with a readable diff at the transaction that carried them.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRecords } from '../../src/pipeline/open-records.ts';
import { writeGolden } from '../../src/replay/golden.ts';
import { reportText } from '../../src/replay/report-text.ts';
import { replayCapture } from '../../src/replay/run.ts';
import type { SpiBus } from '../../src/sim/bus.ts';
import { loadScenario } from '../../src/sim/scenario.ts';
import { ROOT, tempDir } from '../cli/helpers.ts';

const GOLDEN = join(ROOT, 'captures/golden');
const plain = (_s: string, t: string): string => t;
const names = readdirSync(join(ROOT, 'captures/scenarios')).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();

test('every shipped scenario has a golden capture and world file', () => {
  const files = readdirSync(GOLDEN);
  for (const n of names) {
    assert.ok(files.includes(`${n}.pcapng.gz`), `${n}.pcapng.gz`);
    assert.ok(files.includes(`${n}.world.json`), `${n}.world.json`);
  }
});

for (const name of names) {
  for (const against of ['buddy', 'cpu'] as const) {
    test(`golden ${name} replays against the ${against} and matches`, async () => {
      const o = await replayCapture(join(GOLDEN, `${name}.pcapng.gz`), { against });
      assert.equal(o.world.source, 'sidecar');
      assert.ok(o.stats.transactions > 20, `${o.stats.transactions} transactions`);
      assert.equal(o.stats.compared, o.stats.transactions);
      assert.deepEqual(o.divergences.map((d) => `#${d.txn} ${d.what}`), []);
      assert.equal(o.matched, true);
    });
  }
}

test('replay keeps nothing per transaction on the simulated bus (memory stays bounded on long captures)', async () => {
  for (const against of ['buddy', 'cpu'] as const) {
    let bus: SpiBus | null = null;
    const o = await replayCapture(join(GOLDEN, 'flood.pcapng.gz'), { against, hooks: { bus: (b) => { bus = b; } } });
    assert.equal(o.matched, true);
    const seen = bus as SpiBus | null;
    assert.ok(seen);
    assert.equal(seen.stats.transactions, o.stats.transactions, `${against}: every captured transaction crossed the simulated bus`);
    assert.equal(seen.out.length, 0, `${against}: ${seen.out.length} records accumulated on the bus`);
  }
});

test('the recoveries show in the report: a buddy watchdog reset, and corrupted frames on a noisy bus', async () => {
  const reset = await replayCapture(join(GOLDEN, 'buddy-reset.pcapng.gz'), { against: 'buddy' });
  assert.match(reset.notes.join('\n'), /watchdog reset injected in 1 transaction/);
  assert.match(reset.notes.join('\n'), /3 boot\(s\), boot epochs \d+ -> \d+ -> \d+/);
  const driver = await replayCapture(join(GOLDEN, 'buddy-reset.pcapng.gz'), { against: 'cpu' });
  assert.match(driver.notes.join('\n'), /3 handshake\(s\) \(re-synced after each buddy boot\)/);
  const noisy = await replayCapture(join(GOLDEN, 'noisy-bus.pcapng.gz'), { against: 'cpu' });
  assert.ok(noisy.stats.unverifiable > 0);
  assert.match(noisy.notes.join('\n'), /[1-9]\d* request retries/);
  assert.match(noisy.notes.join('\n'), /[1-9]\d* corrupted MISO frames rejected/);
});

test('a buddy model that orders scan results differently fails at the scan_result, with a readable diff', async () => {
  const capture = join(GOLDEN, 'demo.pcapng.gz');
  // Where the capture has the scan result: the transaction to blame.
  let scanTxn = -1;
  for await (const b of (await openRecords(capture)).records) {
    for (const r of b) if (scanTxn < 0 && r.kind === 'frame' && r.decoded?.kind === 'control' && r.decoded.msg.type === 'scan_result') scanTxn = r.txn;
  }
  assert.ok(scanTxn > 0);
  const o = await replayCapture(capture, {
    against: 'buddy',
    hooks: { buddy: (b) => { const scan = b.scanAps.bind(b); b.scanAps = () => scan().reverse(); } },
  });
  assert.equal(o.matched, false);
  const first = o.divergences[0];
  assert.equal(first.txn, scanTxn);
  assert.equal(first.dir, 'buddy-to-cpu');
  assert.match(first.what, /aps\[0\]\.ssid: "mnemos-lab" captured, "neighbours" simulated/);
  assert.match(first.expected?.summary ?? '', /scan_result #\d+ 2 APs: mnemos-lab\(-?\d+\) neighbours/);
  assert.match(first.actual?.summary ?? '', /scan_result #\d+ 2 APs: neighbours\(-?\d+\) mnemos-lab/);
  const text = reportText(o, plain).join('\n');
  assert.match(text, /DIVERGED/);
  assert.match(text, new RegExp(`first divergence: txn #${scanTxn} at`));
  assert.match(text, /before it \(captured\):\n {4}txn #\d+/);
  assert.match(text, /expected \(captured\): .*scan_result[\s\S]*actual \(simulated\): .*scan_result/);
  assert.ok(o.context.length > 0 && o.context.every((c) => c.txn < scanTxn));
});

test('npm run golden writes a capture that replays and the committed world file', async () => {
  const dir = tempDir();
  const g = await writeGolden(loadScenario(join(ROOT, 'captures/scenarios/demo.json')), dir);
  assert.equal(readFileSync(g.world, 'utf8'), readFileSync(join(GOLDEN, 'demo.world.json'), 'utf8'));
  const o = await replayCapture(g.capture, { against: 'buddy' });
  assert.equal(o.matched, true);
  const flood = JSON.parse(readFileSync(join(GOLDEN, 'flood.world.json'), 'utf8')) as { events?: { do: string }[] };
  assert.deepEqual(flood.events?.map((e) => e.do), ['peer-flood'], 'the RX flood the peer started is part of the flood world');
});

test('a driver that ignores the buddy credit breaks a protocol rule, and replay says which and where', async () => {
  const o = await replayCapture(join(GOLDEN, 'flood.pcapng.gz'), {
    against: 'cpu', keep: Infinity,
    hooks: { driver: (d) => { d.link.canSendCredited = () => true; } },
  });
  assert.equal(o.matched, false);
  const broken = o.divergences.filter((d) => /breaks a protocol rule the captured CPU kept: credit-overrun/.test(d.what));
  assert.ok(broken.length > 0, o.divergences.slice(0, 5).map((d) => d.what).join('\n'));
  assert.match(o.notes.join('\n'), /[1-9]\d* broken where the capture kept them/);
});
