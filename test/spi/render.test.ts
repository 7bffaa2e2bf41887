import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSpi, renderedEndNs, RENDER_CHANNELS, RENDER_MAP, type RenderItem } from '../../src/spi/render.ts';
import type { SpiMode } from '../../src/spi/types.ts';
import { collectBatches, concat } from './builder.ts';

async function* once<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

async function changes(items: RenderItem[], opts: Parameters<typeof renderSpi>[1] = {}): Promise<[number, number][]> {
  const { batches } = renderSpi(once(items), opts);
  const all = concat(await collectBatches(batches));
  return Array.from({ length: all.length }, (_, k) => [all.times[k], all.states[k]]);
}

const SCK = 1, MOSI = 2, MISO = 4, CS = 8;

test('names the channels as on the dev jig and maps them to roles', () => {
  const { info } = renderSpi(once<RenderItem>([]), { samplePeriodNs: 10 });
  assert.deepEqual(info.channels, ['SCK', 'MOSI', 'MISO', 'CS', 'READY', 'IRQ', 'RESET']);
  assert.equal(info.samplePeriodNs, 10);
  for (const [role, bit] of Object.entries(RENDER_MAP)) assert.equal(RENDER_CHANNELS[bit], role.toUpperCase());
});

test('starts with CS inactive, SCK idle, RESET high and the other lines low', async () => {
  const mode: SpiMode = { cpol: 1, cpha: 0, bitOrder: 'msb', csActive: 'high', wordBits: 8 };
  assert.deepEqual(await changes([], { mode, startNs: 5 }), [[5, SCK | 64]]);
  assert.deepEqual(await changes([], { initial: { ready: 1, reset: 0 } }), [[0, CS | 16]]);
});

for (const cpol of [0, 1] as const) {
  for (const cpha of [0, 1] as const) {
    test(`mode ${cpol * 2 + cpha}: data changes a quarter period after the shifting edge, never with a clock edge`, async () => {
      const mode: SpiMode = { cpol, cpha, bitOrder: 'msb', csActive: 'low', wordBits: 8 };
      const txn: RenderItem = { kind: 'txn', startNs: 1000, mosi: Uint8Array.of(0xa5, 0x3c), miso: Uint8Array.of(0x5a, 0xc3) };
      const ch = await changes([txn], { mode, bitHz: 10e6 });
      const sampleRising = cpol === cpha;
      const sampling: number[] = [];
      let prev = ch[0][1];
      const dataChanges: number[] = [];
      for (const [t, s] of ch.slice(1)) {
        if ((s ^ prev) & SCK && ((s & SCK) !== 0) === sampleRising) sampling.push(t);
        if ((s ^ prev) & (MOSI | MISO)) {
          dataChanges.push(t);
          assert.equal((s ^ prev) & SCK, 0, `data change at ${t} is not in a clock edge's instant`);
        }
        prev = s;
      }
      assert.equal(sampling.length, 16);
      for (const t of dataChanges) assert.ok(sampling.includes(t + 25), `data change at ${t} is 25 ns before a sampling edge`);
      // CS frames it: asserted at startNs, released at renderedEndNs.
      const csEdges = ch.filter(([, s], k) => k > 0 && ((s ^ ch[k - 1][1]) & CS)).map(([t]) => t);
      assert.deepEqual(csEdges, [1000, renderedEndNs(txn, { mode, bitHz: 10e6 })]);
    });
  }
}

test('quantises every change to the sample period', async () => {
  const txn: RenderItem = { kind: 'txn', startNs: 1003, mosi: Uint8Array.of(0xff, 0), miso: Uint8Array.of(0, 0xff) };
  const ch = await changes([txn, { kind: 'line', line: 'irq', timeNs: 1234, level: 1 }], { bitHz: 7e6, samplePeriodNs: 20 });
  for (const [t] of ch) assert.equal(t % 20, 0);
  assert.ok(ch.some(([t, s]) => t === 1240 && s & 32), 'IRQ rises at 1234 rounded to 1240');
});

test('rejects a sample rate below 4x the bit clock with a clear error', async () => {
  const txn: RenderItem = { kind: 'txn', startNs: 0, mosi: Uint8Array.of(1), miso: Uint8Array.of(2) };
  await assert.rejects(changes([txn], { bitHz: 10e6, samplePeriodNs: 30 }), /needs a sample rate of at least 4x/);
  await assert.doesNotReject(changes([txn], { bitHz: 10e6, samplePeriodNs: 25 }));
});

test('places side-band changes that fall inside a transaction at their own time', async () => {
  const ch = await changes([
    { kind: 'txn', startNs: 1000, mosi: new Uint8Array(2), miso: new Uint8Array(2) },
    { kind: 'line', line: 'ready', timeNs: 1333, level: 1 },
  ]);
  const k = ch.findIndex(([, s]) => s & 16);
  assert.equal(ch[k][0], 1333);
  for (let i = 1; i < ch.length; i++) assert.ok(ch[i][0] >= ch[i - 1][0], 'times never go back');
});

test('rejects overlapping transactions', async () => {
  const a: RenderItem = { kind: 'txn', startNs: 0, mosi: new Uint8Array(4), miso: new Uint8Array(4) };
  const b: RenderItem = { kind: 'txn', startNs: 1000, mosi: new Uint8Array(1), miso: new Uint8Array(1) };
  await assert.rejects(changes([a, b]), /overlaps or precedes/);
});

test('emits batches of at most batchSize changes and never reuses their arrays', async () => {
  const txn: RenderItem = { kind: 'txn', startNs: 100, mosi: new Uint8Array(64).fill(0x55), miso: new Uint8Array(64) };
  const { batches } = renderSpi(once([txn]), { batchSize: 100 });
  const got = await collectBatches(batches);
  assert.ok(got.length > 5);
  for (const b of got) assert.ok(b.length <= 100 && b.length > 0);
  const firstTimes = new Set(got.map((b) => b.times));
  assert.equal(firstTimes.size, got.length);
  const all = concat(got);
  for (let i = 1; i < all.length; i++) assert.ok(all.times[i] > all.times[i - 1]);
});

test('renders the same changes whether the items come in one array or many', async () => {
  const items: RenderItem[] = [
    { kind: 'line', line: 'reset', timeNs: 50, level: 0 },
    { kind: 'txn', startNs: 100, mosi: Uint8Array.of(1, 2), miso: Uint8Array.of(3, 4) },
    { kind: 'line', line: 'ready', timeNs: 900, level: 1 },
    { kind: 'txn', startNs: 3000, mosi: Uint8Array.of(5), miso: Uint8Array.of(6) },
  ];
  async function* oneByOne(): AsyncGenerator<RenderItem[]> {
    for (const it of items) yield [it];
    yield [];
  }
  const a = concat(await collectBatches(renderSpi(once(items), { batchSize: 7 }).batches));
  const b = concat(await collectBatches(renderSpi(oneByOne(), { batchSize: 5 }).batches));
  assert.deepEqual(b, a);
});
