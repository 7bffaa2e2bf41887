/**
 * Benchmark: peak memory of `buddyshark decode` on a capture of a gigabyte or more (target: peak
 * RSS < 300 MB, i.e. the pipeline streams and never holds the capture).
 *
 * Generates, in a temp dir, the flood scenario (TX then RX floods of 1514-byte frames) as a Saleae
 * CSV at 100 MHz (~1.2 GB; `--kind vcd` writes a VCD instead, with `--frames` raised so it passes
 * 1 GB), then runs `buddyshark decode FILE --json > /dev/null` under /usr/bin/time (peak RSS, wall
 * and CPU time) while polling the node process's VmRSS every 200 ms, to show RSS over the run.
 * Prints size, changes, time, throughput (MB/s and M changes/s of the file) and peak RSS against
 * the target. The big file is deleted at the end (unless `--keep`, or `--file` was given).
 *
 * Run: node --import tsx bench/decode-memory.ts [--kind csv|vcd] [--frames N] [--file existing] [--keep]
 * `--frames N`: frames per flood direction (the shipped flood has 1000; default 1000 for csv, 1800
 * for vcd).
 */
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i > 0 && i + 1 < process.argv.length ? process.argv[i + 1] : undefined;
}
const KIND = arg('--kind') ?? 'csv';
if (KIND !== 'csv' && KIND !== 'vcd') throw new Error(`--kind must be csv or vcd (got ${KIND})`);
const FRAMES = Number(arg('--frames') ?? (KIND === 'csv' ? 1000 : 1800));
const GIVEN = arg('--file');
const KEEP = process.argv.includes('--keep');
const RATE = 100_000_000;
const LIMIT_MB = 300;
const CLI = fileURLToPath(new URL('../bin/buddyshark.js', import.meta.url));
const FLOOD = fileURLToPath(new URL('../captures/scenarios/flood.json', import.meta.url));
const TIME = '/usr/bin/time';

const mb = (bytes: number): string => (bytes / 1e6).toFixed(1);

/** The pid of the (only) child of `pid`, once it exists: the node process /usr/bin/time started. */
function childOf(pid: number): number | null {
  try {
    const kids = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return kids ? Number(kids.split(/\s+/)[0]) : null;
  } catch {
    return null;
  }
}

function statusKB(pid: number, field: string): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'buddyshark-mem-bench-'));
try {
  if (!existsSync(TIME)) throw new Error(`${TIME} not found (Debian package "time")`);
  let file = GIVEN;
  let changes = NaN;
  if (file === undefined) {
    // A copy of the shipped flood with FRAMES frames per direction, so the file size can be scaled.
    const sc = JSON.parse(readFileSync(FLOOD, 'utf8')) as { name: string; steps: { do: string; frames?: number }[] };
    for (const s of sc.steps) if (s.do === 'flood') s.frames = FRAMES;
    const scPath = join(dir, 'flood-big.json');
    writeFileSync(scPath, JSON.stringify(sc));
    file = join(dir, `flood.${KIND}`);
    const t0 = performance.now();
    const sim = spawnSync(process.execPath, [CLI, 'simulate', scPath, '-o', file, '--rate', String(RATE)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    if (sim.status !== 0) throw new Error(`simulate failed: ${sim.stderr}${sim.stdout}`);
    const wrote = /wrote [^\n]*/.exec(sim.stdout)?.[0] ?? '';
    changes = Number(/(\d+) changes/.exec(wrote)?.[1] ?? NaN);
    console.log(`simulated flood (${FRAMES} frames each way) in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${wrote.trim()}`);
  }
  const size = statSync(file).size;
  if (size < 1e9) console.log(`note: ${file} is ${mb(size)} MB, under 1 GB (raise --frames)`);

  const timeFile = join(dir, 'time.txt');
  const t0 = performance.now();
  const child = spawn(TIME, ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, CLI, 'decode', file, '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  // RSS over time, sampled from /proc: a flat line after warm-up is what streaming looks like.
  const rss: { t: number; kb: number }[] = [];
  let nodePid: number | null = null;
  let hwm = 0;
  const poll = setInterval(() => {
    nodePid ??= childOf(child.pid as number);
    if (nodePid === null) return;
    const kb = statusKB(nodePid, 'VmRSS');
    if (kb !== null) rss.push({ t: (performance.now() - t0) / 1000, kb });
    hwm = Math.max(hwm, statusKB(nodePid, 'VmHWM') ?? 0);
  }, 200);
  const [code] = (await once(child, 'close')) as [number | null];
  clearInterval(poll);
  if (code !== 0) throw new Error(`decode exited ${code}: ${stderr.slice(0, 500)}`);
  const m = /([\d.]+) ([\d.]+) ([\d.]+) (\d+)\s*$/.exec(readFileSync(timeFile, 'utf8'));
  if (!m) throw new Error('no timing from /usr/bin/time');
  const wall = Number(m[1]);
  const cpu = Number(m[2]) + Number(m[3]);
  const peakKB = Math.max(Number(m[4]), hwm);

  console.log(`buddyshark decode ${file.split('/').pop()} --json > /dev/null: ${mb(size)} MB in ${wall.toFixed(2)} s wall, ${cpu.toFixed(2)} s CPU ` +
    `= ${(size / 1e6 / wall).toFixed(1)} MB/s wall, ${(size / 1e6 / cpu).toFixed(1)} MB/s CPU` +
    (Number.isNaN(changes) ? '' : `, ${(changes / wall / 1e6).toFixed(2)} M changes/s wall`));
  if (rss.length > 0) {
    const at = (f: number): string => {
      const s = rss[Math.min(rss.length - 1, Math.floor(f * rss.length))];
      return `${s.t.toFixed(1)} s: ${(s.kb / 1024).toFixed(0)} MB`;
    };
    console.log(`RSS over the run (${rss.length} samples): ${[0.1, 0.25, 0.5, 0.75, 0.99].map(at).join(', ')}`);
  }
  const peakMB = peakKB / 1024;
  console.log(`peak RSS: ${peakMB.toFixed(1)} MiB (target < ${LIMIT_MB} MB): ${peakMB < LIMIT_MB ? 'MET' : 'NOT MET'}`);
} finally {
  if (KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
