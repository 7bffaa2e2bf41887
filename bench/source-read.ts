/**
 * Benchmark: reading a large sigrok .sr capture, against sigrok-cli as a peer.
 *
 * Generates (in a temp dir, removed afterwards) a .sr of SPI-like traffic at 8 channels, unitsize 1
 * (default 1e9 samples; `--samples N` to change), then reports:
 * - the samples -> changes loop alone, over an in-memory chunk (the part we control);
 * - openSource + iterating every batch (inflate included), samples/s and changes/s;
 * - `sigrok-cli -i same.sr -O binary > /dev/null` on the same file, and the ratios (wall and CPU
 *   time: CPU time is the fairer figure on a loaded machine).
 *
 * Run: node --import tsx bench/source-read.ts [--samples 200000000]
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yazl from 'yazl';
import { openSource } from '../src/sources/open.ts';
import { scanSamples } from '../src/sources/sigrok-sr.ts';
import { srMetadata } from '../src/exports/sigrok-sr.ts';

const argIdx = process.argv.indexOf('--samples');
const SAMPLES = argIdx > 0 ? Number(process.argv[argIdx + 1]) : 1e9;
const CHUNK = 4 * 1024 * 1024;
const RATE = 100_000_000; // 100 MHz

/** One 4 MiB chunk: bursts of 8-bit SPI words (SCK toggling every 6 samples) between idle gaps. */
function spiChunk(): Uint8Array {
  const buf = new Uint8Array(CHUNK);
  let i = 0;
  let word = 0x5a;
  const CS = 1 << 3;
  while (i < CHUNK) {
    // Idle, CS high.
    for (let k = 0; k < 600 && i < CHUNK; k++) buf[i++] = CS;
    // A transaction of 16 words.
    for (let w = 0; w < 16; w++) {
      word = (word * 29 + 7) & 0xff;
      for (let bit = 7; bit >= 0; bit--) {
        const mosi = (word >> bit) & 1;
        const miso = (~word >> bit) & 1;
        const base = (mosi << 1) | (miso << 2);
        for (let k = 0; k < 6 && i < CHUNK; k++) buf[i++] = base;
        for (let k = 0; k < 6 && i < CHUNK; k++) buf[i++] = base | 1;
      }
    }
  }
  return buf;
}

async function makeSr(path: string, chunk: Uint8Array): Promise<void> {
  const zip = new yazl.ZipFile();
  zip.addBuffer(Buffer.from('2'), 'version');
  zip.addBuffer(Buffer.from(srMetadata(['CLK', 'MOSI', 'MISO', 'CS', 'READY', 'IRQ', 'RESET', 'D7'], RATE, 1)), 'metadata');
  const full = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const n = Math.ceil(SAMPLES / CHUNK);
  for (let k = 1; k <= n; k++) {
    const len = Math.min(CHUNK, SAMPLES - (k - 1) * CHUNK);
    zip.addBuffer(len === CHUNK ? full : full.subarray(0, len), `logic-1-${k}`, { compressionLevel: 1 });
  }
  const out = createWriteStream(path);
  zip.outputStream.pipe(out);
  zip.end();
  await once(out, 'close');
}

function loopRate(chunk: Uint8Array): number {
  const s = { times: new Float64Array(65536), states: new Uint32Array(65536), length: 0, prev: -1 };
  const reps = 50;
  const words = new Uint32Array(chunk.buffer, chunk.byteOffset, chunk.length >> 2);
  const t0 = process.hrtime.bigint();
  for (let r = 0; r < reps; r++) {
    let i = 0;
    while (i < chunk.length) {
      i = scanSamples(chunk, words, i, chunk.length, r * chunk.length, 10, 0xff, s);
      if (s.length === s.times.length) s.length = 0;
    }
  }
  const sec = Number(process.hrtime.bigint() - t0) / 1e9;
  return (reps * chunk.length) / sec;
}

/** Wall and CPU (user + sys) seconds of `sigrok-cli -i path -O binary > /dev/null`, via bash's time. */
async function timeSigrok(path: string): Promise<{ wall: number; cpu: number } | null> {
  const cmd = `TIMEFORMAT='%R %U %S'; { time sigrok-cli -i '${path}' -O binary > /dev/null ; } 2>&1`;
  const child = spawn('bash', ['-c', cmd], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  const m = /([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(out);
  if (code !== 0 || !m || /not found|rror/.test(out)) {
    console.log(`sigrok-cli: not run or failed: ${out.trim().slice(0, 200)}`);
    return null;
  }
  return { wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) };
}

const dir = mkdtempSync(join(tmpdir(), 'buddyshark-bench-'));
try {
  const chunk = spiChunk();
  const path = join(dir, 'big.sr');
  let t = Date.now();
  await makeSr(path, chunk);
  console.log(`generated ${SAMPLES.toExponential(2)} samples (8 ch @ 100 MHz) -> ${(statSync(path).size / 1e6).toFixed(1)} MB .sr in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const src = await openSource(path);
  if (src.kind !== 'signals') throw new Error('expected signals');
  t = Date.now();
  const cpu0 = process.cpuUsage();
  let changes = 0;
  let last = 0;
  for await (const b of src.batches) {
    changes += b.length;
    last = b.times[b.length - 1];
  }
  const ours = (Date.now() - t) / 1000;
  const cpuUsed = process.cpuUsage(cpu0);
  const oursCpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  const samples = Math.round(last / (src.info.samplePeriodNs ?? 1));
  console.log(`buddyshark openSource: ${SAMPLES.toExponential(2)} samples, ${changes} changes in ${ours.toFixed(2)} s = ${(SAMPLES / ours / 1e6).toFixed(0)} M samples/s, ${(changes / ours / 1e6).toFixed(1)} M changes/s (last change at sample ${samples}); CPU ${oursCpu.toFixed(2)} s incl. inflate threads`);

  // After the full read, so its warm-up does not bias the read's optimisation.
  console.log(`samples->changes loop alone (in memory), this SPI traffic: ${(loopRate(chunk) / 1e6).toFixed(0)} M samples/s`);
  const idle = new Uint8Array(CHUNK).fill(8);
  for (let i = 0; i < CHUNK; i += 65536) idle[i] = 9; // a change every 64k samples
  console.log(`samples->changes loop alone (in memory), mostly idle line: ${(loopRate(idle) / 1e6).toFixed(0)} M samples/s`);

  const peer = await timeSigrok(path);
  if (peer !== null) {
    console.log(`sigrok-cli -O binary > /dev/null: ${peer.wall.toFixed(2)} s = ${(SAMPLES / peer.wall / 1e6).toFixed(0)} M samples/s; CPU ${peer.cpu.toFixed(2)} s`);
    console.log(`ratio sigrok-cli / buddyshark: wall ${(peer.wall / ours).toFixed(2)}x, CPU ${(peer.cpu / oursCpu).toFixed(2)}x (>1: buddyshark faster)`);
    console.log('note: sigrok-cli -O binary only copies samples out; buddyshark also turns them into timed changes');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
