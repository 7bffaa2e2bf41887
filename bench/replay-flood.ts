/**
 * Replay speed on a flood (issue 7: at least 10x faster than the capture's real time).
 *
 * Generates a flood capture with tens of thousands of frames (the shipped flood scenario with
 * `FRAMES` frames each way, default 10000), then replays it against each end, in process and
 * through the CLI, and prints the captured time span, the wall time and their ratio, and the CLI's
 * peak RSS (run it at two sizes: the RSS must not grow with the capture).
 *
 *   node --import tsx bench/replay-flood.ts [frames]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGolden } from '../src/replay/golden.ts';
import { replayCapture } from '../src/replay/run.ts';
import { loadScenario } from '../src/sim/scenario.ts';

const root = join(import.meta.dirname, '..');
const TIME = '/usr/bin/time';
const frames = Number(process.argv[2] ?? 10_000);
const sc = loadScenario(join(root, 'captures/scenarios/flood.json'));
const big = { ...sc, name: `flood-${frames}`, steps: sc.steps.map((s) => (s.do === 'flood' ? { ...s, frames } : s)) };
const dir = mkdtempSync(join(tmpdir(), 'bs-replay-bench-'));
writeFileSync(join(dir, 'scenario.json'), JSON.stringify(big));
let t = performance.now();
const g = await writeGolden(big, dir);
console.log(`capture: ${g.packets} packets, ${(statSync(g.capture).size / 1e6).toFixed(1)} MB gzipped, written in ${((performance.now() - t) / 1e3).toFixed(1)} s`);

const cpuMs = (from: NodeJS.CpuUsage): number => {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1000;
};
for (const against of ['buddy', 'cpu'] as const) {
  // One warm-up replay so the in-process figure is the steady state, not the JIT's first pass.
  await replayCapture(g.capture, { against });
  t = performance.now();
  const c = process.cpuUsage();
  const o = await replayCapture(g.capture, { against });
  const wall = performance.now() - t;
  const cpu = cpuMs(c);
  // Captured real time: from the first transaction to the last (the simulator boots 50 ms before).
  const span = (o.virtualNs - 50e6) / 1e6;
  console.log(`in process, against ${against}: ${o.stats.transactions} transactions, ${o.matched ? 'match' : `${o.stats.divergences} divergences`}; ` +
    `captured ${(span / 1e3).toFixed(2)} s replayed in ${(wall / 1e3).toFixed(2)} s wall (${(cpu / 1e3).toFixed(2)} s CPU) = ${(span / wall).toFixed(1)}x real time (${(span / cpu).toFixed(1)}x by CPU)`);
  t = performance.now();
  // Under /usr/bin/time when there is one, for the peak RSS: it must not grow with the capture.
  const cli = [process.execPath, join(root, 'bin/buddyshark.js'), 'replay', g.capture, '--against', against];
  const timed = existsSync(TIME) ? [TIME, '-f', 'peak-rss-kb %M', ...cli] : cli;
  const r = spawnSync(timed[0], timed.slice(1), { encoding: 'utf8' });
  const cliWall = performance.now() - t;
  const rss = /peak-rss-kb (\d+)/.exec(r.stderr)?.[1];
  console.log(`CLI (startup included), against ${against}: exit ${r.status}, ${(cliWall / 1e3).toFixed(2)} s = ${(span / cliWall).toFixed(1)}x real time` +
    (rss ? `, peak RSS ${(Number(rss) / 1024).toFixed(0)} MiB` : ''));
}
rmSync(dir, { recursive: true, force: true });
