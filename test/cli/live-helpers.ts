/**
 * Helpers for the live tests. Stand-ins for live sources (capture-loop tests): a LiveSource over
 * any batch stream (a simulator run, hand-made records, an endless ticking stream) honouring the
 * contract's stop(): the stream ends after the batch in hand, even while the underlying stream is
 * waiting. And for the end-to-end tests: processes of the CLI (a served scenario, a capture) with
 * their output, and polling.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { statSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BuddyRecord, TxnRecord } from '../../src/records/types.ts';
import type { LiveSource, LiveStats } from '../../src/sources/live/types.ts';
import { BIN, ROOT } from './helpers.ts';

export function fakeLive(batches: AsyncIterable<readonly BuddyRecord[]>, name = 'fake://bridge'): LiveSource & { stopped: () => boolean } {
  let stopped = false;
  let wake: (() => void) | null = null;
  const stopping = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const stats: LiveStats = { bytes: 0, packets: 0, records: 0, resyncs: 0, badPackets: 0, gaps: 0, reconnects: 0, backlog: 0 };
  async function* records(): AsyncGenerator<readonly BuddyRecord[]> {
    const it = batches[Symbol.asyncIterator]();
    try {
      while (!stopped) {
        const next = await Promise.race([it.next(), stopping.then(() => null)]);
        if (next === null || next.done) return;
        stats.records += next.value.length;
        stats.gaps += next.value.filter((r) => r.kind === 'anomaly' && r.code === 'capture-gap').length;
        yield next.value;
      }
    } finally {
      void it.return?.();
    }
  }
  return {
    name, stats, records: records(),
    stop() {
      stopped = true;
      wake?.();
    },
    stopped: () => stopped,
  };
}

/** A raw transaction carrying one idle link frame each way is not needed here: plain bytes do. */
export function txn(i: number): TxnRecord {
  return { kind: 'txn', txn: i, startNs: i * 50_000, endNs: i * 50_000 + 20_000, mosi: new Uint8Array(16).fill(i & 0xff), miso: new Uint8Array(16) };
}

/** An endless source: a batch of `per` transactions every `everyMs`. */
export async function* ticking(per = 10, everyMs = 5): AsyncGenerator<BuddyRecord[]> {
  for (let i = 0; ; i += per) {
    await new Promise((r) => setTimeout(r, everyMs));
    yield Array.from({ length: per }, (_, k) => txn(i + k));
  }
}

export async function* fromArray(batches: readonly (readonly BuddyRecord[])[]): AsyncGenerator<readonly BuddyRecord[]> {
  for (const b of batches) yield b;
}

/** A process started by a test, with its output so far and its exit. */
export interface Child {
  readonly proc: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function start(args: readonly string[], cwd = ROOT): Child {
  const proc = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const child: Child = {
    proc, stdout: '', stderr: '',
    exit: new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal }))),
  };
  proc.stdout?.on('data', (d: Buffer) => (child.stdout += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (child.stderr += d.toString()));
  return child;
}

/** Polls until `ok` holds; fails with `what` (and the children's stderr) after timeoutMs. */
export async function waitUntil(what: string, ok: () => boolean, timeoutMs = 30_000, children: readonly Child[] = []): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${children.map((c) => `\nstderr: ${c.stderr}`).join('')}`);
    await sleep(25);
  }
}

/** `simulate <scenario> --serve tcp://127.0.0.1:<port> --json`: resolves once it listens, with its URL. */
export async function serve(scenario: string, opts: { port?: number; speed?: string; extra?: readonly string[] } = {}): Promise<Child & { url: string; port: number }> {
  const c = start(['simulate', scenario, '--serve', `tcp://127.0.0.1:${opts.port ?? 0}`, '--speed', opts.speed ?? 'max', '--json', ...(opts.extra ?? [])]);
  await waitUntil(`the ${scenario} server to listen`, () => c.stdout.includes('\n') || c.proc.exitCode !== null, 30_000, [c]);
  const first = JSON.parse(c.stdout.split('\n')[0]) as { url: string; port: number };
  return Object.assign(c, { url: first.url, port: first.port });
}

/** Size of a file, 0 when it does not exist yet. */
export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
