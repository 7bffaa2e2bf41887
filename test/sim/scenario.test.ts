import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseScenario } from '../../src/sim/scenario.ts';
import { SourceError } from '../../src/sources/errors.ts';

const minimal = { name: 't', seed: 1, steps: [{ do: 'wait', ms: 1 }] };

test('fills defaults for a minimal scenario', () => {
  const s = parseScenario(minimal);
  assert.deepEqual(s.world.aps, []);
  assert.equal(s.tailMs, 100);
  assert.deepEqual(s.faults, {});
});

test('names the file and the field of a bad step', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-'));
  const path = join(dir, 'broken.json');
  writeFileSync(path, JSON.stringify({ ...minimal, steps: [{ do: 'wait', ms: 1 }, { do: 'ping', count: 'three' }] }));
  assert.throws(() => loadScenario(path), (e: unknown) => {
    assert.ok(e instanceof SourceError);
    assert.equal(e.source, 'broken.json');
    assert.equal(e.where, 'steps.1.count');
    return true;
  });
});

test('rejects an unknown step kind and unknown keys', () => {
  assert.throws(() => parseScenario({ ...minimal, steps: [{ do: 'teleport' }] }), (e: unknown) => e instanceof SourceError && e.where.startsWith('steps.0'));
  assert.throws(() => parseScenario({ ...minimal, colour: 'red' }), (e: unknown) => e instanceof SourceError && /colour|unrecognized/i.test(e.message));
});

test('reports malformed JSON with the file name instead of a stack trace', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sim-'));
  const path = join(dir, 'bad.json');
  writeFileSync(path, '{ "name": ');
  assert.throws(() => loadScenario(path), (e: unknown) => e instanceof SourceError && e.source === 'bad.json' && e.where === '(json)');
});
