/**
 * The scenario format (captures/scenarios/*.json), as a zod schema. Every field is bounded by what
 * the protocol (docs/protocol.md) and WiFi allow, and every count, size and time so that the
 * simulator cannot fail on a scenario that passed: an SSID is 1-32 bytes of UTF-8 and a passphrase
 * 8-63 characters (the protocol's own connect schema, reused), channels 1-14, at most 64 access
 * points (a scan_result holds no more), an echo fits one control message (MAX_MESSAGE), a raw frame
 * one Ethernet payload (MAX_PAYLOAD), IPv4 octets 0-255, DNS names of labels up to 63 characters,
 * and no time past the simulator's 10-minute virtual-time limit.
 *
 * The format itself is described in scenario.ts; replay world files (src/replay/world.ts) extend it.
 */
import { z } from 'zod';
import { MAX_MESSAGE, MAX_PAYLOAD } from '../protocol/constants.ts';
import { encodeControl } from '../protocol/control.ts';
import { controlBodies, SECURITY, traceLevel } from '../protocol/control-schema.ts';

/** The simulator's hard stop (run.ts): a time beyond it could never happen in a run. */
export const MAX_VIRTUAL_MS = 600_000;
/** Steps in one scenario: far more than any test needs, few enough to keep a run's report readable. */
export const MAX_STEPS = 10_000;
/** A scan_result carries at most 64 access points (docs/protocol.md). */
export const MAX_APS = 64;
export const MAX_NAMES = 1_000;

/**
 * The largest echo the simulator can send: its reply (a code byte longer than the request) must fit
 * MAX_MESSAGE with the largest request id. Measured with the codec, for data long enough to need
 * the same 2-byte CBOR length a full-size echo has.
 */
export const MAX_ECHO_BYTES = MAX_MESSAGE - (encodeControl({ type: 'echo_reply', id: 0xffffffff, body: { data: new Uint8Array(256) } }).length - 256);

const ms = (max: number) => z.number().min(0).max(max);
const vtime = ms(MAX_VIRTUAL_MS);
const count = (max: number) => z.number().int().min(0).max(max);
/** One line of text: it goes into reports and file metadata. */
const line = (max: number) => z.string().max(max).regex(/^[^\x00-\x1f\x7f]*$/, 'must be one line of text without control characters');

const ssid = controlBodies.connect.shape.ssid;
const passphrase = controlBodies.connect.shape.passphrase;
const { channel, rssi } = controlBodies.connected.shape;

const OCTET = '(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const ipv4 = z.string().regex(new RegExp(`^${OCTET}(?:\\.${OCTET}){3}$`), 'must be an IPv4 address a.b.c.d with each part 0-255');
/** RFC 1035 host names (with `_`, which real networks use): labels of 1-63 characters, 253 in all. */
const LABEL = '[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?';
const dnsName = z.string().max(253, 'longer than 253 characters').regex(new RegExp(`^${LABEL}(?:\\.${LABEL})*\\.?$`), 'must be a DNS name: dot-separated labels of 1-63 letters, digits, - or _');
const hexBytes = (min: number, max: number) => z.string()
  .regex(/^(?:[0-9a-fA-F]{2})*$/, 'must be hex: pairs of 0-9a-f')
  .refine((h) => h.length / 2 >= min, `must hold at least ${min} byte(s)`)
  .refine((h) => h.length / 2 <= max, `must hold at most ${max} bytes`);

const expectSchema = z.object({ ok: z.boolean().default(true), code: line(64).optional() }).strict();
const base = { expect: expectSchema.optional(), label: line(128).optional() };

const step = z.discriminatedUnion('do', [
  z.object({ do: z.literal('scan'), ...base }).strict(),
  z.object({ do: z.literal('connect'), ssid, passphrase, ...base }).strict(),
  z.object({ do: z.literal('disconnect'), ...base }).strict(),
  z.object({ do: z.literal('dhcp'), ...base }).strict(),
  z.object({ do: z.literal('ping'), count: z.number().int().min(1).max(1000).default(1), target: ipv4.optional(), intervalMs: ms(60_000).default(200), ...base }).strict(),
  z.object({ do: z.literal('resolve'), name: dnsName, ...base }).strict(),
  z.object({ do: z.literal('wait'), ms: vtime, ...base }).strict(),
  z.object({ do: z.literal('reset'), hard: z.boolean().default(false), ...base }).strict(),
  z.object({ do: z.literal('set_trace_level'), level: traceLevel, ...base }).strict(),
  z.object({ do: z.literal('status'), ...base }).strict(),
  z.object({ do: z.literal('echo'), hex: hexBytes(0, MAX_ECHO_BYTES), ...base }).strict(),
  z.object({ do: z.literal('flood'), direction: z.enum(['tx', 'rx', 'both']), frames: z.number().int().min(1).max(100_000), size: z.number().int().min(60).max(1514).default(1514), ...base }).strict(),
  z.object({ do: z.literal('send_raw'), hex: hexBytes(1, MAX_PAYLOAD), ...base }).strict(),
]);

