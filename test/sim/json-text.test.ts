import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { jsonPathOffset, jsonSyntaxFault, placeOf } from '../../src/sim/json-text.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Every path to a value in `v`, with the value there. */
function* paths(v: Json, at: (string | number)[] = []): Generator<[(string | number)[], Json]> {
  yield [at, v];
  if (Array.isArray(v)) for (let i = 0; i < v.length; i++) yield* paths(v[i], [...at, i]);
  else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) yield* paths(v[k], [...at, k]);
}

test('finds a syntax fault exactly when JSON.parse refuses the text', () => {
  const mutated = fc.tuple(fc.jsonValue(), fc.integer({ min: 0, max: 2 }), fc.nat(), fc.constantFrom('', ',', ':', '"', '{', '}', '[', ']', '\\', 'x', '0', '-', '.', 'e', ' ', '\n', '\u0001', 'tru', 'nul'))
    .map(([v, spaces, at, insert]) => {
      const text = JSON.stringify(v, null, spaces);
      const i = at % (text.length + 1);
      return insert === '' ? text.slice(0, i) + text.slice(i + 1) : text.slice(0, i) + insert + text.slice(i);
    });
  fc.assert(fc.property(mutated, (text) => (jsonSyntaxFault(text) === null) === parses(text)), { numRuns: 3000 });
});

test('locates every value of a document: a member at its key, an element or a leaf at its text', () => {
  fc.assert(fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (v, spaces) => {
    const text = JSON.stringify(v, null, spaces);
    for (const [path, value] of paths(v as Json)) {
      const at = jsonPathOffset(text, path);
      const last = path.at(-1);
      if (typeof last === 'string') {
        if (!text.startsWith(JSON.stringify(last), at)) return false;
      } else if (spaces === 0 || value === null || typeof value !== 'object') {
        const shown = JSON.stringify(value);
        if (text.slice(at, at + shown.length) !== shown) return false;
      }
    }
    return true;
  }), { numRuns: 500 });
});

test('points a path that is not there at the deepest part that is', () => {
  const text = '{\n  "steps": [\n    { "do": "wait" }\n  ]\n}';
  assert.equal(jsonPathOffset(text, ['steps', 0, 'ms']), text.indexOf('{ "do"'));
  assert.equal(jsonPathOffset(text, ['seed']), 0);
  assert.equal(jsonPathOffset(text, ['steps', 5]), text.indexOf('"steps"'));
});

test('walks a hostile nesting depth without overflowing the stack', () => {
  const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
  assert.equal(jsonSyntaxFault(deep), null);
  assert.equal(jsonPathOffset(deep, [0, 0, 0]), 3);
  assert.deepEqual(jsonSyntaxFault('['.repeat(200_000)), { offset: 200_000, reason: 'the text ends where a value should be' });
});

test('gives 1-based lines and columns', () => {
  assert.deepEqual(placeOf('abc', 0), { line: 1, column: 1 });
  assert.deepEqual(placeOf('{\n  "a": 1}', 4), { line: 2, column: 3 });
  assert.deepEqual(placeOf('a\r\nb', 3), { line: 2, column: 1 });
  assert.deepEqual(placeOf('a\n', 2), { line: 2, column: 1 });
});
