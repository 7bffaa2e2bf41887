/**
 * sigrok session (.sr) reader, for session versions 1 and 2 as libsigrok reads them.
 *
 * A .sr is a zip: `version` ("1" or "2"), `metadata` (a GLib key file, see sigrok-metadata.ts) and
 * raw little-endian samples of `unitsize` bytes (1 to 8; probe k is bit k-1). The samples are one
 * entry named after `capturefile` (`logic-1`: version 1, and version 2 files never appended to) or
 * numbered chunks `logic-1-1`, `logic-1-2`, ... read from 1 up, as libsigrok's session driver reads
 * them (a single entry wins over chunks; the chunks stop at the first missing number, which is an
 * error here when later ones exist, after the samples before it). Emits a `signals` stream with
 * `samplePeriodNs = 1e9 / samplerate`; sample i is at i x period ns; disabled probes read as 0.
 *
 * Each entry is inflated as a stream (entry-bytes.ts, with read-ahead: the next entry inflates on
 * the thread pool while this one is scanned) and turned into changes by a tight loop over a typed
 * array: memory stays at a few inflate buffers plus one batch. Options: `maxDecompressedBytes`
 * (default 16 GiB) caps the total; see zip-entries.ts for the bomb policy.
 *
 * Errors (SourceError): `zip directory` (not a zip), `entry version`/`entry metadata` (missing or
 * bad), `entry logic-1-3` (corrupt, cut or damaged data, ends mid-sample, bomb, missing chunk).
 *
 * Example: metadata `samplerate=1 MHz`, `total probes=1`, `probe1=CLK`, chunk bytes [0, 1, 1, 0]
 * -> times [0, 1000, 3000], states [0, 1, 0].
 */
import type { Entry, ZipFile } from 'yauzl';
import type { ChangeBatch } from '../signals/types.ts';
import { DEFAULT_BATCH_CAPACITY } from './change-builder.ts';
import { openEntryBytes } from './entry-bytes.ts';
import type { EntryBytes } from './entry-bytes.ts';
import { SourceError } from './errors.ts';
import { parseSessionMetadata } from './sigrok-metadata.ts';
import type { SessionMeta } from './sigrok-metadata.ts';
import type { SourceStream } from './types.ts';
import { uninitFloat64, uninitUint32 } from './uninit-arrays.ts';
import { checkBomb, listEntries, openZip, readSmallEntry } from './zip-entries.ts';

export const DEFAULT_MAX_DECOMPRESSED = 16 * 1024 ** 3;

export interface SrOptions {
  maxDecompressedBytes?: number;
}

/** The sample entries in reading order; `gap` names the first missing chunk when later ones exist. */
interface SampleEntries {
  readonly chunks: readonly Entry[];
  readonly gap: string | null;
}

export async function readSigrokSr(path: string, opts: SrOptions = {}): Promise<SourceStream> {
  const zip = await openZip(path);
  try {
    const entries = await listEntries(zip, path);
    const version = entries.get('version');
    if (!version) throw new SourceError(path, 'entry version', 'missing: not a sigrok session file');
    const v = (await readSmallEntry(zip, version, path, 64)).trim();
    if (v !== '1' && v !== '2') throw new SourceError(path, 'entry version', `unsupported session version "${v}" (1 or 2)`);
    const metaEntry = entries.get('metadata');
    if (!metaEntry) throw new SourceError(path, 'entry metadata', 'missing');
    const meta = parseSessionMetadata(await readSmallEntry(zip, metaEntry, path), path);
    const max = opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED;
    return {
      kind: 'signals',
      info: { channels: [...meta.channels], samplePeriodNs: 1e9 / meta.samplerate, source: path },
      batches: samples(zip, sampleEntries(entries, meta.capturefile), meta, max, path),
    };
  } catch (e) {
    zip.close();
    throw e;
  }
}

function sampleEntries(entries: ReadonlyMap<string, Entry>, capturefile: string): SampleEntries {
  const single = entries.get(capturefile);
  if (single) return { chunks: [single], gap: null };
  const chunks: Entry[] = [];
  for (let e = entries.get(`${capturefile}-1`); e !== undefined; e = entries.get(`${capturefile}-${chunks.length + 1}`)) chunks.push(e);
  const prefix = `${capturefile}-`;
  const later = [...entries.keys()].some((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)) && Number(n.slice(prefix.length)) > chunks.length);
  return { chunks, gap: later ? `${capturefile}-${chunks.length + 1}` : null };
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

