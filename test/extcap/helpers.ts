/** Helpers for the extcap tests: the CLI run asynchronously (so runs overlap), and expected records. */
import { spawn, type ChildProcess } from 'node:child_process';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { decodeLink } from '../../src/link/stream.ts';
import { createLinkStage } from '../../src/link/select.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { runScenario } from '../../src/sim/index.ts';
import { BIN, canonical, collect, ROOT } from '../cli/helpers.ts';

export interface Run {
  readonly child: ChildProcess;
  readonly stdout: () => string;
  readonly stderr: () => string;
  /** Exit code (a signal name when killed by one). */
  readonly exited: Promise<number | string>;
}

export function startCli(args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (out += s));
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (err += s));
  const exited = new Promise<number | string>((resolve) => child.on('close', (code, sig) => resolve(code ?? sig ?? -1)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function cliResult(args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<{ status: number | string; stdout: string; stderr: string }> {
  const r = startCli(args, env);
  const status = await r.exited;
  return { status, stdout: r.stdout(), stderr: r.stderr() };
}

/** What the simulator itself decodes for a scenario: the records a perfect live capture holds. */
export async function expectedRecords(scenario: string, keep: (r: BuddyRecord) => boolean = () => true): Promise<string[]> {
  return canonical((await collect(decodeLink(runScenario(openScenario(scenario)).records, createLinkStage('buddy')))).filter(keep));
}

/** Resolves when `stream` (stderr) has printed a line matching `re`, or rejects after `ms`. */
export function waitForOutput(read: () => string, re: RegExp, ms = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = setInterval(() => {
      if (re.test(read())) {
        clearInterval(tick);
        resolve();
      } else if (Date.now() - started > ms) {
        clearInterval(tick);
        reject(new Error(`no output matching ${re} within ${ms} ms; got: ${read()}`));
      }
    }, 20);
  });
}
