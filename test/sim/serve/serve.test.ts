/**
 * The simulator as a bridge, end to end over loopback TCP: what a client receives from
 * `buddyshark simulate <scenario> --serve` (a child process) equals the simulator's own record
 * stream, record for record with the same ns times; --speed 1 takes about the scenario's virtual
 * time; a slow client gets DROP reports (capture-gap anomalies) instead of unbounded memory;
 * --loop restarts with a bridge reset; SIGTERM stops it cleanly.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { openScenario } from '../../../src/pipeline/scenario-path.ts';
import { recordToJson } from '../../../src/records/json.ts';
import type { AnomalyRecord, BuddyRecord } from '../../../src/records/types.ts';
import { runScenario } from '../../../src/sim/index.ts';
import { parseServeAddress, parseSpeed } from '../../../src/sim/serve/address.ts';
import { serveScenario } from '../../../src/sim/serve/server.ts';
import { openLiveSource } from '../../../src/sources/live/open.ts';
import { BIN, cli, collect } from '../../cli/helpers.ts';

const children: ChildProcess[] = [];
after(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

interface Served {
  child: ChildProcess;
  url: string;
  lines: string[];
  exit: Promise<number | null>;
}

/** Starts `simulate ... --serve` and waits for the JSON line naming its address. */
async function startServe(args: string[]): Promise<Served> {
  const child = spawn(process.execPath, [BIN, 'simulate', ...args, '--serve', 'tcp://127.0.0.1:0', '--json'], { env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const lines: string[] = [];
  const rl = createInterface({ input: child.stdout! });
  const first = await new Promise<string>((resolve, reject) => {
    rl.on('line', (l) => {
      if (lines.push(l) === 1) resolve(l);
    });
    void exit.then((code) => reject(new Error(`simulate --serve exited (${code}) before listening: ${stderr}`)));
  });
  const ev = JSON.parse(first) as { event: string; url: string; port: number };
  assert.equal(ev.event, 'listening');
  assert.ok(ev.port > 0);
  return { child, url: ev.url, lines, exit };
}

const asJson = (rs: readonly BuddyRecord[]): string[] => rs.map((r) => JSON.stringify(recordToJson(r)));

async function simRecords(name: string): Promise<BuddyRecord[]> {
  return collect(runScenario(openScenario(name)).records);
}

describe('simulate --serve over loopback TCP', () => {
  for (const name of ['demo', 'noisy-bus']) {
    it(`${name}: a client receives exactly the simulator's record stream`, async () => {
      const want = await simRecords(name);
      const s = await startServe([name, '--speed', 'max']);
      const live = await openLiveSource(s.url, { reconnect: false });
      const got = await collect(live.records);
      assert.deepEqual(asJson(got), asJson(want));
      assert.equal(await s.exit, 0);
      const report = JSON.parse(s.lines[s.lines.length - 1]) as { scenario: string; passed: boolean; serve: { clients: number; dropped: number; records: number } };
      assert.equal(report.scenario, name);
      assert.deepEqual([report.serve.clients, report.serve.dropped, report.serve.records], [1, 0, want.length]);
    });
  }

  it('--speed 1 paces the run against the wall clock, and every client gets the broadcast', async () => {
    const want = await simRecords('demo');
    const virtualMs = want[want.length - 1].startNs / 1e6;
    const s = await startServe(['demo', '--speed', '1']);
    const t0 = performance.now();
    const [a, b] = await Promise.all([openLiveSource(s.url, { reconnect: false }), openLiveSource(s.url, { reconnect: false })]);
    const [gotA, gotB] = await Promise.all([collect(a.records), collect(b.records)]);
    const wallMs = performance.now() - t0;
    assert.ok(wallMs >= virtualMs * 0.8, `took ${wallMs.toFixed(0)} ms for ${virtualMs.toFixed(0)} ms of virtual time`);
    assert.ok(wallMs <= virtualMs + 10_000, `took ${wallMs.toFixed(0)} ms for ${virtualMs.toFixed(0)} ms of virtual time`);
    // The run starts at the first connection: the other client may join a moment later.
    const [first, second] = asJson(gotA).length >= asJson(gotB).length ? [gotA, gotB] : [gotB, gotA];
    assert.deepEqual(asJson(first), asJson(want));
    assert.ok(second.length >= want.length - 5, `second client got ${second.length} of ${want.length}`);
    assert.deepEqual(asJson(second), asJson(want.slice(want.length - second.length)));
    assert.equal(await s.exit, 0);
  });

  it('stops cleanly on SIGTERM, closing its clients', async () => {
    const s = await startServe(['flood', '--speed', '1']);
    const live = await openLiveSource(s.url, { reconnect: false });
    const got: BuddyRecord[] = [];
    const reading = (async () => {
      for await (const b of live.records) got.push(...b);
    })();
    await new Promise((r) => setTimeout(r, 400));
    s.child.kill('SIGTERM');
    assert.equal(await s.exit, 0);
    await reading;
    assert.ok(got.length > 0);
    const last = JSON.parse(s.lines[s.lines.length - 1]) as { event: string; serve: { stopped: boolean; runs: number } };
    assert.deepEqual([last.event, last.serve.stopped, last.serve.runs], ['stopped', true, 0]);
  });

  it('refuses a non-loopback address without --listen, and serve options without --serve', () => {
    const r = cli(['simulate', 'demo', '--serve', 'tcp://0.0.0.0:0']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /0\.0\.0\.0 is not a loopback address; add --listen/);
    assert.equal(r.stderr.trim().split('\n').length, 1);
    const l = cli(['simulate', 'demo', '--loop']);
    assert.equal(l.status, 2);
    assert.match(l.stderr, /--loop needs --serve/);
  });

  it('parses --serve addresses and --speed', () => {
    assert.deepEqual(parseServeAddress('7878', false), { host: '127.0.0.1', port: 7878 });
    assert.deepEqual(parseServeAddress('tcp://[::1]:0', false), { host: '::1', port: 0 });
    assert.deepEqual(parseServeAddress('localhost:9', false), { host: 'localhost', port: 9 });
    assert.deepEqual(parseServeAddress('tcp://0.0.0.0:7878', true), { host: '0.0.0.0', port: 7878 });
    assert.match(String(parseServeAddress('10.1.2.3:7878', false)), /not a loopback address; add --listen/);
    assert.match(String(parseServeAddress('tcp://h:70000', false)), /out of range/);
    assert.match(String(parseServeAddress('x', false)), /expected tcp:\/\/HOST:PORT/);
    assert.equal(parseSpeed('max'), Infinity);
    assert.equal(parseSpeed('2.5'), 2.5);
    for (const bad of ['0', '-1', 'fast']) assert.match(String(parseSpeed(bad)), /--speed must be a positive number or "max"/);
  });
});

describe('serveScenario', () => {
  it('gives a slow client DROP reports (capture-gap anomalies) that account for every lost record', async () => {
    const sc = openScenario('flood');
    const want = (await collect(runScenario(sc).records)).filter((r) => r.kind !== 'anomaly' || r.code === 'cs-glitch').length;
    const server = await serveScenario(sc, { speed: Infinity, maxQueuedBytes: 64 * 1024 });
    const live = await openLiveSource(server.url, { reconnect: false, maxBacklog: 64 });
    let got = 0;
    let lost = 0;
    let gaps = 0;
    let first = true;
    let peak = 0;
    for await (const batch of live.records) {
      // A consumer that stalls after its first batch until the server has had to drop, then
      // catches up; the stalled reader holds no more than its backlog bound.
      for (const r of batch) {
        if (r.kind === 'anomaly' && r.code === 'capture-gap') {
          gaps++;
          lost += (r as AnomalyRecord).count ?? 0;
        } else got++;
      }
      if (first) {
        first = false;
        for (let t = 0; t < 2000 && server.progress().dropped === 0; t++) await new Promise((r) => setTimeout(r, 10));
      }
      peak = Math.max(peak, live.stats.backlog);
    }
    const result = await server.done;
    assert.ok(result.dropped > 0, 'the server dropped for the stalled client');
    assert.ok(peak <= 64 + 2000, `client backlog peaked at ${peak}`);
    assert.ok(gaps > 0, 'the slow client was told it lost records');
    assert.equal(lost, result.dropped);
    assert.equal(got + lost, want);
  });

  it('--loop restarts the scenario; clients see a bridge reset and time keeps going forward', async () => {
    const one = (await simRecords('demo')).length;
    const server = await serveScenario(openScenario('demo'), { speed: Infinity, loop: true });
    const live = await openLiveSource(server.url, { reconnect: false });
    const got: BuddyRecord[] = [];
    for await (const b of live.records) {
      got.push(...b);
      if (got.filter((r) => r.kind === 'anomaly' && r.code === 'bridge-reset').length >= 2) break;
    }
    server.stop();
    const result = await server.done;
    assert.ok(result.stopped && result.runs >= 2);
    const resets = got.flatMap((r, i) => (r.kind === 'anomaly' && r.code === 'bridge-reset' ? [i] : []));
    assert.equal(resets[0], one, 'the first reset comes right after one whole run');
    for (let i = 1; i < got.length; i++) assert.ok(got[i].startNs >= got[i - 1].startNs, `time order at ${i}`);
    const txns = got.filter((r) => r.kind === 'txn');
    for (let i = 1; i < txns.length; i++) assert.ok(txns[i].kind === 'txn' && txns[i - 1].kind === 'txn' && (txns[i] as { txn: number }).txn > (txns[i - 1] as { txn: number }).txn);
  });
});
