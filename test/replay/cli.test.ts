/** `buddyshark replay`: exit codes, the report, --json and --junit (parsed as JUnit XML). */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { cli, ROOT, tempDir } from '../cli/helpers.ts';

const GOLDEN = join(ROOT, 'captures/golden');
const DEMO = join(GOLDEN, 'demo.pcapng.gz');

/** The demo world with the lab AP moved to another channel: the scan result must differ. */
function movedWorld(dir: string): string {
  const w = JSON.parse(readFileSync(join(GOLDEN, 'demo.world.json'), 'utf8')) as { world: { aps: { channel: number }[] } };
  w.world.aps[0].channel = 1;
  const path = join(dir, 'moved.world.json');
  writeFileSync(path, JSON.stringify(w));
  return path;
}

test('matching replays exit 0 and say so', () => {
  const r = cli(['replay', DEMO, join(GOLDEN, 'noisy-bus.pcapng.gz')]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal((r.stdout.match(/: MATCH$/gm) ?? []).length, 4);
  assert.match(r.stdout, /4\/4 replays matched/);
});

test('a divergence exits 1 with the first divergence, decoded and as hex', () => {
  const dir = tempDir();
  const r = cli(['replay', DEMO, '--against', 'buddy', '--world', movedWorld(dir)]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /DIVERGED/);
  assert.match(r.stdout, /world: file .*moved\.world\.json/);
  assert.match(r.stdout, /first divergence: txn #\d+ at [\d.]+ ms, MISO: payload differs: msg\.body\.aps\[0\]\.channel: 6 captured, 1 simulated/);
  assert.match(r.stdout, /expected \(captured\): .*scan_result/);
  assert.match(r.stdout, /\[[0-9a-f]{2}\]/, 'the differing byte is marked in the hex');
});

test('bad input exits 2 with one line naming the file', () => {
  for (const [args, re] of [
    [['replay', '/nonexistent.pcapng'], /nonexistent\.pcapng: open: no such file/],
    [['replay', DEMO, '--world', '/nope/world.json'], /world\.json: open: no such file/],
    [['replay', DEMO, '--speed', 'fast'], /--speed must be a positive number/],
    [['replay', DEMO, '--level', 'bits'], /level/],
    [['replay', '-'], /standard input cannot be replayed/],
  ] as const) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, 'no stack trace');
  }
  const dir = tempDir();
  const bad = join(dir, 'bad.world.json');
  writeFileSync(bad, JSON.stringify({ seed: 'one' }));
  const r = cli(['replay', DEMO, '--world', bad]);
  assert.equal(r.status, 2);
  // The path as given and where in the file, as for a scenario.
  assert.ok(r.stderr.includes(`${bad}: line 1, column 2: seed: `), r.stderr);
});

test('a capture cut short is replayed as far as it goes, then reported as bad input', () => {
  const dir = tempDir();
  const whole = gunzipSync(readFileSync(DEMO));
  const cut = join(dir, 'cut.pcapng');
  writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
  copyFileSync(join(GOLDEN, 'demo.world.json'), join(dir, 'cut.world.json'));
  const r = cli(['replay', cut]);
  assert.equal(r.status, 2);
  assert.match(r.stdout, /: MATCH$/m, 'what is there still replays');
  assert.match(r.stdout, /cut short at byte \d+: replayed up to its last whole block/);
  assert.match(r.stderr, /^buddyshark: .*cut\.pcapng: byte \d+: the file ends inside a block/);
  assert.equal(r.stderr.trim().split('\n').length, 1);
  const empty = join(dir, 'empty.pcapng');
  writeFileSync(empty, whole.subarray(0, 40));
  const e = cli(['replay', empty]);
  assert.equal(e.status, 2);
  assert.match(e.stderr, /empty\.pcapng: .*nothing to replay/);
});

