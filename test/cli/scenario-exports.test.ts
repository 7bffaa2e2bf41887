/**
 * The sniffer against the simulator: every shipped scenario, exported in each format a user gets
 * from a logic analyzer (or as a transaction stream / pcapng), decodes to exactly the records the
 * simulator produced. `flood` (about 3 MB on the bus) is checked as .sr and as a 0.6 GB VCD; its
 * 1.2 GB Saleae CSV export takes minutes to write, so bench/decode-memory.ts decodes that one.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openRecords } from '../../src/pipeline/open-records.ts';
import { openScenario, scenarioNames, scenarioPath } from '../../src/pipeline/scenario-path.ts';
import { writeSimOutput } from '../../src/cli/sim-outputs.ts';
import { decodeLink } from '../../src/link/stream.ts';
import { createLinkStage } from '../../src/link/select.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { runScenario } from '../../src/sim/index.ts';
import { canonical, collect, tempDir } from './helpers.ts';

const SCENARIOS = scenarioNames();
const dir = tempDir('bs-exports-');

/** What a perfect sniffer would report for a scenario. */
async function expected(name: string): Promise<BuddyRecord[]> {
  return collect(decodeLink(runScenario(openScenario(name)).records, createLinkStage('buddy')));
}

async function exportAndDecode(name: string, ext: string, rateHz?: number): Promise<BuddyRecord[]> {
  const file = join(dir, `${name}.${ext}`);
  const sc = openScenario(name);
  await writeSimOutput(file, runScenario(sc).records, sc, { force: true, ...(rateHz ? { rateHz } : {}) });
  const { records } = await openRecords(file);
  return collect(records);
}

/** Times as a sampling logic analyzer records them. */
function quantised(records: BuddyRecord[], periodNs: number): BuddyRecord[] {
  const q = (t: number): number => Math.round(t / periodNs) * periodNs;
  return records.map((r) => ({ ...r, startNs: q(r.startNs), endNs: q(r.endNs) }));
}

function firstDifference(a: string[], b: string[]): string {
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return `record ${i}: got ${a[i]?.slice(0, 300)}\n want ${b[i]?.slice(0, 300)}`;
  return 'equal';
}

function assertSame(got: BuddyRecord[], want: BuddyRecord[]): void {
  const g = canonical(got);
  const w = canonical(want);
  assert.equal(g.length, w.length, `record counts differ; ${firstDifference(g, w)}`);
  assert.ok(g.every((x, i) => x === w[i]), firstDifference(g, w));
}

describe('every shipped scenario decodes from every export format to what the simulator produced', () => {
  it('ships the five scenarios the issue names', () => {
    for (const s of ['demo', 'wrong-passphrase', 'buddy-reset', 'noisy-bus', 'flood']) assert.ok(SCENARIOS.includes(s), s);
  });

  for (const name of SCENARIOS) {
    describe(name, () => {
      let want: BuddyRecord[] = [];
      it('runs and decodes with anomalies only where the scenario injects faults', async () => {
        want = await expected(name);
        assert.ok(want.some((r) => r.kind === 'frame'));
        const anomalies = want.filter((r) => r.kind === 'anomaly').length;
        // A scenario injects faults in its "faults" section; without one the link must be clean.
        const faults = (JSON.parse(readFileSync(scenarioPath(name) ?? '', 'utf8')) as { faults?: object }).faults;
        if (faults === undefined) assert.equal(anomalies, 0);
        else assert.ok(anomalies > 0);
      });
      it('as an NDJSON transaction stream', async () => assertSame(await exportAndDecode(name, 'ndjson'), want));
      it('as pcapng', async () => assertSame(await exportAndDecode(name, 'pcapng'), want));
      it('as a Saleae SPI analyzer table (no side-band lines in that export)', async () => {
        const got = await exportAndDecode(name, 'analyzer.csv');
        // The analyzer table carries transactions only; the glitches and line edges are not in it.
        assertSame(got, want.filter((r) => r.kind !== 'line' && !(r.kind === 'anomaly' && r.code === 'cs-glitch')));
      });
      it('as a sigrok .sr session sampled at 100 MHz', async () => {
        assertSame(await exportAndDecode(name, 'sr', 100e6), quantised(want, 10));
      });
      it('as VCD', async () => assertSame(await exportAndDecode(name, 'vcd'), want));
      if (name !== 'flood') {
        it('as a Saleae Logic 2 digital CSV', async () => assertSame(await exportAndDecode(name, 'csv'), want));
      }
    });
  }
});
