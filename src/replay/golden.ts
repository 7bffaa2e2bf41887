/**
 * The golden corpus: for every shipped scenario, a gzipped pcapng of a simulator run plus the world
 * file it must be replayed in (`<name>.world.json`: the scenario's settings and what the network
 * peer did on its own schedule). `npm run golden` rewrites them; the replay test replays every one
 * against both ends and fails when a change to the model, the driver or the protocol changes them.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { decodeLink } from '../link/stream.ts';
import { writeRecordsToPcapngOutput } from '../pcapng/sink.ts';
import { runScenario } from '../sim/run.ts';
import type { Scenario } from '../sim/scenario.ts';
import type { WorldEvent, WorldSpec } from './world.ts';
import { createLinkStage } from '../link/select.ts';

export interface GoldenFiles {
  readonly capture: string;
  readonly world: string;
  readonly packets: number;
}

export async function writeGolden(sc: Scenario, dir: string): Promise<GoldenFiles> {
  await mkdir(dir, { recursive: true });
  const events: WorldEvent[] = [];
  const run = runScenario(sc, {
    onWorld: (world, sched) => {
      const flood = world.peer.flood.bind(world.peer);
      world.peer.flood = (frames: number, size: number): void => {
        events.push({ atNs: sched.now, do: 'peer-flood', frames, size });
        flood(frames, size);
      };
    },
  });
  const capture = join(dir, `${sc.name}.pcapng.gz`);
  const gzip = createGzip({ level: 9 });
  const done = pipeline(gzip, createWriteStream(capture));
  const counts = await writeRecordsToPcapngOutput(decodeLink(run.records, createLinkStage('buddy')), gzip);
  gzip.end();
  await done;
  const report = await run.done;
  if (!report.passed) throw new Error(`scenario ${sc.name} failed: ${report.failures.join('; ')}`);
  const { steps: _s, tailMs: _t, description: _d, ...settings } = sc;
  const spec: WorldSpec = { ...settings, ...(events.length ? { events } : {}) };
  const world = join(dir, `${sc.name}.world.json`);
  await writeFile(world, `${JSON.stringify(spec, null, 2)}\n`);
  return { capture, world, packets: counts.packets };
}
