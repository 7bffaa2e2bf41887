/**
 * Trace channel codec: mnemos trace-proto's target-to-host `TraceEvent` variants, carried as a CBOR
 * array [variant, body]. Variant numbers are trace-proto's discriminants, so a bridge to crowtty
 * maps them one to one. Inside a CRC-checked, length-delimited frame no COBS is needed.
 */
import { z } from 'zod';
import { cborDecode, cborEncode } from './cbor.ts';
import { traceLevel } from './control-schema.ts';
import { fail, ok, type Result } from './errors.ts';
import { issueText } from './control.ts';

/** trace-proto ids are NonZeroU64: a number while safe, a bigint beyond 2^53 (see cbor.ts). */
const id = z.union([z.number().int().min(1), z.bigint().min(1n).max(0xffff_ffff_ffff_ffffn)]);
const count = z.number().int().min(0);
/** Any f64 a firmware may log, NaN and infinities included (z.number() would refuse those). */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'expected a number');
const fieldValue = z.union([z.string(), anyNumber, z.bigint(), z.boolean(), z.null()]);
const fields = z.record(z.string(), fieldValue);

export const TRACE_LEVEL_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

export const traceBodies = {
  heartbeat: z.object({ max_level: traceLevel.optional() }).strict(),
  register_meta: z.object({
    id, name: z.string(), target: z.string(), level: z.number().int().min(0).max(4),
    kind: z.enum(['event', 'span']), file: z.string().optional(), line: count.optional(), fields: z.array(z.string()),
  }).strict(),
  event: z.object({ meta: id, parent: id.optional(), fields }).strict(),
  new_span: z.object({ id, meta: id, parent: id.optional(), is_root: z.boolean(), fields }).strict(),
  enter: z.object({ id }).strict(),
  exit: z.object({ id }).strict(),
  clone_span: z.object({ id }).strict(),
  drop_span: z.object({ id }).strict(),
  discarded: z.object({ new_spans: count, span_activity: count, events: count, metas: count }).strict(),
} as const;

export type TraceType = keyof typeof traceBodies;
export const TRACE_VARIANTS: readonly TraceType[] = [
  'heartbeat', 'register_meta', 'event', 'new_span', 'enter', 'exit', 'clone_span', 'drop_span', 'discarded',
];

export type TraceEvent = {
  [T in TraceType]: { readonly type: T; readonly body: z.infer<(typeof traceBodies)[T]> };
}[TraceType];
export interface UnknownTraceEvent {
  readonly type: 'unknown';
  readonly variant: number;
  readonly body: unknown;
}
export type DecodedTrace = TraceEvent | UnknownTraceEvent;

/**
 * The body with its keys in the spec table's (the schema's) order, as encoders must write them; the
 * values are the caller's own: `fields` is a free map whose names (even "__proto__") stay as given.
 */
function inTableOrder(body: object, shape: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const given = new Map(Object.entries(body));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(shape)) if (given.get(key) !== undefined) out[key] = given.get(key);
  return out;
}

export function encodeTrace(ev: TraceEvent): Uint8Array {
  const checked = traceBodies[ev.type].safeParse(ev.body);
  if (!checked.success) throw new TypeError(`invalid trace ${ev.type}: ${issueText(checked.error)}`);
  return cborEncode([TRACE_VARIANTS.indexOf(ev.type), inTableOrder(ev.body, traceBodies[ev.type].shape)]);
}

export function decodeTrace(payload: Uint8Array): Result<DecodedTrace> {
  const item = cborDecode(payload);
  if (!item.ok) return item;
  const v = item.value;
  if (!Array.isArray(v) || v.length !== 2) return fail('schema', 0, 'trace event is not a 2-element array [variant, body]');
  const [variant, body] = v as [unknown, unknown];
  if (typeof variant !== 'number' || !Number.isInteger(variant) || variant < 0) return fail('schema', 1, 'variant is not an unsigned integer');
  const type = TRACE_VARIANTS[variant];
  if (type === undefined) return ok({ type: 'unknown', variant, body });
  const parsed = traceBodies[type].safeParse(body);
  if (!parsed.success) return fail('schema', 0, `trace ${type}: ${issueText(parsed.error)}`);
  return ok({ type, body: parsed.data } as TraceEvent);
}
