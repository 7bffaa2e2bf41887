/**
 * decode's table gives each record's time as the viewer does: µs from capture start, with the unit,
 * so a row of `decode` and a row of `view` for one record show the same time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { captureTime } from '../../src/records/summary.ts';
import { cli, ROOT } from './helpers.ts';

test('decode table rows: µs from capture start, unit shown, the same time as the record in JSON', () => {
  const demo = join(ROOT, 'captures/demo.pcapng');
  const table = cli(['decode', demo, '--all']);
  assert.equal(table.status, 0, table.stderr);
  const json = cli(['decode', demo, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const records = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; startNs: number }).filter((r) => r.kind !== 'summary');
  const rows = table.stdout.split('\n').filter((l) => /^\s+\d+\.\d{3} µs  /.test(l));
  assert.ok(records.length > 100 && rows.length === records.length, `${rows.length} rows, ${records.length} records`);
  // The demo's first record is 50 ms in: times counted from the first record would differ by that.
  assert.ok(records[0].startNs > 1e6);
  rows.forEach((row, i) => assert.equal(row.trim().split('  ')[0], captureTime(records[i].startNs), row));
});
