/**
 * Writes a signal capture as a sigrok session (.sr) by sampling the change stream at a fixed rate,
 * as a logic analyzer would have: sample i (at i x 1e9/samplerate ns) holds the state of the last
 * change at or before it. Output: a zip (yazl) with `version` = "2", `metadata` (INI, as
 * sigrok-cli 0.7 writes it) and raw little-endian chunks `logic-1-1`, `logic-1-2`, ... of
 * `chunkBytes` each (default 4 MiB). unitsize is 1 for up to 8 channels, 2 up to 16, else 4.
 *
 * `writeSigrokSr(info, batches, path, { samplerateHz, endNs?, chunkBytes?, force? })` -> samples.
 * Samples run from 0 to `endNs` inclusive (default: the first sample showing the last change). Memory: at most three chunks
 * in flight, whatever the capture length (chunks are handed to yazl only as it starts each entry).
 *
 * Example: changes [0: 0b0, 1500: 0b1] at 1 MHz -> samples [0, 0, 1] (0, 1000, 2000 ns).
 */
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import yazl from 'yazl';
import type { ChangeBatch, SignalInfo } from '../signals/types.ts';
import { createOutput, ExportError } from './output.ts';

export interface SrWriteOptions {
  samplerateHz: number;
  endNs?: number;
  chunkBytes?: number;
  force?: boolean;
  /** Deflate level 0-9 (default 6); 1 is much faster for huge captures. */
  compressionLevel?: number;
}

export function samplerateText(hz: number): string {
  for (const [unit, mul] of [['GHz', 1e9], ['MHz', 1e6], ['kHz', 1e3]] as const) {
    if (hz >= mul && Number.isInteger(hz / mul)) return `${hz / mul} ${unit}`;
  }
  return Number.isInteger(hz) ? `${hz} Hz` : `${Math.round(hz)} Hz`;
}

export function srMetadata(channels: readonly string[], samplerateHz: number, unitsize: number): string {
  const probes = channels.map((c, k) => `probe${k + 1}=${c}`).join('\n');
  return `[global]\nsigrok version=0.5.2\n\n[device 1]\ncapturefile=logic-1\ntotal probes=${channels.length}\nsamplerate=${samplerateText(samplerateHz)}\ntotal analog=0\n${probes}\nunitsize=${unitsize}\n`;
}

export async function writeSigrokSr(info: SignalInfo, batches: AsyncIterable<ChangeBatch>, path: string, opts: SrWriteOptions): Promise<number> {
  const rate = opts.samplerateHz;
  if (!(rate > 0) || !Number.isInteger(rate)) throw new ExportError(`samplerateHz must be a positive integer, got ${rate}`);
  const nch = info.channels.length;
  if (nch < 1 || nch > 32) throw new ExportError(`${nch} channels: a .sr export takes 1 to 32`);
  const unitsize = nch <= 8 ? 1 : nch <= 16 ? 2 : 4;
  const chunkSamples = Math.max(1, Math.floor((opts.chunkBytes ?? 4 * 1024 * 1024) / unitsize));
  const period = 1e9 / rate;
  const out = await createOutput(path, opts.force);
  const zip = new yazl.ZipFile();
  const level = opts.compressionLevel ?? 6;
  zip.outputStream.pipe(out.stream);
  const zipFailed = once(zip.outputStream, 'error').then(([e]) => {
    throw e as Error;
  });
  zipFailed.catch(() => undefined);
  zip.addBuffer(Buffer.from('2'), 'version', { compressionLevel: level });
  zip.addBuffer(Buffer.from(srMetadata(info.channels, rate, unitsize)), 'metadata', { compressionLevel: level });

  // Chunks queued in yazl but not yet started; wait while too many are pending.
  let pending = 0;
  let wake: (() => void) | null = null;
  let chunkNo = 0;
  const emit = async (data: Uint8Array): Promise<void> => {
    while (pending >= 2) {
      await Promise.race([new Promise<void>((r) => (wake = r)), zipFailed]);
    }
    pending++;
    const name = `logic-1-${++chunkNo}`;
    zip.addReadStreamLazy(name, { compressionLevel: level, size: data.byteLength }, (cb) => {
      pending--;
      wake?.();
      const s = new PassThrough();
      s.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
      cb(null, s);
    });
  };

  const makeBuf = (): Uint8Array | Uint16Array | Uint32Array =>
    unitsize === 1 ? new Uint8Array(chunkSamples) : unitsize === 2 ? new Uint16Array(chunkSamples) : new Uint32Array(chunkSamples);
  let buf = makeBuf();
  let pos = 0; // in samples, within buf
  let sample = 0; // next sample index overall
  let state = 0;
  let started = false;
  // Writes `state` into samples [sample, until).
  const fill = async (until: number): Promise<void> => {
    while (sample < until) {
      const n = Math.min(until - sample, chunkSamples - pos);
      buf.fill(state, pos, pos + n);
      pos += n;
      sample += n;
      if (pos === chunkSamples) {
        await emit(new Uint8Array(buf.buffer));
        buf = makeBuf();
        pos = 0;
      }
    }
  };

  try {
    let lastT = 0;
    for await (const b of batches) {
      for (let i = 0; i < b.length; i++) {
        const t = b.times[i];
        if (t < lastT) throw new ExportError(`change at ${t} ns goes back in time`);
        lastT = t;
        // First sample at or after t (tolerating float fuzz in t / period).
        const first = Math.max(0, Math.ceil(t / period - 1e-9));
        if (!started) {
          state = b.states[i];
          started = true;
          continue;
        }
        if (first > sample) await fill(first);
        state = b.states[i];
      }
    }
    // By default run to the first sample that shows the last change, so no change is lost.
    const lastSample = opts.endNs !== undefined ? Math.floor(opts.endNs / period + 1e-9) : Math.ceil(lastT / period - 1e-9);
    await fill(lastSample + 1);
    if (pos > 0) await emit(new Uint8Array(buf.buffer, 0, pos * unitsize));
    zip.end();
    await Promise.race([once(out.stream, 'close'), zipFailed]);
    if (out.stream.errored) throw new ExportError(`${path}: ${out.stream.errored.message}`);
  } catch (e) {
    out.abort();
    throw e;
  }
  return sample;
}
