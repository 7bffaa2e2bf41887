/** Shared helpers for tests that run whole pipelines: temp dirs, collecting streams, the CLI. */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yargs, { type CommandModule } from 'yargs';
import { recordToJson, type Json } from '../../src/records/json.ts';
import type { BuddyRecord } from '../../src/records/types.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const BIN = join(ROOT, 'bin/buddyshark.js');

export function tempDir(prefix = 'bs-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function collect(stream: AsyncIterable<readonly BuddyRecord[]>): Promise<BuddyRecord[]> {
  const out: BuddyRecord[] = [];
  for await (const b of stream) out.push(...b);
  return out;
}

export function asJson(records: readonly BuddyRecord[]): Json[] {
  return records.map((r) => recordToJson(r));
}

export function cli(args: readonly string[], opts: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8', input: opts.input ?? '', cwd: opts.cwd ?? ROOT, env: { ...process.env, NO_COLOR: '1', ...opts.env }, maxBuffer: 256 * 1024 * 1024,
  });
}

export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

function sortedKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortedKeys);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortedKeys(v[k])]));
  return v;
}

/**
 * Records as comparable text: keys sorted, and records that start at the same instant in a fixed
 * order (the order of simultaneous edges on different lines carries no meaning).
 */
export function canonical(records: readonly BuddyRecord[]): string[] {
  const lines = records.map((r) => ({ t: r.startNs, s: JSON.stringify(sortedKeys(recordToJson(r))) }));
  const out: string[] = [];
  for (let i = 0; i < lines.length; ) {
    let j = i;
    while (j < lines.length && lines[j].t === lines[i].t) j++;
    out.push(...lines.slice(i, j).map((x) => x.s).sort());
    i = j;
  }
  return out;
}

/** Runs one command's option checks and handler in this process, as main.ts would; the error it throws, or null. */
export async function commandError<U>(command: CommandModule<object, U>, args: readonly string[]): Promise<unknown> {
  try {
    await yargs([...args]).command(command).strict().fail(false).exitProcess(false).parseAsync();
    return null;
  } catch (err) {
    return err;
  }
}
