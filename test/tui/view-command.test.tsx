import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { recordToJson } from '../../src/records/json.ts';
import type { BuddyRecord, RecordStream } from '../../src/records/types.ts';
import { RecordIndex } from '../../src/tui/record-index.ts';
import { loadIndex } from '../../src/tui/run.tsx';
import { sampleRecords, sampleTxns } from './fixtures.ts';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'buddyshark-view-'));
after(() => rmSync(dir, { recursive: true, force: true }));

async function* batches(records: BuddyRecord[], size: number, failAfter?: number): RecordStream {
  for (let i = 0; i < records.length; i += size) {
    if (failAfter !== undefined && i >= failAfter) {
      const err = new Error('capture.vcd: line 7: not a value change');
      err.name = 'SourceError';
      throw err;
    }
    yield records.slice(i, i + size);
  }
}

test('loads a record stream into the index in batches, redrawing as it goes, and marks it done', async () => {
  const records = sampleRecords();
  const index = new RecordIndex('stream');
  let redraws = 0;
  await loadIndex(batches(records, 7), index, () => redraws++, () => false);
  assert.equal(index.length, records.length);
  assert.equal(index.done, true);
  assert.equal(index.error, null);
  assert.ok(redraws >= 1, 'the end of loading redraws');
});

test('keeps the records read before an input error and reports the error', async () => {
  const index = new RecordIndex('stream');
  await loadIndex(batches(sampleRecords(), 10, 30), index, () => {}, () => false);
  assert.equal(index.length, 30);
  assert.equal(index.done, true);
  assert.equal(index.error, 'capture.vcd: line 7: not a value change');
});

test('stops reading when the viewer quits', async () => {
  const index = new RecordIndex('stream');
  await loadIndex(batches(sampleRecords(), 10), index, () => {}, () => true);
  assert.equal(index.length, 10);
});

test('without a terminal, view says so on stderr, prints the summary and exits 0', async () => {
  const file = join(dir, 'txns.ndjson');
  writeFileSync(file, sampleTxns().map((r) => `${JSON.stringify(recordToJson(r))}\n`).join(''));
  const launcher = new URL('./launch.ts', import.meta.url).pathname;
  const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', launcher, 'view', file], { timeout: 60_000 });
  assert.match(stderr, /view needs a terminal \(standard output is not a terminal\); printing the summary instead/);
  assert.match(stdout, /txns\.ndjson \(ndjson\): 122 records over 3\.960 ms/);
  assert.match(stdout, /anomalies 1: header-crc 1/);
});
