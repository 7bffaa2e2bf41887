/**
 * One Saleae Logic 2 binary export file (`digital_N.bin`), read incrementally.
 *
 * Layout, little endian: `<SALEAE>` | version i32 | type i32 (0 = digital), then
 * - version 0: initial_state u32 | begin_time f64 | end_time f64 | count u64 | count x f64 times;
 * - version 1: chunk_count u64, then per chunk: initial_state u32 | sample_rate f64 | begin_time f64 |
 *   end_time f64 | count u64 | count x f64 times.
 * Times are seconds (possibly negative: relative to the trigger).
 *
 * `ChannelCursor` exposes its events a block at a time as parallel arrays (time in s, level after
 * the event): the chunk start (initial state) and then one toggle per transition. `refill()` loads
 * the next block (up to 64k events); `ended` says there are none left.
 *
 * Errors (SourceError, byte N): bad magic, unknown version/type, truncated data, time going backwards.
 */
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { SourceError } from './errors.ts';

const BLOCK = 65536;
const MAGIC = '<SALEAE>';

export class ChannelCursor {
  times = new Float64Array(0);
  levels = new Uint8Array(0);
  n = 0;
  i = 0;
  ended = false;
  version = 0;
  sampleRate = 0;
  /** begin_time of the first chunk, seconds. */
  begin = 0;

  private pos = 0; // byte offset of the next unread byte
  private chunksLeft = 0;
  private inChunk = 0; // transitions left in the current chunk
  private level = 0;
  private lastTime = -Infinity;
  private readonly raw = new Float64Array(BLOCK);
  /** A fault found ahead of the data: thrown once the good events before it are handed over. */
  private pendingError: SourceError | null = null;

  private constructor(private readonly fh: FileHandle, readonly path: string, private readonly size: number) {}

  static async open(path: string): Promise<ChannelCursor> {
    const fh = await open(path, 'r');
    const c = new ChannelCursor(fh, path, (await fh.stat()).size);
    try {
      await c.readHeader();
      await c.refill();
    } catch (e) {
      await fh.close();
      throw e;
    }
    return c;
  }

  private async readExact(n: number, what: string): Promise<Buffer> {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await this.fh.read(buf, 0, n, this.pos);
    if (bytesRead < n) throw new SourceError(this.path, `byte ${this.pos + bytesRead}`, `truncated ${what}`);
    this.pos += n;
    return buf;
  }

  private async readHeader(): Promise<void> {
    const h = await this.readExact(16, 'header');
    if (h.toString('latin1', 0, 8) !== MAGIC) throw new SourceError(this.path, 'byte 0', 'not a Saleae binary export (no <SALEAE> magic)');
    this.version = h.readInt32LE(8);
    const type = h.readInt32LE(12);
    if (this.version !== 0 && this.version !== 1) throw new SourceError(this.path, 'byte 8', `unsupported version ${this.version} (0 or 1)`);
    if (type !== 0) throw new SourceError(this.path, 'byte 12', type === 1 ? 'analog export, not digital' : `unknown type ${type}`);
    if (this.version === 0) {
      this.chunksLeft = 1;
    } else {
      const c = await this.readExact(8, 'chunk count');
      this.chunksLeft = Number(c.readBigUInt64LE(0));
    }
  }

  /** Reads a chunk header; returns the event that starts it. */
  private async startChunk(): Promise<[number, number]> {
    const at = this.pos;
    const v1 = this.version === 1;
    const b = await this.readExact(v1 ? 36 : 28, 'chunk header');
    let o = 0;
    const initial = b.readUInt32LE(o);
    o += 4;
    if (v1) {
      const rate = b.readDoubleLE(o);
      o += 8;
      if (this.sampleRate === 0 && rate > 0) this.sampleRate = rate;
    }
    const begin = b.readDoubleLE(o);
    o += 16; // begin, end
    const count = Number(b.readBigUInt64LE(o));
    if (!Number.isFinite(begin)) throw new SourceError(this.path, `byte ${at}`, 'bad begin time');
    if (this.lastTime === -Infinity) this.begin = begin;
    if (begin < this.lastTime) throw new SourceError(this.path, `byte ${at}`, 'chunk begins before the previous one ends');
    this.chunksLeft--;
    this.inChunk = count;
    const held = Math.floor((this.size - this.pos) / 8);
    if (held < count) {
      // Deliver the transitions that are there, then report the truncation.
      this.inChunk = held;
      this.chunksLeft = 0;
      this.pendingError = new SourceError(this.path, `byte ${this.size}`, `truncated: header promises ${count} transitions, the file holds ${held}`);
    }
    this.level = initial ? 1 : 0;
    this.lastTime = begin;
    return [begin, this.level];
  }

  async refill(): Promise<void> {
    this.i = 0;
    this.n = 0;
    const times = new Float64Array(BLOCK + 1);
    const levels = new Uint8Array(BLOCK + 1);
    let n = 0;
    while (n < BLOCK) {
      if (this.inChunk === 0) {
        if (this.chunksLeft === 0) break;
        const [t, l] = await this.startChunk();
        times[n] = t;
        levels[n++] = l;
        continue;
      }
      const want = Math.min(this.inChunk, BLOCK - n);
      const at = this.pos;
      const { bytesRead } = await this.fh.read(new Uint8Array(this.raw.buffer, 0, want * 8), 0, want * 8, this.pos);
      if (bytesRead < want * 8) throw new SourceError(this.path, `byte ${at + bytesRead}`, 'truncated transition times');
      this.pos += want * 8;
      this.inChunk -= want;
      let level = this.level;
      let last = this.lastTime;
      for (let k = 0; k < want; k++) {
        const t = this.raw[k];
        if (!(t >= last)) {
          // Hand over the good events first; the error surfaces on the next refill.
          this.times = times;
          this.levels = levels;
          this.n = n;
          this.pendingError = new SourceError(this.path, `byte ${at + k * 8}`, `transition time ${t} s goes backwards`);
          this.inChunk = 0;
          this.chunksLeft = 0;
          return;
        }
        last = t;
        level ^= 1;
        times[n] = t;
        levels[n++] = level;
      }
      this.level = level;
      this.lastTime = last;
    }
    if (this.pendingError && n === 0) throw this.pendingError;
    this.times = times;
    this.levels = levels;
    this.n = n;
    if (n === 0) {
      this.ended = true;
      await this.fh.close();
    }
  }

  async close(): Promise<void> {
    if (!this.ended) {
      this.ended = true;
      await this.fh.close();
    }
  }
}
