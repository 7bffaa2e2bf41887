/**
 * Saleae raw digital CSV reader: Logic 2 (`Time [s],Channel 0,Channel 1,...`, renamed channels keep
 * their names) and Logic 1.x (`Time[s], Channel 0, Channel 1`, spaces after commas).
 *
 * One row per change: time in seconds, then 0/1 per channel (`X` = no data: read as 0 and counted
 * in `stats.unknownValues`). Emits a `signals` stream; channel k is the k-th column after time.
 * Times are shifted so the first row is at 0 ns (Logic 2 times are relative to the trigger and
 * may be negative).
 *
 * Errors (SourceError, line N): a header without a `Time [s]` column, a row with the wrong number
 * of fields, a value other than 0/1/X, a time that is not a number or goes backwards.
 *
 * Example: "Time [s],CLK,MOSI\n0.000000000,0,1\n0.000000125,1,1" -> times [0, 125], states [0b10, 0b11].
 */
import { withTail } from '../stream/with-tail.ts';
import type { ChangeBatch } from '../signals/types.ts';
import type { ByteInput } from './byte-input.ts';
import { ChangeBuilder } from './change-builder.ts';
import { secondsToNs, splitCsv } from './csv.ts';
import { SourceError } from './errors.ts';
import { LineCursor, textLines } from './text-lines.ts';
import type { SourceStats, SourceStream } from './types.ts';
import { newStats } from './types.ts';
import { clip } from './vcd.ts';

/** See vcd.ts: hand over each input chunk's changes at its end, for live input on stdin. */
const EAGER_YIELD = 1;
export const SALEAE_TIME_HEADER = /^time\s*\[s\]$/i;

export async function readSaleaeCsv(input: ByteInput): Promise<SourceStream> {
  const cur = new LineCursor(textLines(input.chunks(), input.name));
  let header: string | null;
  try {
    do header = await cur.next();
    while (header !== null && header.trim() === '');
  } catch (e) {
    await cur.close();
    throw e;
  }
  const fields = header === null ? [] : splitCsv(header);
  if (fields.length < 2 || !SALEAE_TIME_HEADER.test(fields[0])) {
    await cur.close();
    throw new SourceError(input.name, `line ${Math.max(cur.lineNo, 1)}`, 'expected a Saleae header "Time [s],<channel>,..."');
  }
  const channels = fields.slice(1);
  if (channels.length > 32) {
    await cur.close();
    throw new SourceError(input.name, `line ${cur.lineNo}`, `${channels.length} channels: at most 32 are supported`);
  }
  const stats = newStats();
  return {
    kind: 'signals',
    info: { channels, source: input.name },
    batches: rows(cur, channels.length, input.name, stats),
    stats,
  };
}

async function* rows(cur: LineCursor, nch: number, source: string, stats: SourceStats): AsyncGenerator<ChangeBatch> {
  const b = new ChangeBuilder();
  let t0 = Number.NaN;
  let prev = -Infinity;
  async function* parse(): AsyncGenerator<ChangeBatch> {
    for await (const { lines, firstLine } of cur.rest()) {
      for (let li = 0; li < lines.length; li++) {
        const line = lines[li];
        if (line.length === 0 || line.trim() === '') continue;
        const where = `line ${firstLine + li}`;
        const f = line.split(',');
        if (f.length !== nch + 1) throw new SourceError(source, where, `expected ${nch + 1} fields, found ${f.length}: "${clip(line)}"`);
        const abs = secondsToNs(f[0].trim());
        if (Number.isNaN(abs)) throw new SourceError(source, where, `bad time "${clip(f[0])}"`);
        if (Number.isNaN(t0)) t0 = abs;
        const t = abs - t0;
        if (t < prev) throw new SourceError(source, where, `time goes backwards: ${f[0].trim()} s`);
        prev = t;
        let state = 0;
        for (let k = 0; k < nch; k++) {
          const v = f[k + 1].trim();
          if (v === '1') state |= 1 << k;
          else if (v === 'X' || v === 'x') stats.unknownValues++;
          else if (v !== '0') throw new SourceError(source, where, `bad value "${clip(v)}" for channel ${k}`);
        }
        b.set(t, state);
        if (b.full) yield b.take();
      }
      if (b.length >= EAGER_YIELD) yield b.take();
    }
  }
  yield* withTail(parse(), () => b.finish());
}