/**
 * The same for unitsize 2 to 8 (wide captures are rare: no word skipping): sample i starts at byte
 * i x unitsize, and only its first four bytes can hold an enabled probe (the metadata reader
 * refuses probes past 32). `from` and `to` count samples.
 */
export function scanUnits(arr: Uint8Array, unitsize: number, from: number, to: number, base: number, period: number, mask: number, s: Scan): number {
  const times = s.times;
  const states = s.states;
  const cap = times.length;
  const three = unitsize >= 3;
  const four = unitsize >= 4;
  let n = s.length;
  let prev = s.prev;
  let i = from;
  for (; i < to; i++) {
    const o = i * unitsize;
    const w = arr[o] | (arr[o + 1] << 8) | (three ? arr[o + 2] << 16 : 0) | (four ? arr[o + 3] << 24 : 0);
    const v = (w & mask) >>> 0;
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

/** Scans whole samples of one buffer into `s`, yielding each full batch; returns the samples read. */
function* scanBuffer(buf: Buffer, u: number, sampleBase: number, period: number, mask: number, s: Scan, take: () => ChangeBatch): Generator<ChangeBatch, number> {
  let count: number;
  let i = 0;
  if (u === 1) {
    const bytes8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    const words = buf.byteOffset % 4 === 0 ? new Uint32Array(buf.buffer, buf.byteOffset, buf.length >> 2) : null;
    count = bytes8.length;
    while (i < count) {
      i = scanSamples(bytes8, words, i, count, sampleBase, period, mask, s);
      if (s.length === s.times.length) yield take();
    }
  } else {
    const bytes8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    count = buf.length / u;
    while (i < count) {
      i = scanUnits(bytes8, u, i, count, sampleBase, period, mask, s);
      if (s.length === s.times.length) yield take();
    }
  }
  return count;
}

/** An entry being read, or the error that refused it (kept until the samples before it are out). */
type OpenedEntry = EntryBytes | SourceError;

async function* samples(zip: ZipFile, plan: SampleEntries, meta: SessionMeta, maxTotal: number, path: string): AsyncGenerator<ChangeBatch> {
  const { chunks, gap } = plan;
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
  let accepted = 0;
  // Entry k starts inflating when opened; the next one is opened before scanning the current one.
  const open = (k: number): OpenedEntry | null => {
    if (k >= chunks.length) return null;
    try {
      checkBomb(chunks[k], accepted, maxTotal, path);
    } catch (e) {
      if (e instanceof SourceError) return e;
      throw e;
    }
    accepted += chunks[k].uncompressedSize;
    return openEntryBytes(zip, chunks[k], path);
  };
  const release = (e: OpenedEntry | null): void => {
    if (e !== null && !(e instanceof SourceError)) e.close();
  };
  let sampleBase = 0;
  let cur: OpenedEntry | null = null;
  let next: OpenedEntry | null = null;
  try {
    cur = open(0);
    for (let k = 0; cur !== null; k++) {
      if (cur instanceof SourceError) throw cur;
      next = open(k + 1);
      let carry: Buffer | null = null;
      for await (const raw of cur) {
        let buf: Buffer = carry ? Buffer.concat([carry, raw]) : raw;
        carry = null;
        const whole = buf.length - (buf.length % u);
        if (whole < buf.length) {
          carry = Buffer.from(buf.subarray(whole));
          buf = buf.subarray(0, whole);
        }
        sampleBase += yield* scanBuffer(buf, u, sampleBase, period, meta.mask, s, take);
      }
      if (carry) throw new SourceError(path, `entry ${chunks[k].fileName}`, `ends mid-sample (${carry.length} of ${u} bytes)`);
      release(cur);
      cur = next;
      next = null;
    }
    if (gap !== null) {
      throw new SourceError(path, `entry ${gap}`, `missing: the samples stop after ${chunks[chunks.length - 1]?.fileName ?? 'no chunk'}, yet later chunks follow`);
    }
  } catch (e) {
    if (s.length > 0) yield take();
    throw e;
  } finally {
    // Also reached when the consumer stops early: no inflate may keep the file open.
    release(cur);
    release(next);
    zip.close();
  }
  if (s.length > 0) yield take();
}
