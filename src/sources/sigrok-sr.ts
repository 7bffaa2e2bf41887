/**
 * sigrok session (.sr) reader.
 *
 * A .sr is a zip: `version` ("2"), `metadata` (INI: `[device 1]` with `capturefile=logic-1`,
 * `total probes=N`, `samplerate=1 MHz`, `unitsize=1|2|4`, `probeK=NAME`) and raw little-endian
 * sample chunks `logic-1-1`, `logic-1-2`, ... read in numeric order (probe k is bit k-1). Emits a
 * `signals` stream with `samplePeriodNs = 1e9 / samplerate`; sample i is at i x period ns. Channels
 * run up to the highest named probe; unnamed (disabled) probes in between are named `probeK` and
 * masked to 0.
 *
 * Each entry is streamed through inflate and turned into changes by a tight loop over a typed
 * array: memory stays at one inflate buffer plus one batch. Options: `maxDecompressedBytes` (default
 * 16 GiB) caps the total; see zip-entries.ts for the bomb policy.
 *
 * Errors (SourceError): `zip directory` (not a zip), `entry version`/`entry metadata` (missing or
 * bad), `entry logic-1-3` (corrupt data, ends mid-sample, bomb).
 *
 * Example: metadata `samplerate=1 MHz`, `probe1=CLK`, chunk bytes [0, 1, 1, 0] -> times [0, 1000,
 * 3000], states [0, 1, 0].
 */
import type { Entry, ZipFile } from 'yauzl';
import type { Readable } from 'node:stream';
import type { ChangeBatch } from '../signals/types.ts';
import { DEFAULT_BATCH_CAPACITY } from './change-builder.ts';
import { SourceError } from './errors.ts';
import type { SourceStream } from './types.ts';
import { streamChunks, uninitFloat64, uninitUint32 } from './stream-chunks.ts';
import { checkBomb, entryData, listEntries, openZip, readSmallEntry } from './zip-entries.ts';

export const DEFAULT_MAX_DECOMPRESSED = 16 * 1024 ** 3;

export interface SrOptions {
  maxDecompressedBytes?: number;
}

interface SrMeta {
  capturefile: string;
  samplerate: number;
  unitsize: 1 | 2 | 4;
  channels: string[];
  mask: number;
}

export async function readSigrokSr(path: string, opts: SrOptions = {}): Promise<SourceStream> {
  const zip = await openZip(path);
  try {
    const entries = await listEntries(zip, path);
    const version = entries.get('version');
    if (!version) throw new SourceError(path, 'entry version', 'missing: not a sigrok session file');
    const v = (await readSmallEntry(zip, version, path, 64)).trim();
    if (v !== '2') throw new SourceError(path, 'entry version', `unsupported session version "${v}" (only 2)`);
    const metaEntry = entries.get('metadata');
    if (!metaEntry) throw new SourceError(path, 'entry metadata', 'missing');
    const meta = parseMetadata(await readSmallEntry(zip, metaEntry, path), path);
    const chunks = chunkEntries(entries, meta.capturefile);
    const max = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
    return {
      kind: 'signals',
      info: { channels: meta.channels, samplePeriodNs: 1e9 / meta.samplerate, source: path },
      batches: samples(zip, chunks, meta, max, path),
    };
  } catch (e) {
    zip.close();
    throw e;
  }
}

const RATE_UNITS: Record<string, number> = { '': 1, hz: 1, khz: 1e3, mhz: 1e6, ghz: 1e9 };

export function parseSamplerate(text: string): number {
  const m = /^([\d.]+)\s*([kmg]?hz)?$/i.exec(text.trim());
  if (!m) return Number.NaN;
  return Number(m[1]) * RATE_UNITS[(m[2] ?? '').toLowerCase()];
}

