/**
 * Scenario files (captures/scenarios/*.json): a seed, bus/buddy/driver/world settings, steps, faults
 * and per-step expectations. Validated with zod; a bad file throws a SourceError naming the file and
 * the field (e.g. `demo.json: steps.3.count: expected number`).
 *
 * Example:
 *   { "name": "demo", "seed": 1, "world": { "aps": [{ "ssid": "lab", "channel": 6, "rssi": -50,
 *     "security": "wpa2", "passphrase": "correct horse" }], "names": { "buddy.local": "10.0.0.7" } },
 *     "steps": [{ "do": "scan" }, { "do": "connect", "ssid": "lab", "passphrase": "correct horse" },
 *     { "do": "dhcp" }, { "do": "ping", "count": 3 }, { "do": "resolve", "name": "buddy.local" }] }
 */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { z } from 'zod';
import { SourceError } from '../sources/errors.ts';

const expectSchema = z.object({ ok: z.boolean().default(true), code: z.string().optional() }).strict();
const base = { expect: expectSchema.optional(), label: z.string().optional() };

const step = z.discriminatedUnion('do', [
  z.object({ do: z.literal('scan'), ...base }).strict(),
  z.object({ do: z.literal('connect'), ssid: z.string().min(1), passphrase: z.string().optional(), ...base }).strict(),
  z.object({ do: z.literal('disconnect'), ...base }).strict(),
  z.object({ do: z.literal('dhcp'), ...base }).strict(),
  z.object({ do: z.literal('ping'), count: z.number().int().min(1).max(1000).default(1), target: z.string().optional(), intervalMs: z.number().min(0).default(200), ...base }).strict(),
  z.object({ do: z.literal('resolve'), name: z.string().min(1), ...base }).strict(),
  z.object({ do: z.literal('wait'), ms: z.number().min(0), ...base }).strict(),
  z.object({ do: z.literal('reset'), hard: z.boolean().default(false), ...base }).strict(),
  z.object({ do: z.literal('set_trace_level'), level: z.number().int().min(0).max(4).nullable(), ...base }).strict(),
  z.object({ do: z.literal('status'), ...base }).strict(),
  z.object({ do: z.literal('echo'), hex: z.string().regex(/^([0-9a-fA-F]{2})*$/), ...base }).strict(),
  z.object({ do: z.literal('flood'), direction: z.enum(['tx', 'rx', 'both']), frames: z.number().int().min(1).max(100_000), size: z.number().int().min(60).max(1514).default(1514), ...base }).strict(),
  z.object({ do: z.literal('send_raw'), hex: z.string().regex(/^([0-9a-fA-F]{2})+$/), ...base }).strict(),
]);

const window = { fromMs: z.number().min(0).default(0), toMs: z.number().min(0).nullable().default(null) };

const faults = z.object({
  bitFlips: z.object({ rate: z.number().min(0).max(0.01), ...window }).strict().optional(),
  csGlitches: z.object({ count: z.number().int().min(0), ...window }).strict().optional(),
  csDrops: z.object({ count: z.number().int().min(0), ...window }).strict().optional(),
  buddyResets: z.array(z.object({ atMs: z.number().min(0) }).strict()).optional(),
  slowBuddy: z.object({ extraUs: z.number().min(0), ...window }).strict().optional(),
  linkLoss: z.object({ atMs: z.number().min(0), ssid: z.string().optional(), restoreMs: z.number().min(0).optional() }).strict().optional(),
}).strict();

const ap = z.object({
  ssid: z.string().min(1), bssid: z.string().regex(/^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/).optional(), channel: z.number().int().min(1).max(14),
  rssi: z.number().int().min(-100).max(0), security: z.string().default('wpa2'), passphrase: z.string().optional(),
}).strict();

export const scenarioSchema = z.object({
  name: z.string().min(1),
  description: z.string().optional(),
  seed: z.number().int().min(0).max(0xffffffff),
  bus: z.object({
    clockHz: z.number().positive().optional(), turnaroundNs: z.number().min(0).optional(), csGapNs: z.number().min(0).optional(),
    cpol: z.union([z.literal(0), z.literal(1)]).optional(), cpha: z.union([z.literal(0), z.literal(1)]).optional(), irqOnly: z.boolean().optional(),
  }).strict().default({}),
  buddy: z.object({
    bootDelayMs: z.number().min(0).optional(), processingDelayUs: z.number().min(0).optional(), maxRequests: z.number().int().min(1).max(16).optional(),
    wifiTxCapacity: z.number().int().min(1).max(255).optional(), rxQueueCapacity: z.number().int().min(1).optional(), traceQueueCapacity: z.number().int().min(1).optional(),
  }).strict().default({}),
  driver: z.object({ traceLevel: z.number().int().min(0).max(4).nullable().optional(), cpuCredit: z.number().int().min(1).max(255).optional() }).strict().default({}),
  world: z.object({
    aps: z.array(ap).default([]),
    names: z.record(z.string(), z.string().regex(/^\d+\.\d+\.\d+\.\d+$/)).default({}),
    airRateMbps: z.number().positive().optional(),
    mediumBusy: z.object({ meanIntervalMs: z.number().positive(), minMs: z.number().min(0), maxMs: z.number().min(0) }).strict().nullable().optional(),
    backgroundMs: z.number().positive().nullable().optional(),
  }).strict().default({ aps: [], names: {} }),
  faults: faults.default({}),
  steps: z.array(step).min(1),
  tailMs: z.number().min(0).default(100),
}).strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Step = Scenario['steps'][number];
export type Faults = Scenario['faults'];

/** Validates parsed JSON; `source` names the file in errors. */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const r = scenarioSchema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue && issue.path.length ? issue.path.join('.') : '(root)';
  throw new SourceError(source, where, issue ? issue.message : 'invalid scenario');
}

export function loadScenario(path: string): Scenario {
  const name = basename(path);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new SourceError(name, '(file)', err instanceof Error ? err.message : String(err));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SourceError(name, '(json)', err instanceof Error ? err.message : String(err));
  }
  return parseScenario(json, name);
}
