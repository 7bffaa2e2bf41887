import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { openSource } from '../../src/sources/open.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { parseByte } from '../../src/sources/saleae-analyzer.ts';
import { FIXTURES, tempDir, transactions } from './helpers.ts';

const bytes = (a: Uint8Array): number[] => [...a];

test('groups Logic 2 analyzer rows between enable and disable, counting error rows', async () => {
  const src = await openSource(`${FIXTURES}logic2-spi.csv`);
  const txns = await transactions(src);
  assert.equal(txns.length, 2);
  assert.deepEqual(
    txns.map((t) => [t.index, t.startNs, t.endNs, bytes(t.mosi), bytes(t.miso)]),
    [
      [0, 1000, 3000, [0xb5, 0x01], [0x00, 0xff]],
      [1, 10000, 12000, [0x7e], [0x42]],
    ],
  );
  assert.equal(src.stats?.analyzerErrors, 1);
});

test('reads the older Logic 2 table without a duration column', async () => {
  const txns = await transactions(await openSource(`${FIXTURES}logic2-spi-noduration.csv`));
  assert.deepEqual(txns.map((t) => [t.startNs, t.endNs, bytes(t.mosi), bytes(t.miso)]), [[1e9, 1e9 + 2000, [0xa0], [0x0a]]]);
});

test('with only result rows (no enable channel), splits transactions at gaps', async () => {
  const txns = await transactions(await openSource(`${FIXTURES}logic2-spi-noenable.csv`));
  assert.deepEqual(txns.map((t) => [t.startNs, t.endNs, bytes(t.mosi)]), [
    [1000, 2600, [1, 2]],
    [50000, 51600, [3, 4]],
  ]);
});

test('several analyzers in one file: an error lists them, the analyzer option picks one', async () => {
  await assert.rejects(openSource(`${FIXTURES}logic2-spi-two.csv`), (e: unknown) => {
    assert.ok(e instanceof SourceError);
    assert.match(e.reason, /"Buddy", "Other SPI"/);
    return true;
  });
  const txns = await transactions(await openSource(`${FIXTURES}logic2-spi-two.csv`, { analyzer: 'Other SPI' }));
  assert.deepEqual(txns.map((t) => [t.startNs, t.endNs, bytes(t.mosi)]), [[1500, 4000, [0x99]]]);
  await assert.rejects(openSource(`${FIXTURES}logic2-spi-two.csv`, { analyzer: 'Nope' }), /no analyzer "Nope".*"Buddy"/);
});

test('on stdin a second analyzer name is an error after the first one\'s transactions', async () => {
  const text = 'name,type,start_time,duration,"mosi","miso"\nA,result,0.000001,0.0000008,0x01,0x02\nB,result,0.000002,0.0000008,0x03,0x04\n';
  const src = await openSource('-', {}, Readable.from([Buffer.from(text)]));
  assert.equal(src.kind, 'transactions');
  if (src.kind !== 'transactions') return;
  const got: number[] = [];
  await assert.rejects(async () => {
    for await (const b of src.batches) for (const t of b) got.push(...t.mosi);
  }, /line 3: a second analyzer "B"/);
  assert.deepEqual(got, [1]);
});

test('reads the legacy Time [s],Packet ID,MOSI,MISO export grouped by packet id', async () => {
  const txns = await transactions(await openSource(`${FIXTURES}legacy-spi.csv`));
  assert.deepEqual(txns.map((t) => [t.startNs, bytes(t.mosi), bytes(t.miso)]), [
    [1000, [0xb5, 0x01], [0x00, 0xff]],
    [10000, [0x7e], [0x42]],
  ]);
});

test('byte values parse in hex, decimal, binary and single characters', () => {
  assert.equal(parseByte('0xB5'), 0xb5);
  assert.equal(parseByte('181'), 181);
  assert.equal(parseByte('0b101'), 5);
  assert.equal(parseByte('A'), 65);
  assert.ok(Number.isNaN(parseByte('0x1FF')));
  assert.ok(Number.isNaN(parseByte('zz')));
});

test('a bad byte value is a SourceError naming the line, after the earlier transactions', async () => {
  const t = tempDir();
  try {
    const p = t.path('bad.csv');
    writeFileSync(p, 'name,type,start_time,duration,"mosi","miso"\nS,enable,0,0,,\nS,result,0.000001,0.0000008,0x01,0x02\nS,disable,0.000002,0,,\nS,enable,0.000003,0,,\nS,result,0.000004,0.0000008,0xZZ,0x02\n');
    const src = await openSource(p);
    if (src.kind !== 'transactions') throw new Error('kind');
    const got: number[][] = [];
    await assert.rejects(async () => {
      for await (const b of src.batches) for (const x of b) got.push([...x.mosi]);
    }, (e: unknown) => e instanceof SourceError && e.where === 'line 6' && /mosi/.test(e.reason));
    assert.deepEqual(got[0], [1]);
  } finally {
    t.cleanup();
  }
});
