/**
 * Saleae SPI analyzer export reader -> already-decoded SPI transactions.
 *
 * Two shapes, columns found by header name (case-insensitive, quotes allowed):
 * - Logic 2 table: `name,type,start_time[,duration],mosi,miso`; rows `enable`, `result`, `disable`,
 *   `error` (counted in `stats.analyzerErrors`). Several analyzers may share one file: pick one by the
 *   `analyzer` option (a `name` value). With a file path and no option, the file is pre-scanned
 *   and more than one name is an error listing them; on stdin the first name seen is taken and a
 *   second one is an error.
 * - Legacy (Logic 1.x): `Time [s],Packet ID,MOSI,MISO`: rows are bytes, grouped by Packet ID (by
 *   gaps when the id is empty).
 * Byte values: `0xB5`, `181`, `0b10110101`, or one quoted character; empty = 0.
 * Grouping rules: txn-assembler.ts (option `transactionGapNs`).
 *
 * Errors (SourceError, line N): unknown header, missing columns, bad byte value or time, times
 * going backwards, an ambiguous or unknown analyzer name.
 *
 * Example: 'name,type,start_time,duration,"mosi","miso"\nSPI,enable,0,0,,\nSPI,result,1e-7,8e-7,0xA5,0x5A\n
 * SPI,disable,0.000001,0,,' -> [{ index 0, startNs 0, endNs 1000, mosi [0xA5], miso [0x5A] }].
 */
import type { SpiTransaction } from '../spi/types.ts';
import type { ByteInput } from './byte-input.ts';
import { secondsToNs, splitCsv } from './csv.ts';
import { SourceError } from './errors.ts';
import { LineCursor, textLines } from './text-lines.ts';
import { TxnAssembler } from './txn-assembler.ts';
import type { SourceStats, SourceStream } from './types.ts';
import { newStats } from './types.ts';
import { clip } from './vcd.ts';

export interface AnalyzerOptions {
  analyzer?: string;
  transactionGapNs?: number;
}

interface Columns {
  legacy: boolean;
  name: number;
  type: number;
  time: number;
  duration: number;
  packet: number;
  mosi: number;
  miso: number;
}

export function analyzerColumns(header: string): Columns | null {
  const f = splitCsv(header).map((s) => s.toLowerCase().replace(/\s+/g, ' '));
  const at = (...names: string[]): number => f.findIndex((x) => names.includes(x));
  const mosi = at('mosi');
  const miso = at('miso');
  const legacyTime = at('time [s]', 'time[s]');
  const packet = at('packet id');
  if (legacyTime >= 0 && packet >= 0 && (mosi >= 0 || miso >= 0)) {
    return { legacy: true, name: -1, type: -1, time: legacyTime, duration: -1, packet, mosi, miso };
  }
  const name = at('name');
  const type = at('type');
  const time = at('start_time');
  if (name < 0 || type < 0 || time < 0 || (mosi < 0 && miso < 0)) return null;
  return { legacy: false, name, type, time, duration: at('duration'), packet: -1, mosi, miso };
}

export function parseByte(text: string): number {
  let v = Number.NaN;
  if (text === '') return 0;
  if (/^0x[0-9a-f]+$/i.test(text)) v = parseInt(text.slice(2), 16);
  else if (/^0b[01]+$/i.test(text)) v = parseInt(text.slice(2), 2);
  else if (/^\d+$/.test(text)) v = Number(text);
  else if (text.length === 1) v = text.charCodeAt(0);
  else if (/^'.+'$/.test(text)) return parseByte(text.slice(1, -1));
  return v >= 0 && v <= 255 ? v : Number.NaN;
}

async function readHeaderLine(cur: LineCursor): Promise<string | null> {
  for (;;) {
    const l = await cur.next();
    if (l === null || l.trim() !== '') return l;
  }
}

/** Pre-scan (files only): the distinct analyzer names, in order of first appearance. */
async function analyzerNames(input: ByteInput, col: number): Promise<string[]> {
  const names: string[] = [];
  let first = true;
  for await (const { lines } of textLines(input.chunks(), input.name)) {
    for (const line of lines) {
      if (first) {
        if (line.trim() !== '') first = false;
        continue;
      }
      if (line.trim() === '') continue;
      const n = splitCsv(line)[col];
      if (n !== undefined && !names.includes(n)) names.push(n);
    }
  }
  return names;
}

