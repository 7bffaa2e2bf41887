/**
 * The JSON form of records (NDJSON output, `.ndjson` transaction streams, golden comparisons).
 * Byte fields become lower-case hex strings; `decoded` is written for people and scripts but
 * recomputed from `message` on read, so the bytes stay the single source of truth.
 */
import { UserFacingError } from '../errors.ts';
import { toHex, fromHex } from '../protocol/bytes.ts';
import { decodeMessage } from '../protocol/message.ts';
import { ANOMALY_CODE_PATTERN, type AnomalyCode, type BuddyRecord, type Direction, type LineName } from './types.ts';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Plain JSON value for anything a decoded message holds (bytes as hex, bigint as decimal string). */
export function toJsonValue(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return toHex(v);
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean') return v;
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), toJsonValue(x)]));
  if (typeof v === 'object') {
    const out: { [k: string]: Json } = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = toJsonValue(x);
    return out;
  }
  return String(v);
}

export function recordToJson(r: BuddyRecord): { [k: string]: Json } {
  return toJsonValue(r) as { [k: string]: Json };
}

/** A record that is not in buddyshark's JSON form; readers add the file and line (ndjson.ts). */
export class RecordJsonError extends UserFacingError {
  override name = 'RecordJsonError';
}

const KINDS = new Set(['txn', 'line', 'frame', 'anomaly']);

const DIRS: readonly Direction[] = ['cpu-to-buddy', 'buddy-to-cpu'];
const LINES: readonly LineName[] = ['ready', 'irq', 'reset', 'cs'];

/** Parses one record from its JSON form; throws RecordJsonError naming the bad field. */
export function recordFromJson(o: unknown): BuddyRecord {
  if (o === null || typeof o !== 'object' || Array.isArray(o)) throw new RecordJsonError('record is not an object');
  const j = o as Record<string, unknown>;
  const num = (k: string): number => {
    const v = j[k];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new RecordJsonError(`field ${k} is not a number`);
    return v;
  };
  const optNum = (k: string): number | undefined => (j[k] === undefined ? undefined : num(k));
  const bytes = (k: string): Uint8Array => {
    const v = j[k];
    const b = typeof v === 'string' ? fromHex(v) : null;
    if (!b) throw new RecordJsonError(`field ${k} is not hex bytes`);
    return b;
  };
  const dir = (k: string): Direction => {
    const v = j[k];
    if (!DIRS.includes(v as Direction)) throw new RecordJsonError(`field ${k} is not a direction`);
    return v as Direction;
  };
  if (!KINDS.has(j.kind as string)) throw new RecordJsonError(`unknown record kind ${JSON.stringify(j.kind)}`);
  const span = { startNs: num('startNs'), endNs: num('endNs') };
  switch (j.kind) {
    case 'txn': {
      const partialBits = optNum('partialBits');
      const wordBits = optNum('wordBits');
      return {
        kind: 'txn', ...span, txn: num('txn'), mosi: bytes('mosi'), miso: bytes('miso'),
        ...(partialBits !== undefined ? { partialBits } : {}), ...(wordBits !== undefined ? { wordBits } : {}),
      };
    }
    case 'line': {
      if (!LINES.includes(j.line as LineName)) throw new RecordJsonError('field line is not a line name');
      const level = num('level');
      if (level !== 0 && level !== 1) throw new RecordJsonError('field level is not 0 or 1');
      return { kind: 'line', ...span, line: j.line as LineName, level };
    }
    case 'frame': {
      const channel = num('channel');
      const message = j.message === undefined ? undefined : bytes('message');
      const fragments = optNum('fragments');
      const decoded = message ? decodeMessage(channel, message) : null;
      return {
        kind: 'frame', ...span, txn: num('txn'), dir: dir('dir'), channel, flags: num('flags'), seq: num('seq'), ack: num('ack'),
        credit: num('credit'), epoch: num('epoch'), payload: bytes('payload'),
        ...(fragments !== undefined ? { fragments } : {}),
        ...(message ? { message } : {}),
        ...(decoded?.ok ? { decoded: decoded.value } : {}),
      };
    }
    case 'anomaly': {
      if (typeof j.code !== 'string' || !ANOMALY_CODE_PATTERN.test(j.code)) throw new RecordJsonError(`anomaly code ${JSON.stringify(j.code)} is not a kebab-case code`);
      if (typeof j.detail !== 'string') throw new RecordJsonError('field detail is not text');
      const txn = optNum('txn');
      const offset = optNum('offset');
      const count = optNum('count');
      return {
        kind: 'anomaly', ...span, code: j.code as AnomalyCode, detail: j.detail,
        ...(txn !== undefined ? { txn } : {}), ...(j.dir !== undefined ? { dir: dir('dir') } : {}),
        ...(offset !== undefined ? { offset } : {}), ...(count !== undefined ? { count } : {}),
      };
    }
    default:
      throw new RecordJsonError(`unknown record kind ${JSON.stringify(j.kind)}`);
  }
}