test('a gzipped capture cut short is replayed as far as it goes too; a corrupt one is refused on one line', () => {
  const dir = tempDir();
  const gz = readFileSync(DEMO);
  const cut = join(dir, 'cut.pcapng.gz');
  writeFileSync(cut, gz.subarray(0, Math.floor(gz.length * 0.7)));
  copyFileSync(join(GOLDEN, 'demo.world.json'), join(dir, 'cut.world.json'));
  const r = cli(['replay', cut, '--json']);
  assert.equal(r.status, 2, r.stderr);
  const out = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { matched: boolean; stats: { transactions: number }; truncatedAt: number });
  assert.equal(out.length, 2, 'one JSON line per end');
  assert.equal(out[0].matched, true, 'what is there still replays');
  assert.ok(out[0].stats.transactions > 10, `${out[0].stats.transactions} transactions`);
  assert.equal(out[0].truncatedAt, Math.floor(gz.length * 0.7), 'where the compressed file stops');
  assert.match(r.stderr, new RegExp(`^buddyshark: .*cut\\.pcapng\\.gz: byte ${Math.floor(gz.length * 0.7)}: `));
  assert.equal(r.stderr.trim().split('\n').length, 1);
  const corrupt = join(dir, 'corrupt.pcapng.gz');
  writeFileSync(corrupt, Buffer.concat([gz.subarray(0, 10), Buffer.from('not deflate data at all, not at all')]));
  const c = cli(['replay', corrupt]);
  assert.equal(c.status, 2);
  assert.match(c.stderr, /^buddyshark: .*corrupt\.pcapng\.gz: gzip stream, after \d+ compressed bytes: /);
  assert.equal(c.stderr.trim().split('\n').length, 1);
});

test('--json prints one parseable line per replay', () => {
  const dir = tempDir();
  const r = cli(['replay', DEMO, '--json', '--world', movedWorld(dir)]);
  assert.equal(r.status, 1);
  const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { against: string; matched: boolean; stats: { compared: number; divergences: number }; divergences: { txn: number; what: string }[] });
  assert.deepEqual(lines.map((l) => l.against), ['buddy', 'cpu']);
  assert.equal(lines[0].matched, false);
  assert.ok(lines[0].stats.divergences >= 1);
  assert.match(lines[0].divergences[0].what, /channel/);
  assert.equal(lines[1].matched, true, 'the CPU side does not see the world');
});

test('--junit writes JUnit XML: a suite per capture, a case per side, failures with the divergence', () => {
  const dir = tempDir();
  const xml = join(dir, 'replay.xml');
  const r = cli(['replay', DEMO, join(GOLDEN, 'buddy-reset.pcapng.gz'), '--world', movedWorld(dir), '--junit', xml]);
  assert.equal(r.status, 1);
  const text = readFileSync(xml, 'utf8');
  assert.equal(XMLValidator.validate(text), true);
  type Case = { '@_name': string; '@_classname': string; failure?: { '@_message': string; '@_type': string } };
  const doc = new XMLParser({ ignoreAttributes: false, isArray: (name) => ['testsuite', 'testcase'].includes(name) }).parse(text) as {
    testsuites: { '@_tests': string; '@_failures': string; testsuite: { '@_name': string; testcase: Case[] }[] };
  };
  assert.equal(doc.testsuites['@_tests'], '4');
  assert.equal(doc.testsuites['@_failures'], '2', 'buddy-reset in the moved demo world diverges too');
  const suites = doc.testsuites.testsuite;
  assert.deepEqual(suites.map((s) => s['@_name']), ['buddyshark replay demo.pcapng.gz', 'buddyshark replay buddy-reset.pcapng.gz']);
  const demo = suites[0].testcase;
  assert.deepEqual(demo.map((c) => c['@_name']), ['against buddy (frames)', 'against cpu (frames)']);
  assert.match(demo[0].failure?.['@_message'] ?? '', /diverged at txn #\d+ .*aps\[0\]\.channel/);
  assert.equal(demo[0].failure?.['@_type'], 'divergence');
  assert.equal(demo[1].failure, undefined);
});
