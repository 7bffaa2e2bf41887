/**
 * Bench: a live source kept up with at the link's full rate. `simulate --serve` (a child process,
 * --speed 1) streams a long variant of the `flood` scenario with a 40 MHz bus clock (TX and RX
 * floods repeated until it lasts `seconds` of real time); this process is the consumer:
 * openLiveSource + decodeLink + the pcapng sink (to a temp file). Printed: backlog (records
 * decoded but not yet consumed: each second, and the peak so far) over time, the consumer's CPU % (user + system over wall), records/s
 * and link bytes/s, events the server had to drop. Kept up = the backlog does not grow and nothing is
 * dropped. Then the same stream at --speed max, for the consumer's headroom over real time.
 *
 *   node --import tsx bench/live-flood.ts [--seconds 60] [--no-max]
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openScenario } from '../src/pipeline/scenario-path.ts';
import { decodeLink } from '../src/link/stream.ts';
import { createLinkStage } from '../src/link/select.ts';
import { writeRecordsToPcapng } from '../src/pcapng/sink.ts';
import { drainScenario } from '../src/sim/run.ts';
import { parseScenario, type ScenarioInput } from '../src/sim/scenario.ts';
import { openLiveSource } from '../src/sources/live/open.ts';
import type { LiveStats } from '../src/sources/live/types.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const seconds = opt('seconds', 60);
const withMax = !args.includes('--no-max');
const BIN = new URL('../bin/buddyshark.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'bs-live-flood-'));

/** The shipped flood at 40 MHz, its two floods repeated `pairs` times. */
function floodVariant(pairs: number): ScenarioInput {
  const base = openScenario('flood');
  const floods = base.steps.filter((s) => s.do === 'flood');
  const setup = base.steps.filter((s) => s.do === 'connect' || s.do === 'dhcp');
  const tail = base.steps.filter((s) => s.do === 'ping');
  return {
    ...base, name: `flood-40mhz-x${pairs}`, bus: { ...base.bus, clockHz: 40_000_000 },
    steps: [...setup, ...Array.from({ length: pairs }, () => floods).flat(), ...tail],
  } as ScenarioInput;
}

async function calibrate(): Promise<number> {
  const one = await drainScenario(parseScenario(floodVariant(1)));
  const two = await drainScenario(parseScenario(floodVariant(2)));
  const perPair = two.report.durationNs - one.report.durationNs;
  return Math.max(1, Math.round((seconds * 1e9 - (one.report.durationNs - perPair)) / perPair));
}

interface Sample { t: number; backlog: number; peak: number; records: number; bytes: number; cpuPct: number }

async function consume(file: string, speed: string): Promise<{ samples: Sample[]; wallS: number; cpuS: number; stats: LiveStats; served: { dropped: number; records: number; passed: boolean } }> {
  const child = spawn(process.execPath, [BIN, 'simulate', file, '--serve', 'tcp://127.0.0.1:0', '--speed', speed, '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const hello = JSON.parse(String((await lines.next()).value)) as { url: string };
  const live = await openLiveSource(hello.url, { reconnect: false });
  const samples: Sample[] = [];
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let lastT = t0;
  let lastCpu = cpu0;
  const timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const used = (cpu.user - lastCpu.user + cpu.system - lastCpu.system) / 1000;
    samples.push({
      t: (now - t0) / 1000, backlog: live.stats.backlog, peak: live.stats.peakBacklog ?? 0, records: live.stats.records, bytes: live.stats.bytes,
      cpuPct: (100 * used) / (now - lastT),
    });
    lastT = now;
    lastCpu = cpu;
  }, 1000);
  const pcap = join(dir, `live-${speed}.pcapng`);
  await writeRecordsToPcapng(decodeLink(live.records, createLinkStage('buddy')), pcap, { force: true });
  clearInterval(timer);
  const wallS = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  const report = JSON.parse(String((await lines.next()).value)) as { passed: boolean; serve: { dropped: number; records: number } };
  return { samples, wallS, cpuS: (c.user + c.system) / 1e6, stats: live.stats, served: { ...report.serve, passed: report.passed } };
}

const pairs = await calibrate();
const sc = floodVariant(pairs);
const file = join(dir, 'flood-long.json');
writeFileSync(file, JSON.stringify(sc));
console.log(`scenario: flood at 40 MHz, TX+RX floods x${pairs} (about ${seconds} s of virtual time)`);

const real = await consume(file, '1');
console.log('\nreal time (--speed 1): consumer = openLiveSource + decodeLink + pcapng sink');
console.log('   t s   backlog  peak so far   records/s      MB/s   CPU %');
let prev = { records: 0, bytes: 0, t: 0 };
for (const [i, s] of real.samples.entries()) {
  if ((i + 1) % 5 === 0 || i === real.samples.length - 1) {
    const dt = s.t - prev.t || 1;
    console.log(`${s.t.toFixed(0).padStart(6)} ${String(s.backlog).padStart(9)} ${String(s.peak).padStart(12)} ${((s.records - prev.records) / dt).toFixed(0).padStart(11)} ${((s.bytes - prev.bytes) / dt / 1e6).toFixed(2).padStart(9)} ${s.cpuPct.toFixed(1).padStart(7)}`);
    prev = s;
  }
}
const third = Math.max(1, Math.floor(real.samples.length / 3));
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const early = mean(real.samples.slice(0, third).map((s) => s.backlog));
const late = mean(real.samples.slice(-third).map((s) => s.backlog));
const maxBacklog = real.stats.peakBacklog ?? 0;
const cpu = real.samples.map((s) => s.cpuPct);
console.log(`\nwall ${real.wallS.toFixed(1)} s, ${real.stats.records} records (${(real.stats.records / real.wallS).toFixed(0)}/s), ${(real.stats.bytes / 1e6).toFixed(1)} MB from the bridge (${(real.stats.bytes / real.wallS / 1e6).toFixed(2)} MB/s)`);
console.log(`consumer CPU: ${((100 * real.cpuS) / real.wallS).toFixed(1)} % average, ${Math.max(...cpu).toFixed(1)} % peak second`);
console.log(`backlog (sampled each second): mean ${early.toFixed(1)} in the first third, ${late.toFixed(1)} in the last third; peak over the run ${maxBacklog} records; server dropped ${real.served.dropped} events; scenario ${real.served.passed ? 'passed' : 'FAILED'}`);
console.log(`kept up: ${real.served.dropped === 0 && late <= Math.max(early * 2, 100) ? 'yes' : 'NO'}`);

if (withMax) {
  const max = await consume(file, 'max');
  const needed = real.stats.records / real.wallS;
  const got = max.stats.records / max.wallS;
  console.log(`\nas fast as possible (--speed max): ${max.wallS.toFixed(1)} s, ${got.toFixed(0)} records/s, ${(max.stats.bytes / max.wallS / 1e6).toFixed(2)} MB/s, consumer CPU ${((100 * max.cpuS) / max.wallS).toFixed(0)} %, dropped ${max.served.dropped}`);
  console.log(`headroom over real time: ${(got / needed).toFixed(1)}x (the slower of the consumer and the simulator sets it; events the server`);
  console.log('dropped here are the bounded per-client queue at work: the producer outran the consumer)');
}
rmSync(dir, { recursive: true, force: true });
