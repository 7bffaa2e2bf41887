/**
 * What sigrok-cli itself reads from a .sr, as per-channel level changes, and the same from
 * buddyshark's reader, for tests that compare the two.
 *
 * The reference is `sigrok-cli -i FILE -O bits`: one line of 0/1 per enabled channel and sample.
 * Not `-O vcd`: libsigrok 0.5.2's VCD writer takes the p-th enabled channel from bit p of the sample
 * (its own TODO says so), which misplaces every channel after a disabled one (wordwidths/9bit_spi.sr
 * enables probes 3, 5 and 6), while the bits writer uses each channel's index.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { openSource } from '../../src/sources/open.ts';
import { signals } from './helpers.ts';

/** One channel's level changes: sample indices and the level from each on (the first is at 0). */
export interface Edges {
  at: number[];
  level: number[];
}

export interface SigrokRead {
  samplerate: number;
  names: string[];
  edges: Edges[];
}

const UNITS: Record<string, number> = { '': 1, k: 1e3, M: 1e6, G: 1e9 };

function runSigrok(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Wide lines: few blocks, yet no single line as long as the capture.
    const child = spawn('sigrok-cli', ['-i', file, '-O', 'bits:width=1048576'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(out).toString('latin1')) : reject(new Error(`sigrok-cli exit ${code}: ${err}`))));
  });
}

function parseBits(text: string): SigrokRead {
  const lines = text.split('\n');
  const head = /^Acquisition with (\d+)\/\d+ channels at ([\d.]+) ([kMG]?)Hz$/.exec(lines[1] ?? '');
  assert.ok(head, `unexpected bits header: ${lines.slice(0, 2).join(' | ')}`);
  const n = Number(head[1]);
  const samplerate = Number(head[2]) * UNITS[head[3]];
  const names: string[] = [];
  const parts: string[][] = Array.from({ length: n }, () => []);
  let k = 0;
  for (const line of lines.slice(2)) {
    if (line === '') continue;
    const colon = line.lastIndexOf(':');
    const j = k % n;
    if (k < n) names.push(line.slice(0, colon));
    else assert.equal(line.slice(0, colon), names[j], 'channel lines come in the same order in every block');
    parts[j].push(line.slice(colon + 1));
    k++;
  }
  const edges = parts.map((p) => {
    const e: Edges = { at: [], level: [] };
    let i = 0;
    let prev = -1;
    for (const chunk of p) {
      for (let c = 0; c < chunk.length; c++) {
        const ch = chunk.charCodeAt(c);
        if (ch === 32) continue; // a space every 8 samples
        const v = ch - 48;
        if (v !== prev) {
          e.at.push(i);
          e.level.push(v);
          prev = v;
        }
        i++;
      }
    }
    return e;
  });
  return { samplerate, names, edges };
}

export async function ourEdges(file: string): Promise<{ channels: readonly string[]; periodNs: number; edges: Edges[] }> {
  const src = signals(await openSource(file));
  const periodNs = src.info.samplePeriodNs ?? Number.NaN;
  const channels = src.info.channels;
  const edges: Edges[] = channels.map(() => ({ at: [], level: [] }));
  const prev = channels.map(() => -1);
  for await (const b of src.batches) {
    for (let i = 0; i < b.length; i++) {
      const sample = b.times[i] / periodNs;
      const idx = Math.round(sample);
      assert.ok(Math.abs(sample - idx) < 1e-6, `change at ${b.times[i]} ns is not on a sample`);
      for (let c = 0; c < channels.length; c++) {
        const v = (b.states[i] >>> c) & 1;
        if (v !== prev[c]) {
          edges[c].at.push(idx);
          edges[c].level.push(v);
          prev[c] = v;
        }
      }
    }
  }
  return { channels, periodNs, edges };
}


export async function sigrokBits(file: string): Promise<SigrokRead> {
  return parseBits(await runSigrok(file));
}
