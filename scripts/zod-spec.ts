/**
 * Turns the protocol's zod schemas into plain data a decoder in another language can check values
 * against (the Python core behind the sigrok and Saleae decoders reads it from its generated
 * tables). Every construct the message schemas use is translated; anything else throws, so a schema
 * change the translation cannot express fails `gen-python-tables` instead of being checked loosely.
 *
 * Zod keeps refinements (`.refine`, `z.custom`) as opaque functions, so those are characterised by
 * asking the schema itself: which byte-string lengths it accepts, or where a text's limit lies in
 * UTF-8 bytes rather than characters.
 *
 *   specOf(z.object({ ssid: z.string().min(1) }).strict())
 *   // { kind: 'object', fields: { ssid: { kind: 'text', minLength: 1, maxLength: null, maxBytes: null } }, optional: [] }
 */
import { z } from 'zod';

export type FieldSpec =
  | { readonly kind: 'int'; readonly min: number | null; readonly max: number | null }
  | { readonly kind: 'bigint'; readonly min: string | null; readonly max: string | null }
  | { readonly kind: 'number' }
  | { readonly kind: 'text'; readonly minLength: number | null; readonly maxLength: number | null; readonly maxBytes: number | null }
  | { readonly kind: 'bool' }
  | { readonly kind: 'null' }
  | { readonly kind: 'bytes'; readonly length: number | null }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly items: FieldSpec; readonly minItems: number | null; readonly maxItems: number | null }
  | { readonly kind: 'record'; readonly values: FieldSpec }
  | { readonly kind: 'object'; readonly fields: Readonly<Record<string, FieldSpec>>; readonly optional: readonly string[] }
  | { readonly kind: 'nullable'; readonly inner: FieldSpec }
  | { readonly kind: 'union'; readonly options: readonly FieldSpec[] };

type Check = z.core.$ZodCheck<never>;

function checksOf(schema: z.core.$ZodType): readonly Check[] {
  const def: { checks?: readonly Check[] } = schema._zod.def;
  return def.checks ?? [];
}

function checkKinds(schema: z.core.$ZodType): string[] {
  return checksOf(schema).map((c) => c._zod.def.check);
}

/** A length bound of an array, from its min_length/max_length checks. */
function lengthBound(schema: z.core.$ZodType, kind: 'min_length' | 'max_length'): number | null {
  for (const c of checksOf(schema)) {
    const d = c._zod.def;
    if (kind === 'min_length' && d.check === 'min_length') return (d as z.core.$ZodCheckMinLengthDef).minimum;
    if (kind === 'max_length' && d.check === 'max_length') return (d as z.core.$ZodCheckMaxLengthDef).maximum;
  }
  return null;
}

function unsupported(path: string, what: string): never {
  throw new Error(`${path}: ${what} has no translation in scripts/zod-spec.ts`);
}

/** A refined text: the refinement must be a limit in UTF-8 bytes, which probing shows. */
function textByteLimit(schema: z.ZodString, path: string): number {
  const accepts = (s: string): boolean => schema.safeParse(s).success;
  let max = -1;
  for (let n = 0; n <= 4096; n++) if (accepts('a'.repeat(n))) max = n;
  const two = Math.floor(max / 2);
  if (max <= 0 || max % 2 !== 0 || !accepts('é'.repeat(two)) || accepts('é'.repeat(two + 1))) unsupported(path, 'a text refinement other than a UTF-8 byte limit');
  return max;
}

/** A z.custom schema: a byte string (of the lengths it accepts) or any JS number. */
function customSpec(schema: z.core.$ZodType, path: string): FieldSpec {
  const accepts = (v: unknown): boolean => z.safeParse(schema, v).success;
  const rejectsOthers = !accepts('x') && !accepts(null) && !accepts(true) && !accepts([]);
  const lengths: number[] = [];
  for (let n = 0; n <= 64; n++) if (accepts(new Uint8Array(n))) lengths.push(n);
  if (lengths.length > 0 && rejectsOthers && !accepts(0)) {
    if (lengths.length === 65) return { kind: 'bytes', length: null };
    if (lengths.length === 1) return { kind: 'bytes', length: lengths[0] };
    unsupported(path, `a byte string accepting lengths ${lengths.join(',')}`);
  }
  if (lengths.length === 0 && rejectsOthers && accepts(1.5) && accepts(Number.NaN) && accepts(Number.POSITIVE_INFINITY)) return { kind: 'number' };
  return unsupported(path, 'a custom schema');
}

export function specOf(schema: z.core.$ZodType, path = 'schema'): FieldSpec {
  if (schema instanceof z.ZodNumber) {
    if (!schema.isInt || checkKinds(schema).includes('custom')) unsupported(path, 'a non-integer or refined number');
    return { kind: 'int', min: schema.minValue, max: schema.maxValue };
  }
  if (schema instanceof z.ZodBigInt) {
    return { kind: 'bigint', min: schema.minValue === null ? null : String(schema.minValue), max: schema.maxValue === null ? null : String(schema.maxValue) };
  }
  if (schema instanceof z.ZodString) {
    const kinds = checkKinds(schema);
    if (kinds.some((k) => k !== 'min_length' && k !== 'max_length' && k !== 'custom')) unsupported(path, `a text with checks ${kinds.join(',')}`);
    return { kind: 'text', minLength: schema.minLength, maxLength: schema.maxLength, maxBytes: kinds.includes('custom') ? textByteLimit(schema, path) : null };
  }
  if (schema instanceof z.ZodBoolean) return { kind: 'bool' };
  if (schema instanceof z.ZodNull) return { kind: 'null' };
  if (schema instanceof z.ZodCustom) return customSpec(schema, path);
  if (schema instanceof z.ZodEnum) return { kind: 'enum', values: schema.options.map(String) };
  if (schema instanceof z.ZodArray) {
    return { kind: 'array', items: specOf(schema.element, `${path}[]`), minItems: lengthBound(schema, 'min_length'), maxItems: lengthBound(schema, 'max_length') };
  }
  if (schema instanceof z.ZodRecord) {
    if (!(schema.keyType instanceof z.ZodString) || checkKinds(schema.keyType).length > 0) unsupported(path, 'a record with keys other than plain text');
    return { kind: 'record', values: specOf(schema.valueType, `${path}{}`) };
  }
  if (schema instanceof z.ZodNullable) return { kind: 'nullable', inner: specOf(schema.unwrap(), path) };
  if (schema instanceof z.ZodUnion) return { kind: 'union', options: schema.options.map((o, i) => specOf(o, `${path}|${i}`)) };
  if (schema instanceof z.ZodObject) {
    // Message bodies are strict: a key the catalogue does not name is an error, as in zod.
    if (!(schema._zod.def.catchall instanceof z.ZodNever)) unsupported(path, 'a non-strict object');
    const fields: Record<string, FieldSpec> = {};
    const optional: string[] = [];
    for (const [key, field] of Object.entries(schema.shape as Record<string, z.core.$ZodType>)) {
      if (field instanceof z.ZodOptional) {
        optional.push(key);
        fields[key] = specOf(field.unwrap(), `${path}.${key}`);
      } else fields[key] = specOf(field, `${path}.${key}`);
    }
    return { kind: 'object', fields, optional };
  }
  return unsupported(path, `a ${schema._zod.def.type} schema`);
}
