/** A world derived from the capture alone, and replay of a capture with no raw layer. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRecords } from '../../src/pipeline/open-records.ts';
import { writeRecordsToPcapng } from '../../src/pcapng/sink.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { gatherFacts } from '../../src/replay/facts.ts';
import { replayCapture } from '../../src/replay/run.ts';
import { deriveWorld, UNKNOWN_PASSPHRASE } from '../../src/replay/world.ts';
import { ROOT, tempDir } from '../cli/helpers.ts';

const GOLDEN = join(ROOT, 'captures/golden');

test('facts from a capture: APs from scan results, the working passphrase, DNS names, bus clock, epochs', async () => {
  const f = await gatherFacts((await openRecords(join(GOLDEN, 'demo.pcapng.gz'))).records);
  assert.deepEqual(f.aps.map((a) => [a.ssid, a.channel, a.security]), [['mnemos-lab', 6, 'wpa2'], ['neighbours', 11, 'wpa3']]);
  assert.equal(f.aps[0].passphrase, 'correct horse battery');
  assert.equal(f.aps[0].passphraseWorked, true);
  assert.deepEqual(f.names, { 'buddy.mnemos.dev': '10.0.0.7' });
  assert.equal(f.bus.clockHz, 20_000_000);
  assert.equal(f.bus.turnaroundNs, 1000);
  assert.equal(f.bus.processingDelayUs, 20);
  assert.equal(f.epochs.length, 1);
  assert.equal(f.hello?.trace_level, 2);
  const w = deriveWorld('demo', f);
  assert.equal(w.source, 'derived');
  assert.equal(w.spec.world.aps[1].passphrase, UNKNOWN_PASSPHRASE, 'an AP never joined stays locked');
  assert.match(w.notes.join('\n'), /access point\(s\) from scan results: mnemos-lab ch6 -49 dBm, neighbours ch11 -78 dBm/);
  assert.equal(w.spec.world.mediumBusy, null, 'no stalls of other stations are invented');
});

test('the passphrase that worked becomes the AP passphrase, not the wrong one tried first', async () => {
  const f = await gatherFacts((await openRecords(join(GOLDEN, 'wrong-passphrase.pcapng.gz'))).records);
  const w = deriveWorld('x', f);
  assert.deepEqual(w.spec.world.aps.map((a) => [a.ssid, a.passphrase]), [['mnemos-lab', 'correct horse battery']]);
  const o = await replayCapture(join(GOLDEN, 'wrong-passphrase.pcapng.gz'), { against: 'buddy', world: 'derive', ignore: ['rssi'] });
  assert.equal(o.matched, true, o.divergences.map((d) => `#${d.txn} ${d.what}`).join('\n'));
});

test('replay in a derived world says so, and differs only where the world does (RSSI)', async () => {
  const strict = await replayCapture(join(GOLDEN, 'demo.pcapng.gz'), { against: 'buddy', world: 'derive' });
  assert.equal(strict.world.source, 'derived');
  assert.equal(strict.matched, false);
  assert.ok(strict.divergences.every((d) => /rssi/.test(d.what)), strict.divergences.map((d) => d.what).join('\n'));
  const tolerant = await replayCapture(join(GOLDEN, 'demo.pcapng.gz'), { against: 'buddy', world: 'derive', ignore: ['rssi'] });
  assert.equal(tolerant.matched, true, tolerant.divergences.map((d) => d.what).join('\n'));
  const messages = await replayCapture(join(GOLDEN, 'demo.pcapng.gz'), { against: 'buddy', world: 'derive', level: 'messages', ignore: ['rssi'] });
  assert.equal(messages.matched, true);
  assert.ok(messages.stats.messages > 10);
});

test('a capture without its raw layer replays against the buddy from rebuilt transactions', async () => {
  const dir = tempDir();
  const lean = join(dir, 'noisy-lean.pcapng');
  await writeRecordsToPcapng((await openRecords(join(GOLDEN, 'noisy-bus.pcapng.gz'))).records, lean, { raw: false });
  const o = await replayCapture(lean, { against: 'buddy', world: join(GOLDEN, 'noisy-bus.world.json') });
  assert.equal(o.world.source, 'file');
  assert.match(o.notes.join('\n'), /rebuilt from their frames/);
  assert.equal(o.stats.transactions, 56);
  assert.ok(o.stats.unverifiable > 0, 'frames corrupted on the wire have no bytes left: unverifiable');
  assert.equal(o.matched, true, o.divergences.map((d) => `#${d.txn} ${d.what}`).join('\n'));
  await assert.rejects(replayCapture(lean, { against: 'cpu' }), /no READY\/IRQ line events/);
});

test('an AP joined without a scan comes from the connected reply, and the replay matches both ways', async () => {
  // buddy-reset connects straight away: no scan result ever names the AP.
  const f = await gatherFacts((await openRecords(join(GOLDEN, 'buddy-reset.pcapng.gz'))).records);
  assert.deepEqual(f.aps.map((a) => [a.ssid, a.bssid, a.channel, a.security, a.from, a.passphrase]), [['mnemos-lab', '02:11:22:33:44:10', 1, 'wpa2', 'joined', 'correct horse battery']]);
  assert.match(deriveWorld('x', f).notes.join('\n'), /joined without a scan, from the connected reply: mnemos-lab ch1 -45 dBm \(security taken as WPA2 since a passphrase was sent\)/);
  for (const against of ['buddy', 'cpu'] as const) {
    const o = await replayCapture(join(GOLDEN, 'buddy-reset.pcapng.gz'), { against, world: 'derive', ignore: ['rssi'] });
    assert.equal(o.matched, true, `${against}: ${o.divergences.slice(0, 3).map((d) => `#${d.txn} ${d.what}`).join('\n')}`);
  }
});

test('an AP that refused the passphrase without ever being scanned still exists in the derived world', async () => {
  // The wrong-passphrase capture minus its scan and its later join: only the auth-failed refusal is left.
  const f = await gatherFacts((await openRecords(join(GOLDEN, 'wrong-passphrase.pcapng.gz'))).records);
  assert.equal(f.aps[0].from, 'scan');
  const noScan = (await openRecords(join(GOLDEN, 'wrong-passphrase.pcapng.gz'))).records;
  async function* withoutScanResults(): AsyncGenerator<BuddyRecord[]> {
    for await (const b of noScan) yield b.filter((r) => !(r.kind === 'frame' && r.decoded?.kind === 'control' && ['scan_result', 'connected', 'link_up'].includes(r.decoded.msg.type)));
  }
  const g = await gatherFacts(withoutScanResults());
  assert.deepEqual(g.aps.map((a) => [a.ssid, a.from, a.security]), [['mnemos-lab', 'refused', 'wpa2']]);
  assert.notEqual(deriveWorld('x', g).spec.world.aps[0].passphrase, 'wrong horse battery', 'a refused passphrase is not the AP\'s');
});

test('against the buddy, a derived world replays the frames the buddy forwarded over the air; the simulated peer is muted', async () => {
  for (const name of ['demo', 'noisy-bus']) {
    const o = await replayCapture(join(GOLDEN, `${name}.pcapng.gz`), { against: 'buddy', world: 'derive', ignore: ['rssi'] });
    assert.equal(o.matched, true, `${name}: ${o.divergences.slice(0, 3).map((d) => `#${d.txn} ${d.what}`).join('\n')}`);
    const n = Number(/air from the capture: (\d+) Ethernet frame\(s\)/.exec(o.notes.join('\n'))?.[1]);
    assert.ok(n > 0, `${name}: ${o.notes.join('\n')}`);
  }
  // With a sidecar world the network is simulated as captured, and nothing is taken from the air.
  const sidecar = await replayCapture(join(GOLDEN, 'demo.pcapng.gz'), { against: 'buddy' });
  assert.doesNotMatch(sidecar.notes.join('\n'), /air from the capture/);
});
