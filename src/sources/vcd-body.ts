/**
 * Byte-level VCD scanning: header lines from raw chunks, then the body straight from the Buffers.
 *
 * `HeaderLines` hands out the text lines of the header one at a time (`await next()`, `lineNo`)
 * and, once the header is parsed, the unread bytes plus the chunk iterator (`rest()`), so the body
 * never becomes strings. Same faults as text-lines.ts: a NUL byte or a line over 1 MiB is a
 * SourceError naming the line.
 *
 * `scanVcdBody` decodes the body: `#N` timestamps, scalar changes `0id`/`1id`/`xid`/`zid`,
 * `bBITS id`/`rREAL id` (skipped), `$comment ... $end`, other `$keywords` (markers), separated by
 * spaces, tabs, CR and LF. A token split across two chunks is carried over (only the bytes after the
 * chunk's last newline are copied). One-byte and two-byte ids resolve through flat tables, longer
 * ones through the header's Map. Newlines are counted so errors name the same line as before.
 * After each input chunk the changes decoded so far are handed over (live streams).
 *
 * Example: for await (const batch of scanVcdBody(lines.rest(), header, 'x.vcd', stats)) ...
 */
import { MAX_LINE_BYTES, scanBodyLines, type BodyStart } from './body-lines.ts';

export type { BodyStart } from './body-lines.ts';
import type { ChangeBatch } from '../signals/types.ts';
import type { ChangeBuilder } from './change-builder.ts';
import { SourceError } from './errors.ts';
import type { SourceStats } from './types.ts';
import { countUnknown } from './types.ts';


export interface BodyHeader {
  /** id -> bit index, or -1 for a var to skip. */
  readonly ids: Map<string, number>;
  readonly mul: number;
  readonly div: number;
}

/** Line-at-a-time reader for the header that can hand over the rest of the input as bytes. */
export class HeaderLines {
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  private done = false;
  private first = true;
  private readonly it: AsyncIterator<Buffer>;
  /** Number of the last line returned by next(), 0 before any. */
  lineNo = 0;

  constructor(
    chunks: AsyncIterable<Buffer>,
    private readonly source: string,
  ) {
    this.it = chunks[Symbol.asyncIterator]();
  }

  async next(): Promise<string | null> {
    for (;;) {
      const nl = this.buf.indexOf(10, this.pos);
      if (nl >= 0) return this.take(nl, nl + 1);
      if (this.done) return this.pos < this.buf.length ? this.take(this.buf.length, this.buf.length) : null;
      if (this.buf.length - this.pos > MAX_LINE_BYTES) {
        throw new SourceError(this.source, `line ${this.lineNo + 1}`, `line longer than ${MAX_LINE_BYTES} bytes: binary junk?`);
      }
      const r = await this.it.next();
      if (r.done) {
        this.done = true;
        continue;
      }
      let chunk: Buffer = r.value;
      if (this.first) {
        this.first = false;
        if (chunk.length >= 3 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
      }
      this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
      this.pos = 0;
    }
  }

  private take(lineEnd: number, next: number): string | null {
    const start = this.pos;
    this.pos = next;
    let end = lineEnd;
    if (end > start && this.buf[end - 1] === 13) end--;
    // A lone "\r" at the very end is no line (as in text-lines.ts).
    if (end === start && next === lineEnd && this.done) return null;
    this.lineNo++;
    const line = this.buf.subarray(start, end);
    if (line.indexOf(0) >= 0) throw new SourceError(this.source, `line ${this.lineNo}`, 'binary data (NUL byte) in a text file');
    return line.toString('utf8');
  }

  /** The bytes after the last line returned by next(), and the remaining chunks. */
  rest(): BodyStart {
    return { buf: this.buf.subarray(this.pos), chunks: this.it, lineNo: this.lineNo + 1 };
  }

  async close(): Promise<void> {
    await this.it.return?.();
  }
}

/** Token text for a message (at most 200 bytes decoded: clip() shows 40 characters). */
function tokenText(buf: Buffer, p: number, e: number): string {
  return buf.toString('utf8', p, Math.min(e, p + 200));
}

function isWord(buf: Buffer, p: number, e: number, word: string): boolean {
  if (e - p !== word.length) return false;
  for (let i = 0; i < word.length; i++) if (buf[p + i] !== word.charCodeAt(i)) return false;
  return true;
}

/** 1 for the bytes that separate tokens: space, tab, CR, LF. */
const SEP = new Uint8Array(256);
for (const c of [9, 10, 13, 32]) SEP[c] = 1;

/** The synchronous scanner state, carried across chunks. */
class Scanner {
  state = 0;
  raw = 0; // current time in timescale units
  t = 0; // current time in ns
  skipNext = false; // the next token is the id of a vector/real value: skip it
  inComment = false;
  lineNo: number;
  private readonly byte1 = new Int32Array(256).fill(-2);
  private readonly byte2 = new Int32Array(128 * 128).fill(-2);

  constructor(
    private readonly h: BodyHeader,
    private readonly source: string,
    private readonly stats: SourceStats,
    firstLine: number,
  ) {
    this.lineNo = firstLine;
    for (const [id, bit] of h.ids) {
      const c0 = id.charCodeAt(0);
      if (id.length === 1 && c0 < 128) this.byte1[c0] = bit;
      else if (id.length === 2 && c0 < 128 && id.charCodeAt(1) < 128) this.byte2[(c0 << 7) | id.charCodeAt(1)] = bit;
    }
  }

