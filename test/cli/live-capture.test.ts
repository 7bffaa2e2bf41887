/**
 * `capture --live` end to end on loopback: the simulator served as a bridge (`simulate demo --serve`
 * once, then serveScenario in this process, which saves a node start per test on a busy box), and
 * the real CLI capturing it. The file's records must equal what the link stage decodes from the simulator's own
 * run (times in ns included); --count stops at that many packets; --duration ends by itself; Ctrl-C
 * (SIGINT) ends with a whole file tshark reads and the summary; SIGKILL leaves a file readable to
 * its last whole block; a server that goes away and comes back on the same port is reconnected,
 * with the gap recorded and counted; a ring of files holds the tail of a long run.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { decodeLink } from '../../src/link/stream.ts';
import { createLinkStage } from '../../src/link/select.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import type { BuddyRecord, TxnRecord } from '../../src/records/types.ts';
import { runScenario } from '../../src/sim/run.ts';
import { serveScenario, type ScenarioServer } from '../../src/sim/serve/server.ts';
import { captureCommand } from '../../src/cli/commands/capture.ts';
import { HAS_TSHARK, tshark } from '../pcapng/fixtures.ts';
import { canonical, collect, commandError, tempDir } from './helpers.ts';
import { serve, sizeOf, start, waitUntil, type Child } from './live-helpers.ts';

const expectedCache = new Map<string, BuddyRecord[]>();
/** What the link stage decodes from the scenario's own run (the simulator is deterministic). */
async function expected(scenario: string): Promise<BuddyRecord[]> {
  let e = expectedCache.get(scenario);
  if (!e) {
    e = await collect(decodeLink(runScenario(openScenario(scenario)).records, createLinkStage('buddy')));
    expectedCache.set(scenario, e);
  }
  return e;
}

async function readBack(file: string): Promise<{ records: BuddyRecord[]; truncatedAt: number | undefined }> {
  const stream = readRecordsFromPcapng(file, { markTruncation: false });
  const records = await collect(stream);
  return { records, truncatedAt: stream.status.truncatedAt };
}

