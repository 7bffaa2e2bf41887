/**
 * Byte-level scanning of a Saleae raw digital CSV body (the rows after the `Time [s],...` header).
 *
 * Consumes the unread bytes and chunk iterator that `HeaderLines.rest()` (vcd-body.ts) hands over
 * and emits ChangeBatches, without turning rows into strings. A row is
 * `<time>,<v0>,<v1>,...` with ASCII blanks (space, tab, CR, VT, FF) allowed around every field:
 * - the time is `[+-]digits[.digits]` or `[+-]digits[.digits](e|E)[+-]digits`, parsed from the
 *   bytes with integer arithmetic and at most one correctly rounded multiply or divide, so the ns
 *   value is bit-identical to `secondsToNs` (csv.ts) on the same text;
 * - each value is `0`, `1` or `X`/`x` (read as 0, counted in `stats.unknownValues`).
 * Anything else on a row (quotes, a missing field, a bad value, a number the byte parser cannot do
 * exactly such as 17+ significant digits or a huge exponent, non-ASCII blanks) sends that one row
 * to `slowRow`, the former string-based reader, which decodes it exactly as before or throws the
 * same SourceError (`line N`). Blank lines are skipped. Times are shifted so the first row is at 0.
 *
 * Input faults as in text-lines.ts: a NUL byte or an unfinished line over 1 MiB throws at its line,
 * after the rows before it. The changes decoded so far are handed over at the end of every input
 * chunk (live input on stdin), and on a fault (withTail) before the error.
 *
 * Example: for await (const batch of scanSaleaeCsvBody(header.rest(), 4, 'x.csv', stats)) ...
 */
import { scanBodyLines } from './body-lines.ts';
import type { ChangeBatch } from '../signals/types.ts';
import type { ChangeBuilder } from './change-builder.ts';
import { secondsToNs } from './csv.ts';
import { SourceError } from './errors.ts';
import type { SourceStats } from './types.ts';
import { countUnknown } from './types.ts';
import { clip } from './vcd-body.ts';
import type { BodyStart } from './body-lines.ts';

const TWO53 = 2 ** 53;

/** 1 for the bytes String.prototype.trim removes that can occur inside a line: TAB, VT, FF, CR, space. */
const BLANK = new Uint8Array(256);
for (const c of [9, 11, 12, 13, 32]) BLANK[c] = 1;

/** Exact powers of ten (every one up to 1e22 is a double). */
const POW10: number[] = [];
for (let i = 0, p = 1; i <= 22; i++, p *= 10) POW10.push(p);

/**
 * `text` (seconds, ASCII, trimmed) in ns through the exponent route of secondsToNs
 * (`Number(text) * 1e9`), exactly, or NaN when the fast way would not be exact.
 * Clinger's fast path: an integer mantissa below 2^53 times or over an exact power of ten.
 */
function exponentSecondsToNs(buf: Buffer, p: number, end: number): number {
  let neg = false;
  let c = buf[p];
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = buf[++p];
  }
  let mant = 0;
  let digits = 0;
  let fracDigits = 0;
  while (c >= 48 && c <= 57) {
    mant = mant * 10 + (c - 48);
    digits++;
    c = buf[++p];
  }
  if (c === 46) {
    c = buf[++p];
    while (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      fracDigits++;
      c = buf[++p];
    }
  }
  if (digits === 0 || !(c === 101 || c === 69)) return Number.NaN;
  c = buf[++p];
  let expNeg = false;
  if (c === 45 || c === 43) {
    expNeg = c === 45;
    c = buf[++p];
  }
  let exp = 0;
  let expDigits = 0;
  while (c >= 48 && c <= 57 && exp < 1e6) {
    exp = exp * 10 + (c - 48);
    expDigits++;
    c = buf[++p];
  }
  if (expDigits === 0 || p !== end || mant >= TWO53) return Number.NaN;
  const e = (expNeg ? -exp : exp) - fracDigits;
  if (e < -22 || e > 22) return Number.NaN;
  let v = e >= 0 ? mant * POW10[e] : mant / POW10[-e];
  if (neg) v = -v;
  return v * 1e9;
}

/** The row decoder, with the state carried across rows and chunks. */
class RowScanner {
  t0 = Number.NaN;
  prev = -Infinity;
  lineNo: number;

  constructor(
    private readonly nch: number,
    private readonly source: string,
    private readonly stats: SourceStats,
    firstLine: number,
  ) {
    this.lineNo = firstLine;
  }

