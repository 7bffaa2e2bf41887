/**
 * One CBOR configuration for the whole protocol: plain RFC 8949 items only (no cbor-x record or
 * typed-array tags, which other decoders would not understand), maps decoded as plain objects.
 *
 * Integers: cbor-x alone writes a JS number of 2^32 or more as a float64, which a Rust decoder
 * (minicbor, serde) refuses for a u64 field, and writes every bigint in 8 bytes, even 3n. So the
 * encoder first moves large safe integers to bigint (major type 0/1, 8 bytes) and small bigints to
 * number (shortest form). The decoder turns every integer that fits a safe JS integer into a number,
 * whatever width the sender used, and keeps bigint only beyond 2^53. Object keys whose value is
 * `undefined` are left out (as JSON does) instead of being written as CBOR `undefined`.
 */
import { Encoder } from 'cbor-x';
import { fail, ok, type Result } from './errors.ts';

const codec = new Encoder({
  useRecords: false,
  mapsAsObjects: true,
  tagUint8Array: false,
  bundleStrings: false,
  variableMapSize: true,
  pack: false,
});

export function cborEncode(value: unknown): Uint8Array {
  const out = codec.encode(prepare(value));
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Decodes exactly one CBOR item filling `bytes`; anything else is a typed error. */
export function cborDecode(bytes: Uint8Array): Result<unknown> {
  if (bytes.length === 0) return fail('bad-cbor', 0, 'empty payload');
  try {
    const value: unknown = codec.decode(bytes);
    return ok(normalise(value));
  } catch (err) {
    return fail('bad-cbor', 0, `not one CBOR item: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** cbor-x's own integer forms: uint32 and int32 as numbers; everything wider goes through bigint. */
const MIN_INT32 = -0x80000000;
const MAX_UINT32 = 0xffffffff;

function prepare(v: unknown): unknown {
  if (typeof v === 'number') return Number.isSafeInteger(v) && (v < MIN_INT32 || v > MAX_UINT32) ? BigInt(v) : v;
  if (typeof v === 'bigint') return v >= BigInt(MIN_INT32) && v <= BigInt(MAX_UINT32) ? Number(v) : v;
  if (v instanceof Uint8Array || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map(prepare);
  if (Object.getPrototypeOf(v) !== Object.prototype && Object.getPrototypeOf(v) !== null) return v;
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a key named __proto__ must stay a key, not set a prototype.
  for (const [k, x] of Object.entries(v)) {
    if (x !== undefined) Object.defineProperty(out, k, { value: prepare(x), enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * Protocol messages nest three or four levels; anything deeper is hostile, and a self-referencing
 * item (CBOR shared-value tags 28/29 can build one) would otherwise recurse until the stack ends.
 */
const MAX_DEPTH = 64;

/**
 * cbor-x hands back Buffers for byte strings; the protocol speaks plain Uint8Array. Integers that
 * fit a safe JS integer become numbers. Throws (inside cborDecode's try) past MAX_DEPTH.
 */
function normalise(v: unknown, depth = 0): unknown {
  if (typeof v === 'bigint') return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v === null || typeof v !== 'object') return v;
  if (v instanceof Uint8Array) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (depth >= MAX_DEPTH) throw new Error(`nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(v)) return v.map((x) => normalise(x, depth + 1));
  if (v instanceof Map) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    Object.defineProperty(out, k, { value: normalise(x, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