/** A fault's active span; `toMs` null runs to the end. */
const window = { fromMs: vtime.default(0), toMs: vtime.nullable().default(null) };
const windowInOrder = (w: { fromMs: number; toMs: number | null }): boolean => w.toMs === null || w.toMs >= w.fromMs;
const inOrder = { path: ['toMs'], message: 'must not be before fromMs' };

const faults = z.object({
  bitFlips: z.object({ rate: z.number().min(0).max(0.01), ...window }).strict().refine(windowInOrder, inOrder).optional(),
  csGlitches: z.object({ count: count(10_000), ...window }).strict().refine(windowInOrder, inOrder).optional(),
  csDrops: z.object({ count: count(10_000), ...window }).strict().refine(windowInOrder, inOrder).optional(),
  buddyResets: z.array(z.object({ atMs: vtime }).strict()).max(1_000).optional(),
  slowBuddy: z.object({ extraUs: ms(1_000_000), ...window }).strict().refine(windowInOrder, inOrder).optional(),
  linkLoss: z.object({ atMs: vtime, ssid: ssid.optional(), restoreMs: vtime.optional() }).strict()
    .refine((l) => l.restoreMs === undefined || l.restoreMs >= l.atMs, { path: ['restoreMs'], message: 'must not be before atMs' }).optional(),
}).strict();

const ap = z.object({
  ssid, bssid: z.string().regex(/^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/, 'must be a MAC address like 02:11:22:33:44:55').optional(), channel, rssi,
  // Kept a string type: a world derived from a capture carries whatever text the capture held.
  security: z.string().refine((v) => (SECURITY as readonly string[]).includes(v), `must be one of ${SECURITY.join(', ')}`).default('wpa2'), passphrase,
}).strict();

export const scenarioSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9][\w.-]{0,63}$/, 'must be 1-64 letters, digits, -, _ or ., starting with a letter or digit'),
  description: z.string().max(4096).optional(),
  seed: z.number().int().min(0).max(0xffffffff),
  bus: z.object({
    // docs/protocol.md: SCK 1-40 MHz.
    clockHz: z.number().min(1e6).max(40e6).optional(), turnaroundNs: ms(1_000_000).optional(), csGapNs: ms(1_000_000).optional(),
    cpol: z.union([z.literal(0), z.literal(1)]).optional(), cpha: z.union([z.literal(0), z.literal(1)]).optional(), irqOnly: z.boolean().optional(),
  }).strict().default({}),
  buddy: z.object({
    bootDelayMs: ms(60_000).optional(), processingDelayUs: ms(1_000_000).optional(), maxRequests: z.number().int().min(1).max(16).optional(),
    // Credits travel in a u8.
    wifiTxCapacity: z.number().int().min(1).max(255).optional(), rxQueueCapacity: z.number().int().min(1).max(4096).optional(),
    traceQueueCapacity: z.number().int().min(1).max(4096).optional(),
  }).strict().default({}),
  driver: z.object({ traceLevel: traceLevel.optional(), cpuCredit: z.number().int().min(1).max(255).optional() }).strict().default({}),
  world: z.object({
    aps: z.array(ap).max(MAX_APS).default([]),
    names: z.record(dnsName, ipv4).refine((n) => Object.keys(n).length <= MAX_NAMES, `at most ${MAX_NAMES} names`).default({}),
    // 802.11b's 1 Mbit/s up to the ESP32-C3's 150 Mbit/s (802.11n HT40).
    airRateMbps: z.number().min(1).max(150).optional(),
    mediumBusy: z.object({ meanIntervalMs: z.number().min(1).max(MAX_VIRTUAL_MS), minMs: ms(1_000), maxMs: ms(1_000) }).strict()
      .refine((b) => b.minMs <= b.maxMs, { path: ['maxMs'], message: 'must not be below minMs' }).nullable().optional(),
    backgroundMs: z.number().min(1).max(MAX_VIRTUAL_MS).nullable().optional(),
  }).strict().default({ aps: [], names: {} }),
  faults: faults.default({}),
  steps: z.array(step).min(1).max(MAX_STEPS),
  tailMs: ms(60_000).default(100),
}).strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioInput = z.input<typeof scenarioSchema>;
export type Step = Scenario['steps'][number];
export type Faults = Scenario['faults'];
