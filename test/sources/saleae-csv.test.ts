import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { openSource } from '../../src/sources/open.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { secondsToNs } from '../../src/sources/csv.ts';
import { collect, collectUntilError, FIXTURES, signals, tempDir } from './helpers.ts';

test('reads a Logic 2 digital CSV: renamed channels, negative trigger-relative times shifted to 0, X counted', async () => {
  const src = signals(await openSource(`${FIXTURES}logic2-digital.csv`));
  assert.deepEqual(src.info.channels, ['CLK', 'MOSI', 'MISO', 'CS']);
  const c = await collect(src.batches);
  assert.deepEqual(c.times, [0, 500, 1000, 1125, 1250, 1375, 2000]);
  assert.deepEqual(c.states, [0b1000, 0b0010, 0b0011, 0b0110, 0b0111, 0b0000, 0b1000]);
  assert.equal(src.stats?.unknownValues, 1);
});

test('reads a Logic 1.x digital CSV with spaces after commas and CRLF lines', async () => {
  const src = signals(await openSource(`${FIXTURES}logic1-digital.csv`));
  assert.deepEqual(src.info.channels, ['Channel 0', 'Channel 1', 'Channel 2', 'Channel 3']);
  const c = await collect(src.batches);
  assert.deepEqual(c.times, [0, 500, 1000, 1500, 3000]);
  assert.deepEqual(c.states, [0b1000, 0b0010, 0b0011, 0b0110, 0b1000]);
});

test('seconds strings convert to ns without float round-off', () => {
  assert.equal(secondsToNs('0.000000125'), 125);
  assert.equal(secondsToNs('1.5'), 1.5e9);
  assert.equal(secondsToNs('-0.000001'), -1000);
  assert.equal(secondsToNs('1e-6'), 1000);
  assert.equal(secondsToNs('0.0000000001'), 0.1);
  assert.ok(Number.isNaN(secondsToNs('abc')));
});

async function csvError(text: string): Promise<{ error: SourceError; times: number[] }> {
  const t = tempDir();
  try {
    const p = t.path('bad.csv');
    writeFileSync(p, text);
    try {
      const r = await collectUntilError(signals(await openSource(p, { format: 'saleae-csv' })).batches);
      assert.ok(r.error instanceof SourceError, String(r.error));
      assert.equal(r.error.source, p);
      return { error: r.error, times: r.times };
    } catch (e) {
      assert.ok(e instanceof SourceError, String(e));
      return { error: e, times: [] };
    }
  } finally {
    t.cleanup();
  }
}

test('malformed Saleae CSVs are SourceErrors naming the line, after the rows before', async () => {
  const head = 'Time [s],A,B\n0.0,0,0\n0.1,1,0\n';
  let r = await csvError(`${head}0.05,1,1\n`);
  assert.equal(r.error.where, 'line 4');
  assert.match(r.error.reason, /backwards/);
  assert.deepEqual(r.times, [0, 1e8]);
  r = await csvError(`${head}0.2,1\n`);
  assert.match(r.error.reason, /fields/);
  r = await csvError(`${head}0.2,1,7\n`);
  assert.match(r.error.reason, /bad value/);
  r = await csvError(`${head}zz,1,1\n`);
  assert.match(r.error.reason, /bad time/);
  r = await csvError('Voltage,A\n1,2\n');
  assert.equal(r.error.where, 'line 1');
});
