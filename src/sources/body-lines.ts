/**
 * The chunk loop shared by the byte-level text body scanners (VCD tokens, Saleae CSV rows): input
 * chunks are cut at line ends, a line split across chunks is joined with its end only, a NUL byte
 * or an overlong line faults before any byte of its line is used, and batches are handed over as
 * they fill (and at the end of a chunk once `eagerYield` changes wait, for live input).
 */
import { withTail } from '../stream/with-tail.ts';
import type { ChangeBatch } from '../signals/types.ts';
import { ChangeBuilder } from './change-builder.ts';
import { SourceError } from './errors.ts';

export const MAX_LINE_BYTES = 1 << 20;
const NEWLINE = Buffer.from('\n');

/** Turns whole lines into changes. */
export interface LineScanner {
  /** Decodes buf from p up to `end` (a line boundary) into b; returns where it stopped (b full, or end). */
  scan(buf: Buffer, p: number, end: number, b: ChangeBuilder): number;
  /** The line being scanned, for errors. */
  readonly lineNo: number;
}

export interface BodyLineOptions {
  /** Hand over at the end of each input chunk once at least this many changes wait. */
  readonly eagerYield: number;
  /** The scanner needs a newline after every line: give an unterminated last line one. */
  readonly terminateLastLine: boolean;
}

/** Where a body starts: the bytes a header read past, and the chunks after them. */
export interface BodyStart {
  /** Bytes already read but not consumed by the header. */
  readonly buf: Buffer;
  readonly chunks: AsyncIterator<Buffer>;
  /** Line number of the first byte of `buf`. */
  readonly lineNo: number;
}

export async function* scanBodyLines(start: BodyStart, sc: LineScanner, source: string, opts: BodyLineOptions): AsyncGenerator<ChangeBatch> {
  const b = new ChangeBuilder();
  const it = start.chunks;
  let carry: Buffer | null = start.buf.length > 0 ? start.buf : null;
  let finished = false;

  /**
   * Decodes the whole lines of buf from `from` (all of it when `final`) and returns the unfinished
   * last line, or null.
   */
  function* lines(buf: Buffer, from: number, final: boolean): Generator<ChangeBatch, Buffer | null> {
    const nul = buf.indexOf(0, from);
    let end: number;
    if (nul >= 0) end = Math.max(from, buf.lastIndexOf(10, nul) + 1);
    else if (!final) end = Math.max(from, buf.lastIndexOf(10) + 1);
    else {
      if (opts.terminateLastLine && buf.length > from && buf[buf.length - 1] !== 10) {
        buf = Buffer.concat([buf.subarray(from), NEWLINE]);
        from = 0;
      }
      end = buf.length;
    }
    let p = from;
    while (p < end) {
      p = sc.scan(buf, p, end, b);
      if (b.full) yield b.take();
    }
    if (nul >= 0) throw new SourceError(source, `line ${sc.lineNo}`, 'binary data (NUL byte) in a text file');
    const rest = end < buf.length ? buf.subarray(end) : null;
    if (rest !== null && rest.length > MAX_LINE_BYTES) {
      throw new SourceError(source, `line ${sc.lineNo}`, `line longer than ${MAX_LINE_BYTES} bytes: binary junk?`);
    }
    return rest;
  }

  async function* scan(): AsyncGenerator<ChangeBatch> {
    // The rest of the header's chunk first, handed over before waiting for more input (stdin).
    if (carry !== null) {
      carry = yield* lines(carry, 0, false);
      if (b.length >= opts.eagerYield) yield b.take();
    }
    for (;;) {
      const r = await it.next();
      if (r.done) {
        finished = true;
        if (carry !== null) yield* lines(carry, 0, true);
        break;
      }
      const chunk: Buffer = r.value;
      if (carry === null) {
        carry = yield* lines(chunk, 0, false);
      } else {
        // Join the carried line with its end only, not with the whole (1 MiB) chunk.
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          carry = yield* lines(Buffer.concat([carry, chunk]), 0, false);
        } else {
          yield* lines(Buffer.concat([carry, chunk.subarray(0, nl + 1)]), 0, false);
          carry = yield* lines(chunk, nl + 1, false);
        }
      }
      if (b.length >= opts.eagerYield) yield b.take();
    }
  }
  try {
    yield* withTail(scan(), () => b.finish());
  } finally {
    if (!finished) await it.return?.();
  }
}
