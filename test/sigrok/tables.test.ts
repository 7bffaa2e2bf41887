/**
 * The Python decoders' code tables are generated from src/protocol/ (and the anomaly codes from
 * src/records/types.ts) by scripts/gen-python-tables.ts: the checked-in file is what the generator
 * writes today, the Python side reads the same values, and the schema translation refuses what it
 * cannot express instead of checking it loosely.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { CHANNEL_NAMES } from '../../src/protocol/constants.ts';
import { CONTROL_CODES } from '../../src/protocol/control-schema.ts';
import { TRACE_LEVEL_NAMES, TRACE_VARIANTS } from '../../src/protocol/trace.ts';
import { ANOMALY_CODES } from '../../src/records/types.ts';
import { renderPythonTables, TABLES_FILE } from '../../scripts/gen-python-tables.ts';
import { specOf } from '../../scripts/zod-spec.ts';
import { CORE_PARENT } from './core-harness.ts';

function pythonTables(): Record<string, unknown> {
  const code = [
    'import json, sys', 'sys.path.insert(0, sys.argv[1])', 'from buddylink_core import tables as t',
    'print(json.dumps({"channels": {str(k): v for k, v in t.CHANNELS.items()}, "control": {v: k for k, v in t.CONTROL_TYPES.items()},',
    '  "trace": list(t.TRACE_VARIANTS), "levels": list(t.TRACE_LEVELS), "anomalies": list(t.ANOMALY_CODES)}))',
  ].join('\n');
  const r = spawnSync('python3', ['-B', '-c', code, CORE_PARENT], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('sigrok/buddylink/buddylink_core/tables.py', () => {
  it('is what scripts/gen-python-tables.ts writes from src/protocol/ today', () => {
    assert.equal(readFileSync(TABLES_FILE, 'utf8'), renderPythonTables(), 'stale: run node --import tsx scripts/gen-python-tables.ts');
  });

  it('gives Python the channel, control, trace and anomaly names of the TypeScript source', () => {
    const t = pythonTables();
    assert.deepEqual(t.channels, CHANNEL_NAMES);
    assert.deepEqual(t.control, CONTROL_CODES);
    assert.deepEqual(t.trace, TRACE_VARIANTS);
    assert.deepEqual(t.levels, TRACE_LEVEL_NAMES);
    assert.deepEqual(t.anomalies, ANOMALY_CODES);
  });
});

describe('scripts/zod-spec.ts', () => {
  it('characterises refinements by asking the schema: byte lengths, UTF-8 byte limits', () => {
    const mac = z.custom<Uint8Array>((v) => v instanceof Uint8Array).refine((b) => b.length === 6);
    assert.deepEqual(specOf(mac), { kind: 'bytes', length: 6 });
    const ssid = z.string().min(1).refine((s) => Buffer.byteLength(s) <= 32);
    assert.deepEqual(specOf(ssid), { kind: 'text', minLength: 1, maxLength: null, maxBytes: 32 });
  });

  it('refuses constructs it cannot translate faithfully', () => {
    assert.throws(() => specOf(z.string().email()), /has no translation/);
    assert.throws(() => specOf(z.number()), /non-integer/);
    assert.throws(() => specOf(z.object({ a: z.string() })), /non-strict object/);
    assert.throws(() => specOf(z.string().refine((s) => s.startsWith('x'))), /text refinement/);
  });
});