function parseMetadata(text: string, path: string): SrMeta {
  const where = 'entry metadata';
  let section = '';
  const dev = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const sec = /^\[(.*)\]$/.exec(line);
    if (sec) {
      section = sec[1].trim();
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new SourceError(path, where, `not an INI line: "${line.slice(0, 40)}"`);
    // Only the first device matters: sigrok writes one per session.
    if (section === 'device 1') dev.set(line.slice(0, eq).trim(), line.slice(eq + 1).trim());
  }
  const capturefile = dev.get('capturefile');
  if (!capturefile) throw new SourceError(path, where, 'no [device 1] with capturefile=');
  const samplerate = parseSamplerate(dev.get('samplerate') ?? '');
  if (!(samplerate > 0)) throw new SourceError(path, where, `bad or missing samplerate "${dev.get('samplerate') ?? ''}"`);
  const unitsize = Number(dev.get('unitsize') ?? '1');
  if (unitsize !== 1 && unitsize !== 2 && unitsize !== 4) throw new SourceError(path, where, `unsupported unitsize ${unitsize} (1, 2 or 4)`);
  const total = Number(dev.get('total probes') ?? '0');
  const names: string[] = [];
  let mask = 0;
  for (const [k, val] of dev) {
    const pm = /^probe(\d+)$/.exec(k);
    if (!pm) continue;
    const idx = Number(pm[1]) - 1;
    if (idx < 0 || idx >= unitsize * 8 || (total > 0 && idx >= total)) {
      throw new SourceError(path, where, `${k} is outside the ${Math.min(unitsize * 8, total || 32)} probes of the capture`);
    }
    names[idx] = val;
    mask |= 1 << idx;
  }
  if (names.length === 0) throw new SourceError(path, where, 'no probeN= channel names');
  const channels = Array.from(names, (n, i) => n ?? `probe${i + 1}`);
  return { capturefile, samplerate, unitsize, channels, mask: mask >>> 0 };
}

function chunkEntries(entries: Map<string, Entry>, capturefile: string): Entry[] {
  const prefix = `${capturefile}-`;
  const numbered: [number, Entry][] = [];
  for (const [name, e] of entries) {
    if (name.startsWith(prefix) && /^\d+$/.test(name.slice(prefix.length))) numbered.push([Number(name.slice(prefix.length)), e]);
  }
  numbered.sort((a, b) => a[0] - b[0]);
  const single = entries.get(capturefile);
  if (numbered.length === 0 && single) return [single];
  return numbered.map(([, e]) => e);
}

/** Mutable output of the scan loop. */
export interface Scan {
  times: Float64Array;
  states: Uint32Array;
  length: number;
  prev: number;
}

/**
 * The hot loop for unitsize 1: appends a change for every sample that differs from the previous
 * one, from `from` until `to` or until the batch is full; returns where it stopped. Idle stretches
 * are skipped four samples at a time through a 32-bit view (`words`, same memory, or null when
 * the buffer is not 4-byte aligned). Kept monomorphic (plain Uint8Array only): V8 slows down
 * several-fold when one loop sees several typed-array kinds.
 */
export function scanSamples(arr: Uint8Array, words: Uint32Array | null, from: number, to: number, base: number, period: number, mask: number, s: Scan): number {
  const times = s.times;
  const states = s.states;
  const cap = times.length;
  const mask4 = (mask & 0xff) * 0x01010101;
  let n = s.length;
  let prev = s.prev;
  let i = from;
  while (i < to) {
    if (words !== null && (i & 3) === 0 && i + 4 <= to && prev >= 0) {
      const rep = (prev * 0x01010101) >>> 0;
      let w = i >> 2;
      const wEnd = to >> 2;
      while (w < wEnd && ((words[w] & mask4) >>> 0) === rep) w++;
      i = w << 2;
      if (i + 4 > to) continue;
    }
    // Up to four samples one by one (or to the next word boundary).
    const stop = Math.min(to, (i | 3) + 1);
    for (; i < stop; i++) {
      const v = arr[i] & mask;
      if (v !== prev) {
        prev = v;
        times[n] = (base + i) * period;
        states[n] = v;
        if (++n === cap) {
          s.length = n;
          s.prev = prev;
          return i + 1;
        }
      }
    }
  }
  s.length = n;
  s.prev = prev;
  return i;
}

/** The same for unitsize 2 and 4 (wide captures are rare: no word skipping). */
export function scanWide(arr: Uint16Array | Uint32Array, from: number, to: number, base: number, period: number, mask: number, s: Scan): number {
  const times = s.times;
  const states = s.states;
  const cap = times.length;
  let n = s.length;
  let prev = s.prev;
  let i = from;
  for (; i < to; i++) {
    const v = (arr[i] & mask) >>> 0;
    if (v !== prev) {
      prev = v;
      times[n] = (base + i) * period;
      states[n] = v;
      if (++n === cap) {
        i++;
        break;
      }
    }
  }
  s.length = n;
  s.prev = prev;
  return i;
}

