/**
 * Bench: a simulated hour of an idle, connected link (heartbeats every second, background ARP
 * every few seconds). Streams the records without keeping them and reports wall time, record
 * counts and memory (RSS and heap sampled through the run: they must stay flat).
 *
 *   node --import tsx bench/sim-idle.ts [minutes=60]
 *   node --expose-gc --import tsx bench/sim-idle.ts 60   # steadier heap figures
 */
import { parseScenario } from '../src/sim/scenario.ts';
import { runScenario } from '../src/sim/run.ts';

const minutes = Number(process.argv[2] ?? 60);
const sc = parseScenario({
  name: 'idle-hour',
  seed: 11,
  world: { aps: [{ ssid: 'mnemos-lab', channel: 6, rssi: -50, security: 'wpa2', passphrase: 'correct horse battery' }] },
  steps: [
    { do: 'connect', ssid: 'mnemos-lab', passphrase: 'correct horse battery' },
    { do: 'dhcp' },
    { do: 'wait', ms: minutes * 60_000 },
    { do: 'status' },
  ],
}, 'idle-hour');

const gc = (globalThis as { gc?: () => void }).gc;
const mb = (n: number): string => (n / 1048576).toFixed(1);
gc?.();
const rss0 = process.memoryUsage().rss;
const heap0 = process.memoryUsage().heapUsed;
const t0 = performance.now();
const run = runScenario(sc, { maxNs: (minutes + 5) * 60e9 });
let records = 0;
let txns = 0;
let batches = 0;
const samples: { rss: number; heap: number }[] = [];
for await (const batch of run.records) {
  records += batch.length;
  for (const r of batch) if (r.kind === 'txn') txns++;
  if (++batches % 4 === 0) {
    gc?.();
    const m = process.memoryUsage();
    samples.push({ rss: m.rss, heap: m.heapUsed });
  }
}
const report = await run.done;
const wall = performance.now() - t0;
gc?.();
const end = process.memoryUsage();
const half = samples.slice(Math.floor(samples.length / 2));
const heaps = half.map((s) => s.heap);
console.log(JSON.stringify({
  virtualMinutes: +(report.durationNs / 60e9).toFixed(2),
  passed: report.passed,
  failures: report.failures,
  wallMs: Math.round(wall),
  speedup: Math.round(report.durationNs / 1e6 / wall),
  records,
  transactions: txns,
  heartbeats: report.counts.heartbeats,
  rssMB: { before: mb(rss0), after: mb(end.rss), maxDuringRun: mb(Math.max(...samples.map((s) => s.rss), end.rss)) },
  heapMB: { before: mb(heap0), after: mb(end.heapUsed), secondHalfMin: mb(Math.min(...heaps)), secondHalfMax: mb(Math.max(...heaps)) },
}, null, 2));
