/**
 * Splits a byte stream into text lines, a block at a time, with line numbers.
 *
 * Yields `{ lines, firstLine }` per input chunk: `lines` are the complete lines the chunk finished
 * (without `\r\n`/`\n`), `firstLine` the 1-based number of the first. The last line is yielded even
 * without a final newline. Text readers loop over `lines` synchronously, so per-line cost is a
 * plain string operation, not an await.
 *
 * Hostile input: a NUL byte (binary junk) or a line longer than `maxLineBytes` (default 1 MiB)
 * throws a SourceError naming the line, after the lines before it were yielded.
 *
 * Example: for await (const { lines, firstLine } of textLines(input.chunks(), 'x.csv')) ...
 */
import { isAscii } from 'node:buffer';
import { SourceError } from './errors.ts';

export interface LineBlock {
  readonly lines: string[];
  readonly firstLine: number;
}

export async function* textLines(
  chunks: AsyncIterable<Buffer>,
  source: string,
  maxLineBytes = 1 << 20,
): AsyncGenerator<LineBlock> {
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  let lineNo = 1;
  let sawBom = false;
  let ascii = true;
  for await (const chunk of chunks) {
    const nul = chunk.indexOf(0);
    const part = nul >= 0 ? chunk.subarray(0, nul) : chunk;
    // Captures are ASCII in practice: latin1 decoding is several times faster than UTF-8. Once a
    // non-ASCII byte shows up the UTF-8 decoder takes over for good (it may hold a split sequence).
    if (ascii && !isAscii(part)) ascii = false;
    let text = ascii ? part.toString('latin1') : decoder.decode(part, { stream: true });
    if (!sawBom) {
      sawBom = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    text = carry + text;
    const parts = text.split('\n');
    carry = parts.pop() ?? '';
    if (parts.length > 0) {
      for (let i = 0; i < parts.length; i++) {
        const p = parts[i];
        if (p.length > 0 && p.charCodeAt(p.length - 1) === 13) parts[i] = p.slice(0, -1);
      }
      const block = { lines: parts, firstLine: lineNo };
      lineNo += parts.length;
      yield block;
    }
    if (nul >= 0) throw new SourceError(source, `line ${lineNo}`, 'binary data (NUL byte) in a text file');
    if (carry.length > maxLineBytes) {
      throw new SourceError(source, `line ${lineNo}`, `line longer than ${maxLineBytes} bytes: binary junk?`);
    }
  }
  carry += decoder.decode();
  if (carry.endsWith('\r')) carry = carry.slice(0, -1);
  if (carry.length > 0) yield { lines: [carry], firstLine: lineNo };
}

/**
 * Line-at-a-time access for headers, then block access for the body from the same position:
 * `await cur.next()` for header lines, then `for await (const block of cur.rest())`.
 */
export class LineCursor {
  private block: LineBlock = { lines: [], firstLine: 1 };
  private pos = 0;
  private done = false;
  /** Number of the last line returned by next(), 0 before any. */
  lineNo = 0;

  constructor(private readonly blocks: AsyncGenerator<LineBlock>) {}

  async next(): Promise<string | null> {
    while (this.pos >= this.block.lines.length) {
      if (this.done) return null;
      const r = await this.blocks.next();
      if (r.done) {
        this.done = true;
        return null;
      }
      this.block = r.value;
      this.pos = 0;
    }
    this.lineNo = this.block.firstLine + this.pos;
    return this.block.lines[this.pos++];
  }

  /** Lines not yet returned by next(), as blocks. */
  async *rest(): AsyncGenerator<LineBlock> {
    if (this.pos < this.block.lines.length) {
      yield { lines: this.block.lines.slice(this.pos), firstLine: this.block.firstLine + this.pos };
      this.pos = this.block.lines.length;
    }
    if (this.done) return;
    yield* this.blocks;
  }

  /** Releases the underlying input when the caller stops early. */
  async close(): Promise<void> {
    await this.blocks.return(undefined);
  }
}
