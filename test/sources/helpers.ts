/** Test helpers for the sources/exports tests: collect batches, build change streams, temp dirs. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import type { ChangeBatch } from '../../src/signals/types.ts';
import type { SourceStream } from '../../src/sources/types.ts';
import type { SpiTransaction } from '../../src/spi/types.ts';

export const FIXTURES = new URL('../fixtures/sources/', import.meta.url).pathname;

export interface Changes {
  times: number[];
  states: number[];
}

export async function collect(batches: AsyncIterable<ChangeBatch>): Promise<Changes & { batches: number }> {
  const times: number[] = [];
  const states: number[] = [];
  let n = 0;
  for await (const b of batches) {
    n++;
    for (let i = 0; i < b.length; i++) {
      times.push(b.times[i]);
      states.push(b.states[i]);
    }
  }
  return { times, states, batches: n };
}

/** Collects until the iterator throws; returns what came before and the error. */
export async function collectUntilError(batches: AsyncIterable<ChangeBatch>): Promise<Changes & { error: unknown }> {
  const times: number[] = [];
  const states: number[] = [];
  try {
    for await (const b of batches) {
      for (let i = 0; i < b.length; i++) {
        times.push(b.times[i]);
        states.push(b.states[i]);
      }
    }
  } catch (e) {
    return { times, states, error: e };
  }
  return { times, states, error: null };
}

export function signals(src: SourceStream): Extract<SourceStream, { kind: 'signals' }> {
  if (src.kind !== 'signals') throw new Error(`expected signals, got ${src.kind}`);
  return src;
}

export async function transactions(src: SourceStream): Promise<SpiTransaction[]> {
  if (src.kind !== 'transactions') throw new Error(`expected transactions, got ${src.kind}`);
  const out: SpiTransaction[] = [];
  for await (const b of src.batches) out.push(...b);
  return out;
}

/** Splits a change list into batches of `size`, as a source would deliver it. */
export async function* batchesOf(c: Changes, size = 3): AsyncGenerator<ChangeBatch> {
  for (let i = 0; i < c.times.length; i += size) {
    const t = c.times.slice(i, i + size);
    yield { times: Float64Array.from(t), states: Uint32Array.from(c.states.slice(i, i + size)), length: t.length };
  }
}

export function tempDir(): { dir: string; path: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'buddyshark-src-'));
  return { dir, path: (n) => join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export const HAVE_SIGROK = spawnSync('sigrok-cli', ['--version'], { encoding: 'utf8' }).status === 0;
export const SKIP_SIGROK = HAVE_SIGROK ? false : 'sigrok-cli not installed';

/** A pseudo-random SPI-like change stream on `nch` channels with integer ns times. */
export function randomChanges(n: number, nch: number, seed = 1, stepNs = 10): Changes {
  let x = seed;
  const rnd = (): number => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x;
  };
  const times: number[] = [];
  const states: number[] = [];
  let t = 0;
  let s = -1;
  const mask = nch >= 32 ? 0xffffffff : (1 << nch) - 1;
  while (times.length < n) {
    const ns = (rnd() & mask) >>> 0;
    if (ns === s) continue;
    s = ns;
    times.push(t);
    states.push(ns);
    t += stepNs * (1 + (rnd() % 5));
  }
  return { times, states };
}
