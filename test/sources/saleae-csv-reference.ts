/**
 * The Saleae digital CSV reader as it was before the byte-level body scanner (saleae-csv-body.ts):
 * text lines, `split(',')` and `secondsToNs` per row (the header is read by the product's own
 * readSaleaeHeader). Kept as the reference the scanner
 * is checked against (test/sources/saleae-csv-scanner.test.ts) and measured against
 * (bench/saleae-csv-read.ts). Not used by the product.
 *
 * Example: const src = await readSaleaeCsvReference(await openByteInput('x.csv'));
 */
import { withTail } from '../../src/stream/with-tail.ts';
import type { ChangeBatch } from '../../src/signals/types.ts';
import type { ByteInput } from '../../src/sources/byte-input.ts';
import { ChangeBuilder } from '../../src/sources/change-builder.ts';
import { secondsToNs } from '../../src/sources/csv.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { LineCursor, textLines } from '../../src/sources/text-lines.ts';
import type { SourceStats, SourceStream } from '../../src/sources/types.ts';
import { newStats } from '../../src/sources/types.ts';
import { clip } from '../../src/sources/vcd.ts';
import { readSaleaeHeader } from '../../src/sources/saleae-csv.ts';

const EAGER_YIELD = 1;

export async function readSaleaeCsvReference(input: ByteInput): Promise<SourceStream> {
  const cur = new LineCursor(textLines(input.chunks(), input.name));
  // The header is read as the product reads it: only the body reader is the old one.
  const channels = await readSaleaeHeader(cur, input.name);
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