export async function readSaleaeAnalyzer(input: ByteInput, opts: AnalyzerOptions = {}): Promise<SourceStream> {
  const cur = new LineCursor(textLines(input.chunks(), input.name));
  let cols: Columns | null = null;
  try {
    const header = await readHeaderLine(cur);
    cols = header === null ? null : analyzerColumns(header);
    if (!cols) throw new SourceError(input.name, `line ${Math.max(cur.lineNo, 1)}`, 'expected a Saleae SPI analyzer header (name,type,start_time,...,mosi,miso or Time [s],Packet ID,MOSI,MISO)');
    let chosen = opts.analyzer;
    if (!cols.legacy && input.path !== null) {
      const names = await analyzerNames(input, cols.name);
      const list = names.map((n) => `"${n}"`).join(', ');
      if (chosen !== undefined && !names.includes(chosen)) {
        throw new SourceError(input.name, 'name column', `no analyzer "${chosen}" in the file; it has ${list || 'none'}`);
      }
      if (chosen === undefined && names.length > 1) {
        throw new SourceError(input.name, 'name column', `several analyzers in one file (${list}): choose one with the analyzer option`);
      }
      if (chosen === undefined) chosen = names[0];
    }
    const stats = newStats();
    return { kind: 'transactions', source: input.name, batches: rows(cur, cols, chosen, input.name, opts, stats), stats };
  } catch (e) {
    await cur.close();
    throw e;
  }
}

async function* rows(
  cur: LineCursor,
  c: Columns,
  chosen: string | undefined,
  source: string,
  opts: AnalyzerOptions,
  stats: SourceStats,
): AsyncGenerator<readonly SpiTransaction[]> {
  const asm = new TxnAssembler(opts.transactionGapNs);
  let name = chosen;
  let prevT = -Infinity;
  let packet: string | null = null;
  const drain = (): SpiTransaction[] => asm.out.splice(0, asm.out.length);
  try {
    for await (const { lines, firstLine } of cur.rest()) {
      for (let li = 0; li < lines.length; li++) {
        const line = lines[li];
        if (line.trim() === '') continue;
        const where = `line ${firstLine + li}`;
        const f = splitCsv(line);
        if (!c.legacy) {
          const n = f[c.name] ?? '';
          if (name === undefined) name = n;
          else if (n !== name) {
            if (chosen !== undefined) continue;
            throw new SourceError(source, where, `a second analyzer "${n}" after "${name}": choose one with the analyzer option`);
          }
        }
        const t = secondsToNs(f[c.time] ?? '');
        if (Number.isNaN(t)) throw new SourceError(source, where, `bad time "${clip(f[c.time] ?? '')}"`);
        if (t < prevT) throw new SourceError(source, where, 'time goes backwards');
        prevT = t;
        const byteAt = (i: number, what: string): number => {
          const v = i < 0 ? 0 : parseByte(f[i] ?? '');
          if (Number.isNaN(v)) throw new SourceError(source, where, `bad ${what} byte "${clip(f[i] ?? '')}"`);
          return v;
        };
        if (c.legacy) {
          const id = f[c.packet] ?? '';
          if (id !== '' && packet !== null && id !== packet) asm.cut();
          if (id !== '') packet = id;
          asm.result(t, 0, byteAt(c.mosi, 'MOSI'), byteAt(c.miso, 'MISO'), id === '');
          continue;
        }
        const type = (f[c.type] ?? '').toLowerCase();
        const dur = c.duration >= 0 ? secondsToNs(f[c.duration] ?? '') : 0;
        if (Number.isNaN(dur)) throw new SourceError(source, where, `bad duration "${clip(f[c.duration] ?? '')}"`);
        if (type === 'result') asm.result(t, dur, byteAt(c.mosi, 'mosi'), byteAt(c.miso, 'miso'));
        else if (type === 'enable') asm.enable(t);
        else if (type === 'disable') asm.disable(t + dur);
        else if (type === 'error') {
          if (stats.analyzerErrors++ === 0) stats.firstAnalyzerErrorNs = t;
        }
        else throw new SourceError(source, where, `unknown row type "${clip(type)}"`);
      }
      if (asm.out.length > 0) yield drain();
    }
  } catch (e) {
    asm.finish();
    if (asm.out.length > 0) yield drain();
    throw e;
  }
  asm.finish();
  if (asm.out.length > 0) yield drain();
}
