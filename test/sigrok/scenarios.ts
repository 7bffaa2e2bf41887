/**
 * What the sigrok and Saleae cross-checks share: every shipped scenario, exported by the CLI
 * (`simulate NAME -o x.sr -o x.analyzer.csv`), and buddyshark's own decode of an export
 * (`decode x --json`) reduced to what the Python decoders must agree on: messages (direction,
 * kind, type, request id) and anomalies (code, transaction) by transaction, and Ethernet frames.
 *
 * flood is exported shortened (its floods cut to FLOOD_FRAMES frames each way, every step kept):
 * the full 3.2 MB of transactions take sigrok's own Python SPI decoder about 2.5 minutes, and the
 * frames after the first few dozen exercise no rule the first ones do not.
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scenarioNames, scenarioPath } from '../../src/pipeline/scenario-path.ts';
import { BIN } from '../cli/helpers.ts';

const run = promisify(execFile);
export const FLOOD_FRAMES = 40;

export async function exec(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string> {
  return (await execBytes(cmd, args, env)).toString('utf8');
}

export async function execBytes(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Buffer> {
  const r = await run(cmd, [...args], { encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1', ...env } });
  return r.stdout;
}

/** Runs `tasks` at most `n` at a time (the machine has few cores); results in task order. */
export async function inPool<T>(n: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = new Array<T>(tasks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const k = next++;
      out[k] = await tasks[k]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, tasks.length) }, worker));
  return out;
}

interface StepJson {
  do: string;
  frames?: number;
}

/** The scenario file to simulate: the shipped one, or for flood a shortened copy in `dir`. */
export function scenarioFile(name: string, dir: string): string {
  const shipped = scenarioPath(name);
  if (!shipped) throw new Error(`no scenario ${name}`);
  const sc = JSON.parse(readFileSync(shipped, 'utf8')) as { steps: StepJson[] };
  if (!sc.steps.some((s) => s.do === 'flood' && (s.frames ?? 0) > FLOOD_FRAMES)) return shipped;
  sc.steps = sc.steps.map((s) => (s.do === 'flood' ? { ...s, frames: Math.min(s.frames ?? 0, FLOOD_FRAMES) } : s));
  const file = join(dir, `${name}-short.json`);
  writeFileSync(file, JSON.stringify(sc));
  return file;
}

export const SCENARIOS = scenarioNames();

/** Writes the scenario's exports with the CLI; returns their paths by extension. */
export async function exportScenario(name: string, dir: string, exts: readonly string[]): Promise<Record<string, string>> {
  const files = Object.fromEntries(exts.map((ext) => [ext, join(dir, `${name}.${ext}`)]));
  await exec(process.execPath, [BIN, 'simulate', scenarioFile(name, dir), ...Object.values(files).flatMap((f) => ['-o', f]), '--force']);
  return files;
}

export interface Txn {
  txn: number;
  startNs: number;
  endNs: number;
}
export interface MessageKey {
  txn: number;
  dir: string;
  kind: string;
  type?: string;
  id?: number;
}
export interface AnomalyKey {
  code: string;
  txn?: number;
}
export type TimedAnomaly = AnomalyKey & { ns: number };
export interface Reference {
  txns: Txn[];
  messages: MessageKey[];
  anomalies: TimedAnomaly[];
  ethernet: string[];
  /** Idle frames per direction. */
  idle: Record<string, number>;
}

interface JsonRecord {
  kind: string;
  txn?: number;
  startNs: number;
  endNs: number;
  dir?: string;
  channel?: number;
  code?: string;
  payload?: string;
  message?: string;
  decoded?: { kind: 'control'; msg: { type: string; id: number } } | { kind: 'trace'; event: { type: string } };
}

const KINDS: Readonly<Record<number, string>> = { 1: 'control', 2: 'ethernet', 3: 'trace', 4: 'bleHci' };

export function channelKind(channel: number): string {
  return KINDS[channel] ?? `reserved-${channel}`;
}

/** A message as the cross-checks compare it: control by type and id, trace by event type. */
function messageKey(r: JsonRecord): MessageKey {
  const kind = channelKind(r.channel ?? -1);
  const key: MessageKey = { txn: r.txn ?? -1, dir: r.dir ?? '', kind };
  if (kind === 'control') {
    if (r.decoded?.kind === 'control') {
      key.type = r.decoded.msg.type;
      key.id = r.decoded.msg.id;
    } else key.type = 'invalid';
  } else if (kind === 'trace') key.type = r.decoded?.kind === 'trace' ? r.decoded.event.type : 'invalid';
  return key;
}

/**
 * buddyshark's decode of `file`. A message still in reassembly when the capture ends is left out
 * (the only fragment-abandoned without a transaction): neither tool tells its decoder that a
 * capture ended.
 */
export async function reference(file: string): Promise<Reference> {
  const lines = (await exec(process.execPath, [BIN, 'decode', file, '--json'])).split('\n').filter((l) => l !== '');
  const recs = lines.map((l) => JSON.parse(l) as JsonRecord);
  return {
    txns: recs.filter((r) => r.kind === 'txn').map((r) => ({ txn: r.txn ?? -1, startNs: r.startNs, endNs: r.endNs })),
    messages: recs.filter((r) => r.kind === 'frame' && r.message !== undefined).map(messageKey),
    anomalies: recs
      .filter((r) => r.kind === 'anomaly' && !(r.code === 'fragment-abandoned' && r.txn === undefined))
      .map((r) => ({ code: r.code ?? '', ns: r.startNs, ...(r.txn === undefined ? {} : { txn: r.txn }) })),
    ethernet: recs.filter((r) => r.kind === 'frame' && r.channel === 2 && r.message !== undefined).map((r) => r.message ?? ''),
    idle: recs.filter((r) => r.kind === 'frame' && r.channel === 0 && r.payload === '').reduce<Record<string, number>>((n, r) => ({ ...n, [r.dir ?? '']: (n[r.dir ?? ''] ?? 0) + 1 }), {}),
  };
}

/** The transaction whose span holds `ns` (a tolerance of 2 ns absorbs the µs text of sigrok); -1 when none does. */
export function txnAt(txns: readonly Txn[], ns: number): number {
  let lo = 0;
  let hi = txns.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (txns[mid].endNs + 2 < ns) lo = mid + 1;
    else if (txns[mid].startNs - 2 > ns) hi = mid - 1;
    else return txns[mid].txn;
  }
  return -1;
}

/** Anomalies in a comparable order: by transaction (one with none placed by its time), then code. */
export function anomalyOrder(txns: readonly Txn[], items: readonly TimedAnomaly[]): AnomalyKey[] {
  const before = (ns: number): number => txns.filter((t) => t.startNs <= ns).length - 0.5;
  return items
    .map((a) => ({ a, key: a.txn ?? before(a.ns) }))
    .sort((x, y) => x.key - y.key || x.a.code.localeCompare(y.a.code))
    .map(({ a }) => (a.txn === undefined ? { code: a.code } : { code: a.code, txn: a.txn }));
}
