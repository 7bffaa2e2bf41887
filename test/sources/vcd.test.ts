import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { openSource } from '../../src/sources/open.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { collect, collectUntilError, FIXTURES, signals, tempDir } from './helpers.ts';

test('reads a sigrok VCD with values on the timestamp line', async () => {
  const src = signals(await openSource(`${FIXTURES}sigrok.vcd`));
  assert.deepEqual(src.info.channels, ['CLK', 'MOSI', 'MISO', 'CS#']);
  assert.equal(src.info.samplePeriodNs, undefined);
  const c = await collect(src.batches);
  assert.deepEqual(c.times, [0, 2000, 3000, 4000, 5000, 6000, 8000]);
  assert.deepEqual(c.states, [0b1010, 0b0010, 0b0011, 0b0100, 0b0101, 0b0100, 0b1100]);
});

test('reads an HDL VCD: 10 ps timescale, scopes, aliases, vectors and reals skipped, x/z as 0 and counted', async () => {
  const src = signals(await openSource(`${FIXTURES}hdl.vcd`));
  assert.deepEqual(src.info.channels, ['sck', 'mosi', 'miso']);
  const c = await collect(src.batches);
  assert.deepEqual(c.times, [0, 1, 2, 2.5]);
  assert.deepEqual(c.states, [0, 0b011, 0b010, 0]);
  assert.equal(src.stats?.unknownValues, 3);
});

test('several value changes at one instant make one change; equal states are not changes', async () => {
  const t = tempDir();
  try {
    const p = t.path('same.vcd');
    writeFileSync(p, '$timescale 1 ns $end\n$var wire 1 a A $end\n$var wire 1 b B $end\n$enddefinitions $end\n#0\n0a\n0b\n#5\n1a\n#5\n1b\n#7\n1b\n#9 0a 1a\n');
    const c = await collect(signals(await openSource(p)).batches);
    assert.deepEqual(c.times, [0, 5]);
    assert.deepEqual(c.states, [0, 3]);
  } finally {
    t.cleanup();
  }
});

async function errorOf(text: string): Promise<{ error: SourceError; times: number[] }> {
  const t = tempDir();
  try {
    const p = t.path('bad.vcd');
    writeFileSync(p, text);
    try {
      const src = signals(await openSource(p, { format: 'vcd' }));
      const r = await collectUntilError(src.batches);
      assert.ok(r.error instanceof SourceError, `expected a SourceError, got ${String(r.error)}`);
      assert.equal(r.error.source, p);
      return { error: r.error, times: r.times };
    } catch (e) {
      assert.ok(e instanceof SourceError, `expected a SourceError, got ${String(e)}`);
      assert.equal(e.source, p);
      return { error: e, times: [] };
    }
  } finally {
    t.cleanup();
  }
}

const HEAD = '$timescale 1 ns $end\n$var wire 1 ! CLK $end\n$enddefinitions $end\n';

test('time going backwards is a SourceError naming the line, after the earlier changes', async () => {
  const r = await errorOf(`${HEAD}#0 0!\n#10 1!\n#20 0!\n#15 1!\n`);
  assert.equal(r.error.where, 'line 7');
  assert.match(r.error.reason, /backwards/);
  assert.deepEqual(r.times, [0, 10, 20]);
});

test('a truncated header (no $enddefinitions) is a SourceError', async () => {
  const r = await errorOf('$timescale 1 ns $end\n$var wire 1 ! CLK $end\n$scope module');
  assert.match(r.error.reason, /\$enddefinitions/);
});

test('garbage in the body is a SourceError naming the line', async () => {
  const r = await errorOf(`${HEAD}#0 0!\n#1 1!\nhello world\n`);
  assert.equal(r.error.where, 'line 6');
  assert.deepEqual(r.times, [0, 1]);
});

test('binary junk in a VCD is a SourceError, not a crash', async () => {
  const r = await errorOf(`${HEAD}#0 0!\n#1 1!\n\u0000\u0001\u0002\u00ff\n`);
  assert.match(r.error.reason, /binary|unexpected/);
  assert.deepEqual(r.times, [0, 1]);
});

test('a change for an undeclared id and a bad timescale are SourceErrors', async () => {
  assert.match((await errorOf(`${HEAD}#0 0?\n`)).error.reason, /undeclared/);
  assert.match((await errorOf('$timescale 3 ns $end\n$var wire 1 ! CLK $end\n$enddefinitions $end\n')).error.reason, /timescale/);
});

test('batches stream: a large VCD arrives in several batches of bounded size', async () => {
  const t = tempDir();
  try {
    const p = t.path('big.vcd');
    const lines = [HEAD];
    for (let i = 0; i < 200_000; i++) lines.push(`#${i} ${i & 1}!\n`);
    writeFileSync(p, lines.join(''));
    const src = signals(await openSource(p));
    let n = 0;
    let batches = 0;
    let maxLen = 0;
    for await (const b of src.batches) {
      batches++;
      n += b.length;
      maxLen = Math.max(maxLen, b.length);
    }
    assert.equal(n, 200_000);
    assert.ok(batches >= 4, `batches ${batches}`);
    assert.ok(maxLen <= 65536);
  } finally {
    t.cleanup();
  }
});
