/**
 * Benchmark: reading a Saleae raw digital CSV, the byte-level body scanner (src/sources/saleae-csv.ts)
 * against the former string-based reader (test/sources/saleae-csv-reference.ts), in the same run.
 *
 * Generates (in a temp dir, removed afterwards unless --keep) two files of SPI-like traffic on 8
 * channels, `--mb N` MB each (default 100):
 * - Logic 2: `Time [s],CLK,...`, nine decimals, LF (what `simulate -o x.csv` and Logic 2 write);
 * - Logic 1.x: `Time[s], Channel 0, ...`, 15 decimals, spaces after commas, CRLF.
 * Each reader opens the file through openByteInput and iterates every batch; best of `--runs`
 * (default 2) by CPU time. Prints MB/s of CPU time and of wall time, and the new/old ratio
 * (target >= 4x). The change counts and last times of both readers must agree.
 *
 * Run: node --import tsx bench/saleae-csv-read.ts [--mb 100] [--runs 2] [--keep]
 */
import { once } from 'node:events';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openByteInput } from '../src/sources/byte-input.ts';
import type { ByteInput } from '../src/sources/byte-input.ts';
import { nsToSeconds } from '../src/sources/csv.ts';
import { readSaleaeCsv } from '../src/sources/saleae-csv.ts';
import type { SourceStream } from '../src/sources/types.ts';
import { readSaleaeCsvReference } from '../test/sources/saleae-csv-reference.ts';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}
const MB = arg('--mb', 100);
const RUNS = arg('--runs', 2);
const KEEP = process.argv.includes('--keep');
const CHANNELS = ['CLK', 'MOSI', 'MISO', 'CS', 'READY', 'IRQ', 'RESET', 'D7'];

interface Style {
  name: string;
  header: string;
  time: (ns: number) => string;
  sep: string;
  eol: string;
}

const STYLES: Style[] = [
  { name: 'Logic 2', header: `Time [s],${CHANNELS.join(',')}`, time: nsToSeconds, sep: ',', eol: '\n' },
  {
    name: 'Logic 1.x',
    header: `Time[s], ${CHANNELS.map((_, k) => `Channel ${k}`).join(', ')}`,
    time: (ns) => `${nsToSeconds(ns)}000000`,
    sep: ', ',
    eol: '\r\n',
  },
];

/** SPI-like rows: a clock edge every 62.5 ns inside 16-byte transactions, idle gaps between. */
async function writeCsv(path: string, style: Style, bytes: number): Promise<void> {
  const out = createWriteStream(path);
  out.write(`${style.header}${style.eol}`);
  let written = 0;
  let ns = 0;
  let word = 0x5a;
  const v = (s: number, k: number): string => ((s >>> k) & 1 ? '1' : '0');
  const row = (s: number): string => {
    let line = style.time(ns);
    for (let k = 0; k < CHANNELS.length; k++) line += style.sep + v(s, k);
    return line + style.eol;
  };
  while (written < bytes) {
    let block = row(0b0001000 | (1 << 4));
    ns += 5000;
    for (let w = 0; w < 16; w++) {
      word = (word * 29 + 7) & 0xff;
      for (let bit = 7; bit >= 0; bit--) {
        const base = (((word >> bit) & 1) << 1) | (((~word >> bit) & 1) << 2) | (1 << 4);
        block += row(base);
        ns += 62.5;
        block += row(base | 1);
        ns += 62.5;
      }
    }
    block += row(0b0001000);
    ns += 1000;
    written += block.length;
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

interface Result {
  cpu: number;
  wall: number;
  changes: number;
  last: number;
}

async function readAll(open: (input: ByteInput) => Promise<SourceStream>, path: string): Promise<Result> {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const src = await open(await openByteInput(path));
  if (src.kind !== 'signals') throw new Error('expected signals');
  let changes = 0;
  let last = Number.NaN;
  for await (const b of src.batches) {
    changes += b.length;
    if (b.length > 0) last = b.times[b.length - 1];
  }
  const c = process.cpuUsage(c0);
  return { cpu: (c.user + c.system) / 1e6, wall: (performance.now() - w0) / 1e3, changes, last };
}

async function best(open: (input: ByteInput) => Promise<SourceStream>, path: string): Promise<Result> {
  let r = await readAll(open, path);
  for (let i = 1; i < RUNS; i++) {
    const n = await readAll(open, path);
    if (n.cpu < r.cpu) r = n;
  }
  return r;
}

const dir = mkdtempSync(join(tmpdir(), 'bs-csv-bench-'));
try {
  console.log(`Saleae digital CSV read, ${MB} MB per file, best of ${RUNS} by CPU time`);
  console.log('style       reader     MB/s CPU   MB/s wall   CPU s   changes');
  for (const style of STYLES) {
    const path = join(dir, `${style.name.replace(/\W/g, '')}.csv`);
    await writeCsv(path, style, MB * 1e6);
    const mb = statSync(path).size / 1e6;
    // Old first, then new, on the same file: the page cache is warm for both after the first run.
    const old = await best(readSaleaeCsvReference, path);
    const neu = await best(readSaleaeCsv, path);
    if (old.changes !== neu.changes || !Object.is(old.last, neu.last)) {
      throw new Error(`readers disagree: ${old.changes} changes, last ${old.last} vs ${neu.changes}, last ${neu.last}`);
    }
    for (const [name, r] of [
      ['old', old],
      ['new', neu],
    ] as const) {
      console.log(
        `${style.name.padEnd(11)} ${name.padEnd(6)} ${(mb / r.cpu).toFixed(1).padStart(10)} ${(mb / r.wall).toFixed(1).padStart(11)} ${r.cpu.toFixed(2).padStart(7)} ${String(r.changes).padStart(9)}`,
    );
    }
    console.log(`${style.name.padEnd(11)} ratio new/old: ${(old.cpu / neu.cpu).toFixed(2)}x CPU, ${(old.wall / neu.wall).toFixed(2)}x wall (target >= 4x)`);
  }
} finally {
  if (KEEP) console.log(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
