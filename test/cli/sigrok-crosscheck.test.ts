/**
 * sigrok's own SPI decoder on the simulator's exports: for `demo` and `noisy-bus`, the VCD and the
 * .sr session that `simulate` writes give, per transaction, the same MOSI and MISO bytes as the
 * simulator put on the wire. (sigrok prints each transfer as two lines, MISO first.)
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { writeSimOutput } from '../../src/cli/sim-outputs.ts';
import { toHex } from '../../src/protocol/bytes.ts';
import type { TxnRecord } from '../../src/records/types.ts';
import { runScenario } from '../../src/sim/index.ts';
import { canonical, collect, hasTool, tempDir } from './helpers.ts';
import { openRecords } from '../../src/pipeline/open-records.ts';
import { decodeLink } from '../../src/link/stream.ts';
import { createLinkStage } from '../../src/link/select.ts';

const skip = hasTool('sigrok-cli') ? false : 'sigrok-cli not installed';
const dir = tempDir('bs-sigrok-');

function sigrokTransfers(file: string): { mosi: string; miso: string }[] {
  const r = spawnSync('sigrok-cli', ['-i', file, '-P', 'spi:clk=SCK:mosi=MOSI:miso=MISO:cs=CS', '-A', 'spi=mosi-transfer:miso-transfer'], {
    encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
  });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.split('\n').filter((l) => l.startsWith('spi-1:')).map((l) => l.slice(6).trim().toLowerCase().replace(/\s+/g, ''));
  const out: { mosi: string; miso: string }[] = [];
  for (let k = 0; k + 1 < lines.length; k += 2) out.push({ miso: lines[k], mosi: lines[k + 1] });
  // A CS pulse with no clock (an injected glitch) is an empty transfer to sigrok.
  return out.filter((t) => t.mosi !== '' || t.miso !== '');
}

describe('sigrok-cli decodes the simulator exports to the bytes the simulator sent', { skip }, () => {
  for (const name of ['demo', 'noisy-bus']) {
    for (const ext of ['vcd', 'sr']) {
      it(`${name}.${ext}`, async () => {
        const sc = openScenario(name);
        const txns = (await collect(runScenario(sc).records)).filter((r): r is TxnRecord => r.kind === 'txn');
        const file = join(dir, `${name}.${ext}`);
        await writeSimOutput(file, runScenario(sc).records, sc, { force: true, rateHz: 100e6 });
        const got = sigrokTransfers(file);
        assert.equal(got.length, txns.length);
        got.forEach((t, i) => {
          assert.equal(t.mosi, toHex(txns[i].mosi), `txn ${i} MOSI`);
          assert.equal(t.miso, toHex(txns[i].miso), `txn ${i} MISO`);
        });
      });
    }
  }
});

describe('a .sr written by sigrok-cli itself decodes to the records the simulator produced', { skip }, () => {
  for (const name of ['demo', 'noisy-bus']) {
    it(`${name}: simulate -> VCD -> sigrok-cli -o .sr -> buddyshark`, async () => {
      const sc = openScenario(name);
      const vcd = join(dir, `${name}-for-sigrok.vcd`);
      const sr = join(dir, `${name}-by-sigrok.sr`);
      await writeSimOutput(vcd, runScenario(sc).records, sc, { force: true, rateHz: 100e6 });
      const conv = spawnSync('sigrok-cli', ['-i', vcd, '-o', sr], { encoding: 'utf8' });
      assert.equal(conv.status, 0, conv.stderr);
      const want = canonical((await collect(decodeLink(runScenario(sc).records, createLinkStage('buddy')))).map((r) => ({ ...r, startNs: Math.round(r.startNs / 10) * 10, endNs: Math.round(r.endNs / 10) * 10 })));
      const got = canonical(await collect((await openRecords(sr)).records));
      assert.equal(got.length, want.length);
      got.forEach((g, i) => assert.equal(g, want[i], `record ${i}`));
    });
  }
});
