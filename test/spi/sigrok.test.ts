/**
 * Cross-check with sigrok's SPI decoder: the same rendered capture, written as VCD by a minimal
 * writer here (independent of src/exports), must give the same transfers from sigrok-cli and from
 * decodeSpi, in every mode, bit order and CS polarity. sigrok prints each transfer as two lines,
 * MISO first: "spi-1: 3C FF" then "spi-1: A5 01".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderSpi, renderedEndNs, RENDER_MAP, type RenderTxn } from '../../src/spi/render.ts';
import { decodeSpi } from '../../src/spi/decode.ts';
import type { SpiMode } from '../../src/spi/types.ts';
import type { ChangeBatch, SignalInfo } from '../../src/signals/types.ts';
import { MAP, SignalBuilder, collect, collectBatches, concat, ofKind, stream } from './builder.ts';
import { DEFAULT_MODE } from '../../src/spi/types.ts';

const hasSigrok = spawnSync('sigrok-cli', ['--version']).status === 0;
const skip = hasSigrok ? false : 'sigrok-cli not installed';
const SAMPLE_NS = 10;

/** Minimal VCD: one-bit wires named after the channels, timescale = one sample. */
function toVcd(info: SignalInfo, b: ChangeBatch, endNs: number): string {
  const ids = info.channels.map((_, k) => String.fromCharCode(33 + k));
  let out = `$timescale ${SAMPLE_NS} ns $end\n$scope module jig $end\n`;
  info.channels.forEach((name, k) => (out += `$var wire 1 ${ids[k]} ${name} $end\n`));
  out += '$upscope $end\n$enddefinitions $end\n';
  let prev = -1;
  for (let i = 0; i < b.length; i++) {
    const s = b.states[i];
    out += `#${Math.round(b.times[i] / SAMPLE_NS)}`;
    ids.forEach((id, k) => {
      if (prev < 0 || ((s ^ prev) >>> k) & 1) out += ` ${(s >>> k) & 1}${id}`;
    });
    out += '\n';
    prev = s;
  }
  return out + `#${Math.round(endNs / SAMPLE_NS)}\n`;
}

function sigrokTransfers(file: string, mode: SpiMode): { mosi: string; miso: string }[] {
  const opts = [
    'spi:clk=SCK:mosi=MOSI:miso=MISO:cs=CS', `cpol=${mode.cpol}`, `cpha=${mode.cpha}`,
    `bitorder=${mode.bitOrder}-first`, `cs_polarity=active-${mode.csActive}`, `wordsize=${mode.wordBits}`,
  ].join(':');
  const r = spawnSync('sigrok-cli', ['-i', file, '-P', opts, '-A', 'spi=mosi-transfer:miso-transfer'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n').map((l) => l.replace(/^spi-1:\s*/, '').trim().toLowerCase());
  const out: { mosi: string; miso: string }[] = [];
  for (let k = 0; k + 1 < lines.length; k += 2) out.push({ miso: lines[k], mosi: lines[k + 1] });
  return out;
}

const hex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');

async function* once<T>(items: T[]): AsyncGenerator<T[]> {
  yield items;
}

test('decodeSpi agrees with sigrok-cli on every mode, bit order and CS polarity', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'buddyshark-spi-'));
  let seed = 7;
  const rnd = (): number => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24;
  try {
    for (const cpol of [0, 1] as const) {
      for (const cpha of [0, 1] as const) {
        for (const bitOrder of ['msb', 'lsb'] as const) {
          for (const csActive of ['low', 'high'] as const) {
            const mode: SpiMode = { cpol, cpha, bitOrder, csActive, wordBits: 8 };
            const txns: RenderTxn[] = [];
            let t = 1000;
            for (let k = 0; k < 4; k++) {
              const n = 1 + (rnd() % 12);
              const txn: RenderTxn = { kind: 'txn', startNs: t, mosi: Uint8Array.from({ length: n }, rnd), miso: Uint8Array.from({ length: n }, rnd) };
              txns.push(txn);
              t = renderedEndNs(txn, { mode, bitHz: 5e6 }) + 2000;
            }
            const { info, batches } = renderSpi(once(txns), { mode, bitHz: 5e6, samplePeriodNs: SAMPLE_NS });
            const whole = concat(await collectBatches(batches));
            const file = join(dir, `m${cpol}${cpha}${bitOrder}${csActive}.vcd`);
            writeFileSync(file, toVcd(info, whole, t));
            const ours = ofKind(await collect(decodeSpi(info, stream([whole]), RENDER_MAP, { mode })), 'txn')
              .map((r) => ({ mosi: hex(r.mosi), miso: hex(r.miso) }));
            assert.deepEqual(ours, txns.map((x) => ({ mosi: hex(x.mosi), miso: hex(x.miso) })));
            assert.deepEqual(sigrokTransfers(file, mode), ours, `mode ${cpol * 2 + cpha} ${bitOrder} CS ${csActive}`);
          }
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('where sigrok silently drops a partial word, decodeSpi reports it', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'buddyshark-spi-'));
  try {
    const b = new SignalBuilder({ cs: 1 });
    b.set(1000, 'cs', 0);
    const t = b.bits(b.bits(1100, 100, 8, 0xa5, 0x5a), 100, 3, 0b101, 0b010);
    b.set(t + 100, 'cs', 1);
    const info: SignalInfo = { channels: ['CS', 'SCK', 'MOSI', 'MISO', 'READY', 'IRQ', 'RESET'], source: 'hand', samplePeriodNs: SAMPLE_NS };
    const file = join(dir, 'partial.vcd');
    writeFileSync(file, toVcd(info, b.batch(), t + 1000));
    assert.deepEqual(sigrokTransfers(file, DEFAULT_MODE), [{ mosi: 'a5', miso: '5a' }]);
    const recs = await collect(decodeSpi(info, stream([b.batch()]), MAP));
    assert.deepEqual(ofKind(recs, 'txn').map((r) => [hex(r.mosi), r.partialBits]), [['a5', 3]]);
    assert.deepEqual(ofKind(recs, 'anomaly').map((a) => [a.code, a.count]), [['partial-word', 3]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('where a one-sample CS glitch splits sigrok\'s transfer, decodeSpi keeps one and reports the glitch', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'buddyshark-spi-'));
  try {
    const b = new SignalBuilder({ cs: 1 });
    b.set(1000, 'cs', 0);
    b.bits(1100, 100, 8, 0x12, 0x34);
    b.set(1950, 'cs', 1).set(1960, 'cs', 0);
    const t = b.bits(2000, 100, 8, 0x56, 0x78);
    b.set(t + 100, 'cs', 1);
    const info: SignalInfo = { channels: ['CS', 'SCK', 'MOSI', 'MISO', 'READY', 'IRQ', 'RESET'], source: 'hand', samplePeriodNs: SAMPLE_NS };
    const file = join(dir, 'glitch.vcd');
    writeFileSync(file, toVcd(info, b.batch(), t + 1000));
    assert.deepEqual(sigrokTransfers(file, DEFAULT_MODE), [{ mosi: '12', miso: '34' }, { mosi: '56', miso: '78' }]);
    const recs = await collect(decodeSpi(info, stream([b.batch()]), MAP));
    assert.deepEqual(ofKind(recs, 'txn').map((r) => [hex(r.mosi), hex(r.miso)]), [['12 56', '34 78']]);
    assert.deepEqual(ofKind(recs, 'anomaly').map((a) => [a.code, a.startNs, a.endNs]), [['cs-glitch', 1950, 1960]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