function wideView(buf: Uint8Array, unitsize: 2 | 4): Uint16Array | Uint32Array {
  // Typed views need aligned offsets; inflate output usually is, copy when not.
  const b = buf.byteOffset % unitsize === 0 ? buf : buf.slice();
  const n = b.length / unitsize;
  return unitsize === 2 ? new Uint16Array(b.buffer, b.byteOffset, n) : new Uint32Array(b.buffer, b.byteOffset, n);
}

async function* samples(zip: ZipFile, chunks: Entry[], meta: SrMeta, maxTotal: number, path: string): AsyncGenerator<ChangeBatch> {
  const period = 1e9 / meta.samplerate;
  const u = meta.unitsize;
  const s: Scan = { times: uninitFloat64(DEFAULT_BATCH_CAPACITY), states: uninitUint32(DEFAULT_BATCH_CAPACITY), length: 0, prev: -1 };
  const take = (): ChangeBatch => {
    const b = { times: s.times, states: s.states, length: s.length };
    s.times = uninitFloat64(DEFAULT_BATCH_CAPACITY);
    s.states = uninitUint32(DEFAULT_BATCH_CAPACITY);
    s.length = 0;
    return b;
  };
  let sampleBase = 0;
  let accepted = 0;
  // Opens (and starts inflating) entry k; the next entry is opened before scanning the current
  // one, so its inflate runs on the thread pool while this thread scans.
  const start = async (k: number): Promise<Readable | null> => {
    if (k >= chunks.length) return null;
    checkBomb(chunks[k], accepted, maxTotal, path);
    accepted += chunks[k].uncompressedSize;
    return entryData(zip, chunks[k], path);
  };
  let next: Promise<Readable | null> | null = null;
  let stream: Readable | null = null;
  try {
    stream = await start(0);
    for (let k = 0; stream !== null; k++) {
      const entry = chunks[k];
      const where = `entry ${entry.fileName}`;
      next = start(k + 1);
      next.catch(() => undefined); // surfaces when awaited, after this entry's batches
      let carry: Buffer | null = null;
      let bytes = 0;
      try {
        for await (const raw of streamChunks(stream)) {
          bytes += raw.length;
          if (bytes > entry.uncompressedSize) throw new SourceError(path, where, `inflates past its declared size of ${entry.uncompressedSize} bytes`);
          let buf: Buffer = carry ? Buffer.concat([carry, raw]) : raw;
          carry = null;
          const whole = buf.length - (buf.length % u);
          if (whole < buf.length) {
            carry = Buffer.from(buf.subarray(whole));
            buf = buf.subarray(0, whole);
          }
          let count: number;
          if (u === 1) {
            const bytes8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
            const words = buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length >> 2) : null;
            count = bytes8.length;
            let i = 0;
            while (i < count) {
              i = scanSamples(bytes8, words, i, count, sampleBase, period, meta.mask, s);
              if (s.length === s.times.length) yield take();
            }
          } else {
            const arr = wideView(buf, u);
            count = arr.length;
            let i = 0;
            while (i < count) {
              i = scanWide(arr, i, count, sampleBase, period, meta.mask, s);
              if (s.length === s.times.length) yield take();
            }
          }
          sampleBase += count;
        }
      } catch (e) {
        if (e instanceof SourceError) throw e;
        throw new SourceError(path, where, `corrupt data: ${(e as Error).message}`);
      }
      if (bytes < entry.uncompressedSize) throw new SourceError(path, where, `truncated: ${bytes} of ${entry.uncompressedSize} bytes`);
      if (carry) throw new SourceError(path, where, `ends mid-sample (${carry.length} of ${u} bytes)`);
      stream = await next;
      next = null;
    }
  } catch (e) {
    if (s.length > 0) yield take();
    throw e;
  } finally {
    // Also reached when the consumer stops early: no inflate may keep the file open.
    stream?.destroy();
    if (next) void next.then((st) => st?.destroy(), () => undefined);
    zip.close();
  }
  if (s.length > 0) yield take();
}
