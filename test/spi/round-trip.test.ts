import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { renderSpi, renderedEndNs, RENDER_MAP, type RenderItem, type RenderTxn } from '../../src/spi/render.ts';
import { decodeSpi } from '../../src/spi/decode.ts';
import type { SpiMode } from '../../src/spi/types.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { collect, collectBatches, concat, ofKind, split, stream } from './builder.ts';

async function* once<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

const MODES: SpiMode[] = [];
for (const cpol of [0, 1] as const) {
  for (const cpha of [0, 1] as const) {
    for (const bitOrder of ['msb', 'lsb'] as const) {
      for (const csActive of ['low', 'high'] as const) MODES.push({ cpol, cpha, bitOrder, csActive, wordBits: 8 });
    }
  }
}

function txnsAt(payloads: [Uint8Array, Uint8Array][], gapNs: number, opts: { bitHz: number; mode: SpiMode }): RenderTxn[] {
  const out: RenderTxn[] = [];
  let t = 500;
  for (const [mosi, miso] of payloads) {
    const txn: RenderTxn = { kind: 'txn', startNs: t, mosi, miso };
    out.push(txn);
    t = renderedEndNs(txn, opts) + gapNs;
  }
  return out;
}

const q = (t: number, p: number | undefined): number => (p === undefined ? t : Math.round(t / p) * p);

test('render -> decode round-trips random bytes in every mode, bit order and CS polarity', async () => {
  const payload = fc.uint8Array({ minLength: 0, maxLength: 24 });
  // A transaction clocks at least one word (an empty CS assertion is a cs-glitch, tested apart).
  const pair = fc.tuple(payload, payload).filter(([a, b]) => a.length > 0 && b.length > 0);
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(...MODES),
      fc.array(pair, { minLength: 1, maxLength: 5 }),
      fc.constantFrom(undefined, 10, 25),
      fc.integer({ min: 100, max: 3000 }), // CS inactive gap above the 75 ns glitch filter at 25 ns samples
      async (mode, pairs, samplePeriodNs, gapNs) => {
        // Equal lengths: SPI is full duplex.
        const payloads = pairs.map(([a, b]): [Uint8Array, Uint8Array] => {
          const n = Math.min(a.length, b.length);
          return [a.slice(0, n), b.slice(0, n)];
        });
        const opts = { bitHz: 10e6, mode, samplePeriodNs };
        const txns = txnsAt(payloads, gapNs, opts);
        const { info, batches } = renderSpi(once<RenderItem>(txns), { ...opts, batchSize: 97 });
        const recs = await collect(decodeSpi(info, batches, RENDER_MAP, { mode }));
        assert.deepEqual(recs.filter((r) => r.kind !== 'txn'), [], 'no anomalies or lines');
        const got = ofKind(recs, 'txn');
        assert.equal(got.length, txns.length);
        got.forEach((r, k) => {
          assert.equal(r.txn, k);
          assert.deepEqual(r.mosi, payloads[k][0]);
          assert.deepEqual(r.miso, payloads[k][1]);
          assert.equal(r.partialBits, undefined);
          assert.equal(r.startNs, q(txns[k].startNs, samplePeriodNs));
          assert.equal(r.endNs, q(renderedEndNs(txns[k], opts), samplePeriodNs));
        });
      },
    ),
    { numRuns: 300 },
  );
});

test('round-trips 16-bit words (stored big-endian) in mode 3 LSB first', async () => {
  const mode: SpiMode = { cpol: 1, cpha: 1, bitOrder: 'lsb', csActive: 'low', wordBits: 16 };
  const mosi = Uint8Array.of(0x12, 0x34, 0xab, 0xcd);
  const miso = Uint8Array.of(0xfe, 0x01, 0x80, 0x7f);
  const { info, batches } = renderSpi(once<RenderItem>([{ kind: 'txn', startNs: 100, mosi, miso }]), { mode });
  const [txn] = ofKind(await collect(decodeSpi(info, batches, RENDER_MAP, { mode })), 'txn');
  assert.deepEqual(txn.mosi, mosi);
  assert.deepEqual(txn.miso, miso);
});

test('decodes the same records wherever the batches are split', async () => {
  const mode: SpiMode = { cpol: 1, cpha: 0, bitOrder: 'msb', csActive: 'low', wordBits: 8 };
  const items: RenderItem[] = [
    { kind: 'txn', startNs: 100, mosi: Uint8Array.of(0xa5, 0x0f), miso: Uint8Array.of(0x5a, 0xf0) },
    { kind: 'line', line: 'ready', timeNs: 700, level: 1 },
    { kind: 'txn', startNs: 2500, mosi: Uint8Array.of(0x81), miso: Uint8Array.of(0x7e) },
    { kind: 'line', line: 'irq', timeNs: 4000, level: 1 },
  ];
  const { info, batches } = renderSpi(once(items), { mode, samplePeriodNs: 10, batchSize: 1 << 20 });
  const whole = concat(await collectBatches(batches));
  const expected = await collect(decodeSpi(info, stream([whole]), RENDER_MAP, { mode, csLines: true }));
  assert.equal(ofKind(expected, 'txn').length, 2);
  assert.equal(ofKind(expected, 'line').length, 6, '2 side-band edges and 4 CS edges');
  for (let cut = 0; cut <= whole.length; cut++) {
    const got = await collect(decodeSpi(info, stream(split(whole, [cut])), RENDER_MAP, { mode, csLines: true }));
    assert.deepEqual(got, expected, `cut at ${cut}`);
  }
  const singles = split(whole, Array.from({ length: whole.length - 1 }, (_, k) => k + 1));
  assert.deepEqual(await collect(decodeSpi(info, stream(singles), RENDER_MAP, { mode, csLines: true })), expected);
});

test('emits records ordered by startNs, side-band edges inside a transaction after it', async () => {
  const items: RenderItem[] = [
    { kind: 'txn', startNs: 100, mosi: new Uint8Array(4), miso: new Uint8Array(4) },
    { kind: 'line', line: 'ready', timeNs: 300, level: 1 },
    { kind: 'line', line: 'reset', timeNs: 400, level: 0 },
    { kind: 'line', line: 'ready', timeNs: 5000, level: 0 },
  ];
  const { info, batches } = renderSpi(once(items), { batchSize: 3 });
  const recs: BuddyRecord[] = await collect(decodeSpi(info, batches, RENDER_MAP));
  assert.deepEqual(recs.map((r) => [r.kind, r.startNs]), [['txn', 100], ['line', 300], ['line', 400], ['line', 5000]]);
  assert.deepEqual(ofKind(recs, 'line').map((r) => [r.line, r.level]), [['ready', 1], ['reset', 0], ['ready', 0]]);
});
