/**
 * Saleae Logic 2 binary export reader: one `digital_N.bin` per channel, merged into one change
 * stream in time order (a streaming k-way merge; each file is read 64k transitions at a time).
 *
 * Input: the export directory, or any one file in it (its directory is scanned for
 * `digital_N.bin`; a lone file with another name is read on its own). Channel k is the k-th file by
 * N, named `Channel N`. Times are shifted so the earliest begin_time is 0 ns. `samplePeriodNs` comes
 * from the version-1 sample rate (version 0 files carry none). File layout: saleae-bin-channel.ts.
 *
 * Example: digital_0.bin (initial 0, transitions at 1e-6, 2e-6 s) + digital_1.bin (initial 1, none)
 * -> channels ['Channel 0', 'Channel 1'], times [0, 1000, 2000], states [0b10, 0b11, 0b10].
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { ChangeBatch } from '../signals/types.ts';
import { ChangeBuilder } from './change-builder.ts';
import { SourceError } from './errors.ts';
import { ChannelCursor } from './saleae-bin-channel.ts';
import type { SourceStream } from './types.ts';

const DIGITAL = /^digital_(\d+)\.bin$/i;

export async function saleaeBinFiles(path: string): Promise<{ files: string[]; indices: number[] }> {
  const isDir = (await stat(path)).isDirectory();
  const dir = isDir ? path : dirname(path);
  const found: [number, string][] = [];
  for (const name of await readdir(dir)) {
    const m = DIGITAL.exec(name);
    if (m) found.push([Number(m[1]), join(dir, name)]);
  }
  found.sort((a, b) => a[0] - b[0]);
  if (!isDir && !DIGITAL.test(basename(path))) return { files: [path], indices: [0] };
  if (found.length === 0) throw new SourceError(path, 'directory', 'no digital_N.bin files');
  if (found.length > 32) throw new SourceError(path, 'directory', `${found.length} channels: at most 32 are supported`);
  return { files: found.map((f) => f[1]), indices: found.map((f) => f[0]) };
}

export async function readSaleaeBin(path: string): Promise<SourceStream> {
  const { files, indices } = await saleaeBinFiles(path);
  const cursors: ChannelCursor[] = [];
  try {
    for (const f of files) cursors.push(await ChannelCursor.open(f));
  } catch (e) {
    await Promise.all(cursors.map((c) => c.close()));
    throw e;
  }
  const rate = cursors.find((c) => c.sampleRate > 0)?.sampleRate;
  return {
    kind: 'signals',
    info: {
      channels: indices.map((i) => `Channel ${i}`),
      samplePeriodNs: rate ? 1e9 / rate : undefined,
      source: path,
    },
    batches: merge(cursors),
  };
}

async function* merge(cursors: ChannelCursor[]): AsyncGenerator<ChangeBatch> {
  const b = new ChangeBuilder();
  const origin = Math.min(...cursors.map((c) => c.begin));
  let state = 0;
  try {
    for (;;) {
      let best = -1;
      let bestT = Infinity;
      for (let k = 0; k < cursors.length; k++) {
        const c = cursors[k];
        if (c.i < c.n && c.times[c.i] < bestT) {
          bestT = c.times[c.i];
          best = k;
        }
      }
      if (best < 0) break;
      const c = cursors[best];
      if (c.levels[c.i]) state |= 1 << best;
      else state &= ~(1 << best);
      c.i++;
      b.set((bestT - origin) * 1e9, state >>> 0);
      if (b.full) yield b.take();
      if (c.i >= c.n && !c.ended) await c.refill();
    }
  } catch (e) {
    const rest = b.finish();
    if (rest) yield rest;
    throw e;
  } finally {
    await Promise.all(cursors.map((c) => c.close()));
  }
  const rest = b.finish();
  if (rest) yield rest;
}