/** tshark reads the file: exit 0, no complaint, one line per packet. */
function tsharkReads(file: string): number {
  const r = tshark(['-r', file]);
  assert.equal(r.status, 0, `tshark -r ${file}: ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /cut short|appears to be damaged|isn't a capture file/);
  return r.stdout.split('\n').filter((l) => l.trim()).length;
}

interface JsonSummary {
  records: number;
  packets: number;
  stoppedBy: string;
  gaps: number;
  files: string[];
  anomalies: Record<string, number>;
  live: { reconnects: number; gaps: number; bytes: number };
}

function summaryOf(c: Child): JsonSummary {
  const line = c.stdout.trim().split('\n').pop() ?? '';
  return JSON.parse(line) as JsonSummary;
}

/** The scenario served from this process at `speed` (Infinity: as fast as it runs). */
function serveHere(scenario: string, speed = Infinity, port = 0): Promise<ScenarioServer> {
  return serveScenario(openScenario(scenario), { speed, port }).then((s) => {
    servers.push(s);
    return s;
  });
}

/** Polls the file being captured until it holds `n` records (or `enough` says so). */
async function waitForRecords(file: string, n: number, cap: Child, enough?: (rs: BuddyRecord[]) => boolean): Promise<void> {
  let last: BuddyRecord[] = [];
  const until = Date.now() + 30_000;
  for (;;) {
    if (sizeOf(file) > 0) last = (await readBack(file)).records;
    if (enough ? enough(last) : last.length >= n) return;
    if (Date.now() > until) assert.fail(`the capture wrote ${last.length} records, waited for ${n}; stderr: ${cap.stderr}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const servers: ScenarioServer[] = [];
const children: Child[] = [];
function track<T extends Child>(c: T): T {
  children.push(c);
  return c;
}

after(() => {
  for (const s of servers) s.stop();
  for (const c of children) if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGKILL');
});

describe('capture --live against the simulator served on loopback', () => {
  const dir = tempDir('bs-live-');

  it('demo: --count N writes exactly the N records the simulator produced, times in ns included', async () => {
    const want = await expected('demo');
    const server = track(await serve('demo'));
    const file = path.join(dir, 'demo.pcapng');
    const cap = track(start(['capture', '--live', server.url, '-w', file, '--count', String(want.length), '--json']));
    const { code } = await cap.exit;
    assert.equal(code, 0, cap.stderr);
    const sum = summaryOf(cap);
    assert.equal(sum.stoppedBy, 'count');
    assert.equal(sum.packets, want.length);
    const back = await readBack(file);
    assert.equal(back.truncatedAt, undefined);
    assert.deepEqual(canonical(back.records), canonical(want));
    if (HAS_TSHARK) assert.equal(tsharkReads(file), want.length);
    await server.exit;
  });

  it('noisy-bus: Ctrl-C after the run ends leaves a whole file with every record, and prints the summary', async () => {
    const want = await expected('noisy-bus');
    assert.ok(want.some((r) => r.kind === 'anomaly'), 'the scenario has anomalies');
    const server = await serveHere('noisy-bus');
    const file = path.join(dir, 'noisy.pcapng');
    const cap = track(start(['capture', '--live', server.url, '-w', file]));
    // The server closes once the run is out and read; the capture keeps retrying until Ctrl-C.
    await server.done;
    await waitForRecords(file, want.length, cap);
    cap.proc.kill('SIGINT');
    const { code } = await cap.exit;
    assert.equal(code, 0, cap.stderr);
    assert.match(cap.stdout, new RegExp(`^${server.url.replace(/[.]/g, '\\.')} \\(live\\): ${want.length} records`, 'm'));
    assert.match(cap.stdout, /stopped: interrupted \(Ctrl-C\)/);
    assert.match(cap.stdout, /anomalies \d+: /);
    const back = await readBack(file);
    assert.equal(back.truncatedAt, undefined);
    assert.deepEqual(canonical(back.records), canonical(want));
  });

  it('Ctrl-C and SIGKILL mid-stream: a valid file holding the start of the run', async () => {
    const want = await expected('flood');
    for (const signal of ['SIGINT', 'SIGKILL'] as const) {
      // Half real time: the flood takes about 3 s, long enough to be cut.
      const server = await serveHere('flood', 0.5);
      const file = path.join(dir, `cut-${signal}.pcapng`);
      const cap = track(start(['capture', '--live', server.url, '-w', file, '--json']));
      await waitUntil('packets in the file', () => sizeOf(file) > 20_000, 30_000, [cap]);
      cap.proc.kill(signal);
      const { code, signal: by } = await cap.exit;
      server.stop();
      await server.done;
      const back = await readBack(file);
      assert.ok(back.records.length > 0 && back.records.length < want.length, `${signal}: ${back.records.length} of ${want.length} records`);
      assert.deepEqual(canonical(back.records), canonical(want.slice(0, back.records.length)), `${signal}: the start of the run`);
      if (signal === 'SIGINT') {
        assert.equal(code, 0, cap.stderr);
        assert.equal(back.truncatedAt, undefined, 'a clean end: no cut block');
        const sum = summaryOf(cap);
        assert.equal(sum.stoppedBy, 'interrupted');
        assert.equal(sum.packets, back.records.length);
        if (HAS_TSHARK) assert.equal(tsharkReads(file), back.records.length);
      } else {
        assert.equal(by, 'SIGKILL');
        // One write per batch: at most the last block can be cut; tshark reads what is there.
        if (HAS_TSHARK) {
          const r = tshark(['-r', file]);
          assert.equal(r.stdout.split('\n').filter((l) => l.trim()).length, back.records.length, r.stderr);
          if (back.truncatedAt === undefined) assert.equal(r.status, 0, r.stderr);
        }
      }
    }
  });

  it('a server that goes away and comes back is reconnected, the gap recorded and counted', async () => {
    const want = await expected('demo');
    const first = await serveHere('demo');
    const file = path.join(dir, 'gap.pcapng');
    const cap = track(start(['capture', '--live', first.url, '-w', file, '--json']));
    await first.done;
    await waitForRecords(file, want.length, cap);
    // The same port again: the capture's retries find the new server.
    const second = await serveHere('demo', Infinity, first.port);
    await second.done;
    // The second run's transactions: its frames may decode differently after the gap, its bytes not.
    await waitForRecords(file, want.length, cap, (rs) => rs.filter((r) => r.kind === 'txn').length >= 2 * want.filter((r) => r.kind === 'txn').length);
    cap.proc.kill('SIGINT');
    const { code } = await cap.exit;
    assert.equal(code, 0, cap.stderr);
    const sum = summaryOf(cap);
    assert.ok(sum.live.reconnects >= 1, `reconnects: ${JSON.stringify(sum.live)}`);
    assert.ok(sum.gaps >= 1 && sum.anomalies['capture-gap'] === sum.gaps, `gaps in the summary: ${JSON.stringify(sum)}`);

    const back = await readBack(file);
    assert.equal(back.truncatedAt, undefined);
    assert.deepEqual(canonical(back.records.slice(0, want.length)), canonical(want), 'the first run, exactly');
    const rest = back.records.slice(want.length);
    const gap = rest.findIndex((r) => r.kind === 'anomaly' && r.code === 'capture-gap');
    assert.ok(gap >= 0, 'a capture-gap anomaly after the first run');
    assert.ok(rest[gap].startNs >= want[want.length - 1].startNs, 'the gap comes after the first run in time');
    // The second run's transactions arrive intact, shifted by one constant offset in time.
    const txns = (rs: readonly BuddyRecord[]): TxnRecord[] => rs.filter((r): r is TxnRecord => r.kind === 'txn');
    const again = txns(rest);
    const orig = txns(want);
    assert.equal(again.length, orig.length, 'every transaction of the second run');
    const shift = again[0].startNs - orig[0].startNs;
    assert.ok(shift > 0);
    for (let i = 0; i < orig.length; i++) {
      assert.equal(again[i].startNs - orig[i].startNs, shift, `transaction ${i} time`);
      assert.deepEqual([...again[i].mosi, ...again[i].miso], [...orig[i].mosi, ...orig[i].miso], `transaction ${i} bytes`);
    }
  });

  it('--ring 3 --size 0.2: three files, each tshark-readable, together the tail of the run', async () => {
    const want = await expected('flood');
    const server = await serveHere('flood');
    const base = path.join(dir, 'ring', 'flood.pcapng');
    fs.mkdirSync(path.dirname(base));
    const cap = track(start(['capture', '--live', server.url, '-w', base, '--ring', '3', '--size', '0.2', '--count', String(want.length), '--json']));
    const { code } = await cap.exit;
    assert.equal(code, 0, cap.stderr);
    server.stop();
    const sum = summaryOf(cap);
    assert.equal(sum.packets, want.length);
    const names = fs.readdirSync(path.dirname(base)).sort();
    assert.equal(names.length, 3, names.join(' '));
    assert.deepEqual(sum.files.map((f) => path.basename(f)), names);
    for (const n of names) assert.match(n, /^flood_\d{5}_\d{14}\.pcapng$/);
    const kept: BuddyRecord[] = [];
    for (const n of names) {
      const f = path.join(path.dirname(base), n);
      const back = await readBack(f);
      assert.equal(back.truncatedAt, undefined);
      if (HAS_TSHARK) assert.equal(tsharkReads(f), back.records.length);
      kept.push(...back.records);
    }
    assert.ok(kept.length > 0 && kept.length < want.length, `${kept.length} of ${want.length} records kept`);
    assert.deepEqual(canonical(kept), canonical(want.slice(want.length - kept.length)), 'the kept files hold the tail of the run');
    await server.done;
  });

  it('--duration ends the capture by itself with a whole file', async () => {
    const want = await expected('flood');
    const server = await serveHere('flood', 0.2);
    const file = path.join(dir, 'dur.pcapng');
    const t0 = Date.now();
    const cap = track(start(['capture', '--live', server.url, '-w', file, '--duration', '1.5', '--json']));
    const { code } = await cap.exit;
    const took = Date.now() - t0;
    server.stop();
    await server.done;
    assert.equal(code, 0, cap.stderr);
    assert.ok(took >= 1500, `ran ${took} ms`);
    const sum = summaryOf(cap);
    assert.equal(sum.stoppedBy, 'duration');
    const back = await readBack(file);
    assert.equal(back.truncatedAt, undefined);
    assert.equal(back.records.length, sum.packets);
    assert.ok(back.records.length > 0 && back.records.length < want.length);
    assert.deepEqual(canonical(back.records), canonical(want.slice(0, back.records.length)));
  });

  it('refuses bad option combinations, naming the option', async () => {
    const out = path.join(dir, 'x.pcapng');
    for (const [args, message] of [
      [['capture', '--live', 'tcp://127.0.0.1:9', '-w', out, '--ring', '3'], /--ring and --size go together/],
      [['capture', '--live', 'tcp://127.0.0.1:9', '-w', out, '--ring', '0', '--size', '1'], /--ring must be a whole number of files > 0/],
      [['capture', '--live', 'tcp://127.0.0.1:9', '-w', out, '--count', '0'], /--count must be a whole number > 0/],
      [['capture', '--live', 'tcp://127.0.0.1:9', '-w', out, '--duration', '-1'], /--duration must be/],
      [['capture', 'demo', '--live', 'tcp://127.0.0.1:9', '-w', out], /not both/],
      [['capture', 'demo', '-w', out, '--ring', '2', '--size', '1'], /--ring only applies to a live capture/],
      [['capture', '-w', out], /name a capture file to convert, or a live source with --live/],
      [['capture', '--live', 'ftp://127.0.0.1:9', '-w', out], /^ftp:\/\/127\.0\.0\.1:9: /],
    ] as const) {
      const err = await commandError(captureCommand, args);
      assert.ok(err instanceof Error && (err.name === 'UserError' || err.name === 'SourceError'), `${args.join(' ')}: ${String(err)}`);
      assert.match(err.message, message);
    }
    assert.ok(!fs.existsSync(out), 'nothing written');
    // Through the real CLI: one line on stderr, exit 2.
    const c = start(['capture', '--live', 'tcp://127.0.0.1:9', '-w', out, '--count', '1.5']);
    const { code } = await c.exit;
    assert.equal(code, 2);
    assert.equal(c.stderr, 'buddyshark: --count must be a whole number > 0 (got 1.5)\n');
  });
});
