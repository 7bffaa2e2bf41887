import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSpi, renderedEndNs, RENDER_MAP, type RenderTxn } from '../../src/spi/render.ts';
import { detectSpiMode } from '../../src/spi/detect.ts';
import { decodeSpi } from '../../src/spi/decode.ts';
import type { SpiMode } from '../../src/spi/types.ts';
import type { SpiDetection } from '../../src/spi/detect.ts';
import { collect, ofKind } from './builder.ts';

/** Stands in for the link layer: a transaction "is a frame" when MOSI starts with B5 5A. */
const scorer = (mosi: Uint8Array): number => (mosi[0] === 0xb5 && mosi[1] === 0x5a ? 1 : 0);

function txns(count: number, mode: SpiMode): RenderTxn[] {
  const out: RenderTxn[] = [];
  let t = 1000;
  for (let k = 0; k < count; k++) {
    const body = Uint8Array.from({ length: 6 }, (_, i) => (k * 37 + i * 101) & 0xff);
    const txn: RenderTxn = { kind: 'txn', startNs: t, mosi: Uint8Array.of(0xb5, 0x5a, ...body), miso: Uint8Array.of(...body, 0x5a, 0xb5) };
    out.push(txn);
    t = renderedEndNs(txn, { mode }) + 1500;
  }
  return out;
}

async function* once<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

for (const cpol of [0, 1] as const) {
  for (const cpha of [0, 1] as const) {
    for (const bitOrder of ['msb', 'lsb'] as const) {
      for (const csActive of ['low', 'high'] as const) {
        const mode: SpiMode = { cpol, cpha, bitOrder, csActive, wordBits: 8 };
        test(`auto-detects mode ${cpol * 2 + cpha} ${bitOrder} first, CS active ${csActive}`, async () => {
          const { info, batches } = renderSpi(once(txns(10, mode)), { mode, samplePeriodNs: 10, batchSize: 500 });
          const { detection } = await detectSpiMode(info, batches, RENDER_MAP, { scorer });
          assert.deepEqual(detection.mode, mode);
          assert.equal(detection.fallback, false);
          assert.equal(detection.basis, 'frames');
          assert.equal(detection.scores.length, 4);
          const best = detection.scores.find((s) => s.cpha === cpha && s.bitOrder === bitOrder);
          assert.equal(best?.score, 10);
        });
      }
    }
  }
}

test('decodeSpi in auto mode replays the buffered head: no transaction is lost', async () => {
  const mode: SpiMode = { cpol: 1, cpha: 1, bitOrder: 'lsb', csActive: 'low', wordBits: 8 };
  const all = txns(40, mode);
  const { info, batches } = renderSpi(once(all), { mode, batchSize: 200 });
  let seen: SpiDetection | undefined;
  const recs = await collect(decodeSpi(info, batches, RENDER_MAP, { mode: 'auto', scorer, maxDetectTxns: 4, onDetect: (d) => (seen = d) }));
  assert.deepEqual(seen?.mode, mode);
  assert.match(seen?.note ?? '', /SPI mode 3 \(CPOL 1, CPHA 1\), LSB first/);
  const got = ofKind(recs, 'txn');
  assert.equal(got.length, 40);
  got.forEach((r, k) => assert.deepEqual(r.mosi, all[k].mosi));
});

test('without frames, takes CPHA from the data lines\' timing and says the bit order is assumed', async () => {
  for (const cpha of [0, 1] as const) {
    const mode: SpiMode = { cpol: 0, cpha, bitOrder: 'lsb', csActive: 'low', wordBits: 8 };
    const { info, batches } = renderSpi(once(txns(5, mode)), { mode });
    const { detection } = await detectSpiMode(info, batches, RENDER_MAP, { scorer: () => 0 });
    assert.equal(detection.basis, 'timing');
    assert.equal(detection.fallback, true);
    assert.deepEqual(detection.mode, { cpol: 0, cpha, bitOrder: 'msb', csActive: 'low', wordBits: 8 });
    assert.match(detection.note, /CPHA from the signal timing \(\d+ data changes, 100% of them while SCK was (high|low)\).*bit order assumed MSB first/);
  }
});

test('says it cannot tell the mode, naming --mode, when neither frames nor data changes decide', async () => {
  const mode: SpiMode = { cpol: 1, cpha: 1, bitOrder: 'msb', csActive: 'low', wordBits: 8 };
  const quiet: RenderTxn[] = [{ kind: 'txn', startNs: 1000, mosi: new Uint8Array(8), miso: new Uint8Array(8).fill(0xff) }];
  const { info, batches } = renderSpi(once(quiet), { mode });
  const { detection } = await detectSpiMode(info, batches, RENDER_MAP, { scorer: () => 0 });
  assert.equal(detection.basis, 'none');
  assert.deepEqual([detection.mode.cpol, detection.mode.cpha], [1, 0]);
  assert.match(detection.note, /cannot tell the SPI mode \(no link frames, only \d data changes\).*give --mode 0-3/);
});

test('detects CPOL from the idle clock level even when the scorer finds nothing', async () => {
  const mode: SpiMode = { cpol: 1, cpha: 0, bitOrder: 'msb', csActive: 'high', wordBits: 8 };
  const { info, batches } = renderSpi(once(txns(5, mode)), { mode });
  const { detection } = await detectSpiMode(info, batches, RENDER_MAP, {});
  assert.equal(detection.mode.cpol, 1);
  assert.equal(detection.mode.csActive, 'high');
});

test('detects CPHA and bit order without a CS channel (clock-gap framing)', async () => {
  const mode: SpiMode = { cpol: 1, cpha: 1, bitOrder: 'lsb', csActive: 'low', wordBits: 8 };
  const { info, batches } = renderSpi(once(txns(8, mode)), { mode });
  const { detection } = await detectSpiMode(info, batches, { ...RENDER_MAP, cs: -1 }, { scorer });
  assert.deepEqual([detection.mode.cpol, detection.mode.cpha, detection.mode.bitOrder], [1, 1, 'lsb']);
  assert.match(detection.note, /no CS channel/);
});
