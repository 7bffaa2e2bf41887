/**
 * Extcap captures into a real fifo (mkfifo), fed by the simulator serving a scenario as a bridge:
 * the fifo holds exactly the records the simulator decodes itself; SIGTERM mid-capture ends the
 * run with exit 0 and a complete pcapng; SIGTERM before any reader opened the fifo still exits;
 * stdout stays empty throughout; a failed connection is an error after a valid, empty pcapng.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { runExtcapCapture } from '../../src/extcap/capture.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import { serveScenario, type ScenarioServer } from '../../src/sim/serve/server.ts';
import { canonical, collect, tempDir } from '../cli/helpers.ts';
import { expectedRecords, startCli, waitForOutput } from './helpers.ts';

const dir = tempDir('bs-extcap-fifo-');
let fifoCount = 0;
function fifo(): string {
  const path = join(dir, `fifo${fifoCount++}`);
  const r = spawnSync('mkfifo', [path]);
  assert.equal(r.status, 0, 'mkfifo');
  return path;
}

/** Reads a fifo to its end; `chunks` counts reads so far, for tests that act mid-stream. */
function readFifo(path: string): { bytes: Promise<Buffer>; chunks: () => number } {
  const parts: Buffer[] = [];
  const stream = createReadStream(path);
  stream.on('data', (b) => parts.push(b as Buffer));
  const bytes = new Promise<Buffer>((resolve, reject) => {
    stream.on('end', () => resolve(Buffer.concat(parts)));
    stream.on('error', reject);
  });
  return { bytes, chunks: () => parts.length };
}

async function recordsOf(bytes: Buffer): Promise<{ records: string[]; truncatedAt: number | undefined }> {
  const src = readRecordsFromPcapng(Readable.from([bytes]));
  const records = canonical(await collect(src));
  return { records, truncatedAt: src.status.truncatedAt };
}

const servers: ScenarioServer[] = [];
async function serve(opts: { speed: number; loop: boolean }): Promise<ScenarioServer> {
  const s = await serveScenario(openScenario('demo'), { ...opts, keepaliveMs: 200 });
  servers.push(s);
  return s;
}
after(() => {
  for (const s of servers) s.stop();
});

const WIRESHARK_FLAGS = ['--extcap-interface', 'buddyshark', '--extcap-capture-filter', '', '--extcap-control-in', '/nonexistent/in', '--future-flag'];

describe('extcap capture into a fifo', { concurrency: true }, () => {
  it('writes exactly the records the simulator decodes, and nothing to stdout', async () => {
    const expected = await expectedRecords('demo');
    const s = await serve({ speed: Infinity, loop: false });
    const path = fifo();
    const run = startCli(['extcap', '--capture', '--fifo', path, '--source', s.url, '--reconnect', 'false', ...WIRESHARK_FLAGS]);
    const got = await recordsOf(await readFifo(path).bytes);
    assert.equal(await run.exited, 0, run.stderr());
    assert.equal(run.stdout(), '');
    assert.equal(run.stderr(), '');
    assert.equal(got.truncatedAt, undefined);
    assert.ok(expected.length > 100);
    assert.deepEqual(got.records, expected);
  });

  it('stops on SIGTERM mid-capture with exit 0 and a complete pcapng', async () => {
    const expected = await expectedRecords('demo');
    // A quarter of real time: the 1.8 s scenario takes 7 s, far longer than the wait below.
    const s = await serve({ speed: 0.25, loop: false });
    const path = fifo();
    const run = startCli(['extcap', '--capture', '--fifo', path, '--source', s.url, '--raw', 'true', ...WIRESHARK_FLAGS]);
    const reader = readFifo(path);
    // The header arrives first, then one chunk per record batch: wait for a couple of batches.
    while (reader.chunks() < 3) await new Promise((r) => setTimeout(r, 20));
    run.child.kill('SIGTERM');
    const [bytes, status] = await Promise.all([reader.bytes, run.exited]);
    assert.equal(status, 0, run.stderr());
    assert.equal(run.stdout(), '');
    assert.equal(run.stderr(), '');
    const got = await recordsOf(bytes);
    assert.equal(got.truncatedAt, undefined, 'the pcapng ends on a block boundary');
    // A paced run stopped early: the start of the scenario, up to the stop (the last instant may
    // hold part of a group of simultaneous records, and the end checks may add an anomaly).
    assert.ok(got.records.length >= 3 && got.records.length < expected.length, `${got.records.length} records`);
    const n = got.records.length - 2;
    assert.deepEqual(got.records.slice(0, n), expected.slice(0, n));
  });

  it('exits on SIGTERM while no reader has opened the fifo yet', async () => {
    const path = fifo();
    const run = startCli(['extcap', '--capture', '--fifo', path, '--source', 'tcp://127.0.0.1:9', '--debug', ...WIRESHARK_FLAGS]);
    await waitForOutput(run.stderr, /waiting for the reader of /);
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
    assert.equal(run.stdout(), '');
  });

  it('reports a refused connection after a valid, empty pcapng (no reconnect)', async () => {
    const path = fifo();
    const reader = readFifo(path);
    const ac = new AbortController();
    await assert.rejects(
      runExtcapCapture({ fifo: path, source: 'tcp://127.0.0.1:9', baud: 921600, raw: true, reconnect: false, signal: ac.signal }),
      (e: unknown) => e instanceof Error && e.message.includes('tcp://127.0.0.1:9'),
    );
    const got = await recordsOf(await reader.bytes);
    assert.equal(got.truncatedAt, undefined);
    assert.deepEqual(got.records, []);
  });

  it('ends quietly when the reader goes away mid-capture', async () => {
    const s = await serve({ speed: 0.25, loop: false });
    const path = fifo();
    const stream = createReadStream(path);
    let chunks = 0;
    stream.on('data', () => {
      // After a few batches the reader (Wireshark) is gone: the next write meets a closed pipe.
      if (++chunks === 3) stream.destroy();
    });
    const result = await runExtcapCapture({ fifo: path, source: s.url, baud: 921600, raw: true, reconnect: false, signal: new AbortController().signal });
    assert.equal(result.readerGone, true);
    assert.equal(result.counts, null);
    assert.ok(result.stats !== null && result.stats.records > 0);
  });

  it('refuses standard input as a source before touching the fifo', async () => {
    await assert.rejects(
      runExtcapCapture({ fifo: join(dir, 'never'), source: '-', baud: 921600, raw: true, reconnect: false, signal: new AbortController().signal }),
      /standard input is Wireshark's, not a bridge/,
    );
  });
});
