/**
 * The oddities a reader counted (x/z values read as 0, analyzer error rows) reach every sink as an
 * anomaly record with the count: decode's JSON and summary, and pcapng as tshark reads it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { openRecords } from '../../src/pipeline/open-records.ts';
import { withSourceTallies } from '../../src/pipeline/source-tallies.ts';
import { addToSummary, newSummary, summaryLines } from '../../src/records/summary.ts';
import type { AnomalyRecord, BuddyRecord } from '../../src/records/types.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { newStats } from '../../src/sources/types.ts';
import { cli, collect, hasTool, tempDir } from '../cli/helpers.ts';

const FIXTURES = new URL('../fixtures/sources/', import.meta.url).pathname;

function anomalies(records: readonly BuddyRecord[], code: string): AnomalyRecord[] {
  return records.filter((r): r is AnomalyRecord => r.kind === 'anomaly' && r.code === code);
}

test('a VCD with x and z values: one unknown-values anomaly with the count and the first time, last, and in the summary', async () => {
  const opened = await openRecords(`${FIXTURES}hdl.vcd`);
  const records = await collect(opened.records);
  const [a] = anomalies(records, 'unknown-values');
  assert.ok(a, 'the anomaly is there');
  assert.equal(a.count, 3);
  assert.match(a.detail, /^3 unknown values \(x or z\) read as 0, the first at 0 ns$/);
  assert.equal(records[records.length - 1], a, 'it comes last, when the counts are complete');
  assert.ok(records.every((r) => r.startNs <= a.startNs), 'records stay in time order');
  const sum = newSummary('hdl.vcd', opened.format);
  addToSummary(sum, records);
  assert.match(summaryLines(sum)[2], /unknown-values 1 \(3 values\)/);
});

test('a Saleae analyzer table with an error row: one analyzer-errors anomaly', async () => {
  const records = await collect((await openRecords(`${FIXTURES}logic2-spi.csv`)).records);
  const [a] = anomalies(records, 'analyzer-errors');
  assert.ok(a);
  assert.equal(a.count, 1);
  assert.match(a.detail, /1 analyzer row of type "error" skipped, the first at 11\.0 µs/);
});

test('a source that fails mid-file still reports its tallies, before its error', async () => {
  const stats = newStats();
  async function* failing(): AsyncGenerator<readonly BuddyRecord[]> {
    yield [{ kind: 'line', line: 'cs', level: 0, startNs: 10, endNs: 10 }];
    stats.unknownValues = 2;
    stats.firstUnknownNs = 10;
    throw new SourceError('x.vcd', 'line 9', 'bad value');
  }
  const got: BuddyRecord[] = [];
  await assert.rejects(async () => {
    for await (const b of withSourceTallies(failing(), stats)) got.push(...b);
  }, SourceError);
  assert.deepEqual(got.map((r) => (r.kind === 'anomaly' ? r.code : r.kind)), ['line', 'unknown-values']);
  // No stats (pcapng, NDJSON, scenarios) or nothing counted: the stream is unchanged.
  const plain = await collect(withSourceTallies((async function* () { yield [got[0]]; })(), newStats()));
  assert.equal(plain.length, 1);
});

test('decode --json and capture to pcapng carry it; tshark reads it as an anomaly comment', { skip: hasTool('tshark') ? false : 'tshark not installed' }, () => {
  const dir = tempDir();
  const json = cli(['decode', `${FIXTURES}hdl.vcd`, '--json']);
  assert.equal(json.status, 0, json.stderr);
  const lines = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  const rec = lines.find((l) => l.code === 'unknown-values');
  assert.ok(rec, json.stdout);
  assert.equal(rec.count, 3);
  const out = join(dir, 'x.pcapng');
  const cap = cli(['capture', `${FIXTURES}hdl.vcd`, '-w', out]);
  assert.equal(cap.status, 0, cap.stderr);
  const ts = spawnSync('tshark', ['-r', out, '-T', 'fields', '-e', 'frame.comment'], { encoding: 'utf8' });
  assert.equal(ts.status, 0, ts.stderr);
  assert.match(ts.stdout, /unknown-values: 3 unknown values \(x or z\) read as 0/);
});
