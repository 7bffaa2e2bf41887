/**
 * Reads a JSON settings file (a scenario, a replay world) and validates it with a zod schema; any
 * fault is one SourceError naming the file as the user gave it, the line and column, the field and
 * what is wrong with it:
 *   `scenarios/x.json: line 7, column 9: steps.2.ssid: longer than 32 bytes`
 *   `scenarios/x.json: line 3, column 12: expected ',' or '}', found "\""`
 *
 * Example: const sc = readJsonFile('x.json', scenarioSchema);
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { z } from 'zod';
import { SourceError } from '../sources/errors.ts';
import { jsonPathOffset, jsonSyntaxFault, placeOf, type JsonPath } from './json-text.ts';

/** Settings files are small; a bigger one is a mistake (or hostile), refused before it is read. */
export const MAX_JSON_FILE_BYTES = 16 * 1024 * 1024;

/** A validation fault in settings terms: the field's dotted path and what is wrong. */
export interface FieldFault {
  readonly path: JsonPath;
  readonly reason: string;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  return String(v);
}

/**
 * Clearer words than zod's defaults for the common cases, a missing field and a field of another
 * type; a schema's own messages (`longer than 32 bytes`) take precedence over these.
 */
export const settingsErrors: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') return issue.input === undefined ? `missing (expected ${issue.expected})` : `expected ${issue.expected}, got ${kindOf(issue.input)}`;
  if (issue.code === 'unrecognized_keys') return 'unknown field';
  return undefined;
};

/** The first issue of a failed validation, pointing at the field (an unknown key at the key itself). */
export function fieldFault(error: z.ZodError): FieldFault {
  const issue = error.issues[0];
  if (!issue) return { path: [], reason: 'invalid' };
  const path = issue.code === 'unrecognized_keys' && issue.keys.length ? [...issue.path, issue.keys[0]] : issue.path;
  // A bad record key (a DNS name in world.names) carries its key schema's own issue inside.
  const reason = issue.code === 'invalid_key' && issue.issues[0] ? `key ${issue.issues[0].message}` : issue.message;
  return { path, reason };
}

export function pathText(path: JsonPath): string {
  return path.length ? path.map(String).join('.') : '(root)';
}

function readText(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new SourceError(path, 'open', e.code === 'ENOENT' ? 'no such file' : e.code === 'EISDIR' ? 'is a directory' : e.message);
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) throw new SourceError(path, 'open', 'is a directory');
    if (st.size > MAX_JSON_FILE_BYTES) throw new SourceError(path, `byte ${MAX_JSON_FILE_BYTES}`, `larger than ${MAX_JSON_FILE_BYTES} bytes: not a settings file`);
    const buf = Buffer.alloc(st.size);
    let got = 0;
    while (got < buf.length) {
      const n = readSync(fd, buf, got, buf.length - got, got);
      if (n === 0) break;
      got += n;
    }
    return buf.toString('utf8', 0, got);
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(path, 'read', err instanceof Error ? err.message : String(err));
  } finally {
    closeSync(fd);
  }
}

function at(text: string, offset: number): string {
  const { line, column } = placeOf(text, offset);
  return `line ${line}, column ${column}`;
}

/** Reads and validates `path`; throws SourceError(path, 'line L, column C', reason). */
export function readJsonFile<S extends z.ZodType>(path: string, schema: S): z.output<S> {
  // An editor's byte-order mark is not a syntax error worth refusing a file for.
  const text = readText(path).replace(/^\uFEFF/, '');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const fault = jsonSyntaxFault(text);
    if (fault) throw new SourceError(path, at(text, fault.offset), `not valid JSON: ${fault.reason}`);
    throw new SourceError(path, '(json)', err instanceof Error ? err.message : String(err));
  }
  const r = schema.safeParse(value, { error: settingsErrors });
  if (r.success) return r.data;
  const f = fieldFault(r.error);
  throw new SourceError(path, at(text, jsonPathOffset(text, f.path)), `${pathText(f.path)}: ${f.reason}`);
}