  /**
   * Decodes the rows in buf[p, end); `buf[end - 1]` is a newline (the caller appends one to an
   * unterminated last line), which every field loop stops at. Returns where it stopped: `end`, or
   * just after the row that filled the builder.
   */
  scan(buf: Buffer, p: number, end: number, b: ChangeBuilder): number {
    const nch = this.nch;
    let lineNo = this.lineNo;
    try {
      while (p < end) {
        const rowStart = p;
        let q = p;
        let c = buf[q];
        while (BLANK[c] === 1) c = buf[++q];
        if (c === 10) {
          lineNo++;
          p = q + 1;
          continue;
        }
        // Time: [+-]int[.frac], split as secondsToNs does: whole seconds, the first nine
        // fractional digits (integer ns), the digits after them (a fraction of a ns).
        const tStart = q;
        let neg = false;
        if (c === 45 || c === 43) {
          neg = c === 45;
          c = buf[++q];
        }
        let whole = 0;
        let wholeDigits = 0;
        while (c >= 48 && c <= 57) {
          whole = whole * 10 + (c - 48);
          wholeDigits++;
          c = buf[++q];
        }
        let frac9 = 0;
        let fracDigits = 0;
        let rest = 0;
        if (c === 46) {
          c = buf[++q];
          while (c >= 48 && c <= 57) {
            if (fracDigits < 9) frac9 = frac9 * 10 + (c - 48);
            else rest = rest * 10 + (c - 48);
            fracDigits++;
            c = buf[++q];
          }
        }
        let abs: number;
        if (c === 101 || c === 69) {
          while (c === 101 || c === 69 || c === 43 || c === 45 || (c >= 48 && c <= 57)) c = buf[++q];
          abs = exponentSecondsToNs(buf, tStart, q);
          if (Number.isNaN(abs)) {
            p = this.slowRow(buf, rowStart, lineNo, b);
            lineNo++;
            if (b.full) break;
            continue;
          }
        } else {
          const restDigits = fracDigits - 9;
          if (wholeDigits + fracDigits === 0 || whole >= TWO53 || (restDigits > 0 && (restDigits > 22 || rest >= TWO53))) {
            p = this.slowRow(buf, rowStart, lineNo, b);
            lineNo++;
            if (b.full) break;
            continue;
          }
          abs = whole * 1e9 + (fracDigits === 0 ? 0 : fracDigits >= 9 ? frac9 : frac9 * POW10[9 - fracDigits]);
          if (restDigits > 0) abs += rest / POW10[restDigits];
          if (neg) abs = -abs;
        }
        const tEnd = q;
        while (BLANK[c] === 1) c = buf[++q];
        // Values: one byte each, blanks around, commas between, the newline after the last.
        let state = 0;
        let unknown = 0;
        let ok = c === 44;
        for (let k = 0; ok && k < nch; k++) {
          c = buf[++q];
          while (BLANK[c] === 1) c = buf[++q];
          if (c === 49) state |= 1 << k;
          else if (c === 88 || c === 120) unknown++;
          else if (c !== 48) {
            ok = false;
            break;
          }
          c = buf[++q];
          while (BLANK[c] === 1) c = buf[++q];
          ok = c === (k === nch - 1 ? 10 : 44);
        }
        if (!ok) {
          p = this.slowRow(buf, rowStart, lineNo, b);
          lineNo++;
          if (b.full) break;
          continue;
        }
        if (Number.isNaN(this.t0)) this.t0 = abs;
        const t = abs - this.t0;
        if (t < this.prev) {
          this.lineNo = lineNo;
          throw new SourceError(this.source, `line ${lineNo}`, `time goes backwards: ${buf.toString('latin1', tStart, tEnd)} s`);
        }
        this.prev = t;
        if (unknown !== 0) countUnknown(this.stats, unknown, t);
        b.set(t, state);
        lineNo++;
        p = q + 1;
        if (b.full) break;
      }
    } finally {
      this.lineNo = lineNo;
    }
    return p;
  }

  /**
   * The row at buf[p] (ending at the next newline) through the former string-based code: decodes
   * it or throws its SourceError. Returns the position after its newline.
   */
  private slowRow(buf: Buffer, p: number, lineNo: number, b: ChangeBuilder): number {
    const nl = buf.indexOf(10, p);
    const lineEnd = nl > p && buf[nl - 1] === 13 ? nl - 1 : nl;
    const line = buf.toString('utf8', p, lineEnd);
    if (line.trim() === '') return nl + 1;
    const nch = this.nch;
    const where = `line ${lineNo}`;
    const f = line.split(',');
    if (f.length !== nch + 1) throw new SourceError(this.source, where, `expected ${nch + 1} fields, found ${f.length}: "${clip(line)}"`);
    const abs = secondsToNs(f[0].trim());
    if (Number.isNaN(abs)) throw new SourceError(this.source, where, `bad time "${clip(f[0])}"`);
    if (Number.isNaN(this.t0)) this.t0 = abs;
    const t = abs - this.t0;
    if (t < this.prev) throw new SourceError(this.source, where, `time goes backwards: ${f[0].trim()} s`);
    this.prev = t;
    let state = 0;
    let unknown = 0;
    for (let k = 0; k < nch; k++) {
      const v = f[k + 1].trim();
      if (v === '1') state |= 1 << k;
      else if (v === 'X' || v === 'x') unknown++;
      else if (v !== '0') throw new SourceError(this.source, where, `bad value "${clip(v)}" for channel ${k}`);
    }
    if (unknown !== 0) countUnknown(this.stats, unknown, t);
    b.set(t, state);
    return nl + 1;
  }
}

/**
 * Decodes the rows after the header into change batches. `nch`: number of value columns.
 * `eagerYield`: hand over at the end of each input chunk once at least this many changes wait.
 */
export async function* scanSaleaeCsvBody(
  start: BodyStart,
  nch: number,
  source: string,
  stats: SourceStats,
  eagerYield = 1,
): AsyncGenerator<ChangeBatch> {
  yield* scanBodyLines(start, new RowScanner(nch, source, stats, start.lineNo), source, { eagerYield, terminateLastLine: true });
}