  private fail(reason: string): never {
    throw new SourceError(this.source, `line ${this.lineNo}`, reason);
  }

  /**
   * Decodes the tokens in buf[p, end) (`end` is just after a newline, or the input's end).
   * Returns where it stopped: `end`, or earlier when the builder became full.
   */
  scan(buf: Buffer, p: number, end: number, b: ChangeBuilder): number {
    const { byte1, byte2 } = this;
    const { mul, div, ids } = this.h;
    let state = this.state;
    let t = this.t;
    let lineNo = this.lineNo;
    let skipNext = this.skipNext;
    let inComment = this.inComment;
    try {
      while (p < end) {
        const c = buf[p];
        if (SEP[c] === 1) {
          if (c === 10) lineNo++;
          p++;
          continue;
        }
        // Fast paths for the two tokens that make up nearly all of a body: `#digits` and `0x`/`1x`
        // with a one-byte id. Anything unusual falls through to the general token code below.
        if (!inComment && !skipNext) {
          if (c === 35 /* # */) {
            let n = 0;
            let k = p + 1;
            for (; k < end; k++) {
              const d = buf[k] - 48;
              if (d < 0 || d > 9) break;
              n = n * 10 + d;
            }
            if (k > p + 1 && (k === end || SEP[buf[k]] === 1) && n >= this.raw) {
              this.raw = n;
              t = div === 1 ? n * mul : (n * mul) / div;
              p = k;
              continue;
            }
          } else if ((c === 48 || c === 49) && p + 1 < end && (p + 2 === end || SEP[buf[p + 2]] === 1)) {
            const bit = byte1[buf[p + 1]];
            if (bit >= 0) {
              if (c === 49) state |= 1 << bit;
              else state &= ~(1 << bit);
              b.set(t, state);
              p += 2;
              if (b.full) break;
              continue;
            }
            if (bit === -1) {
              p += 2;
              continue;
            }
          }
        }
        let e = p + 1;
        while (e < end && SEP[buf[e]] === 0) e++;
        if (inComment) {
          if (isWord(buf, p, e, '$end')) inComment = false;
        } else if (skipNext) {
          skipNext = false;
        } else if (c === 48 || c === 49 || c === 120 || c === 88 || c === 122 || c === 90) {
          let bit: number;
          const len = e - p;
          if (len === 2) bit = byte1[buf[p + 1]];
          else if (len === 3 && buf[p + 1] < 128 && buf[p + 2] < 128) bit = byte2[(buf[p + 1] << 7) | buf[p + 2]];
          else bit = len === 1 ? -2 : (ids.get(buf.toString('utf8', p + 1, e)) ?? -2);
          if (bit < -1) {
            this.lineNo = lineNo;
            this.fail(`value change for undeclared id "${clip(tokenText(buf, p + 1, e))}"`);
          }
          if (bit >= 0) {
            if (c === 49) state |= 1 << bit;
            else {
              state &= ~(1 << bit);
              if (c !== 48) countUnknown(this.stats, 1, t);
            }
            b.set(t, state);
            if (b.full) {
              p = e;
              break;
            }
          }
        } else if (c === 35 /* # */) {
          let n = 0;
          let k = p + 1;
          for (; k < e; k++) {
            const d = buf[k] - 48;
            if (d < 0 || d > 9) break;
            n = n * 10 + d;
          }
          this.lineNo = lineNo;
          if (k !== e || e === p + 1) this.fail(`bad timestamp "${clip(tokenText(buf, p, e))}"`);
          if (n < this.raw) this.fail(`time goes backwards: #${n} after #${this.raw}`);
          this.raw = n;
          t = div === 1 ? n * mul : (n * mul) / div;
        } else if (c === 98 || c === 66 || c === 114 || c === 82) {
          skipNext = true; // vector or real: `b1010 id`
        } else if (c === 36 /* $ */) {
          if (isWord(buf, p, e, '$comment')) inComment = true;
          // $dumpvars, $dumpall, $dumpon, $dumpoff, $end: markers only
        } else {
          this.lineNo = lineNo;
          this.fail(`unexpected "${clip(tokenText(buf, p, e))}"`);
        }
        p = e;
      }
    } finally {
      this.state = state;
      this.t = t;
      this.skipNext = skipNext;
      this.inComment = inComment;
    }
    this.lineNo = lineNo;
    return p;
  }
}

/**
 * Decodes the VCD body into change batches. `eagerYield`: hand over at the end of each input chunk
 * once at least this many changes are waiting.
 */
export async function* scanVcdBody(
  start: BodyStart,
  h: BodyHeader,
  source: string,
  stats: SourceStats,
  eagerYield = 1,
): AsyncGenerator<ChangeBatch> {
  yield* scanBodyLines(start, new Scanner(h, source, stats, start.lineNo), source, { eagerYield, terminateLastLine: false });
}

export function clip(s: string, n = 40): string {
  const printable = s.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > n ? `${printable.slice(0, n)}...` : printable;
}
