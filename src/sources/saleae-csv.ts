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
 * The header is read as text lines (HeaderLines, vcd-body.ts); the rows are scanned from the bytes
 * by saleae-csv-body.ts.
 *
 * Example: "Time [s],CLK,MOSI\n0.000000000,0,1\n0.000000125,1,1" -> times [0, 125], states [0b10, 0b11].
 */
import type { ByteInput } from './byte-input.ts';
import { splitCsv } from './csv.ts';
import { SourceError } from './errors.ts';
import { scanSaleaeCsvBody } from './saleae-csv-body.ts';
import type { SourceStream } from './types.ts';
import { newStats } from './types.ts';
import { HeaderLines } from './vcd-body.ts';

/** See vcd.ts: hand over each input chunk's changes at its end, for live input on stdin. */
const EAGER_YIELD = 1;
export const SALEAE_TIME_HEADER = /^time\s*\[s\]$/i;

/** Header lines read one at a time (HeaderLines here; the test reference's LineCursor). */
export interface HeaderCursor {
  next(): Promise<string | null>;
  close(): Promise<void>;
  readonly lineNo: number;
}

/** Reads the header row ("Time [s],<channel>,...") and returns the channel names; closes `cur` on a fault. */
export async function readSaleaeHeader(cur: HeaderCursor, name: string): Promise<string[]> {
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
    throw new SourceError(name, `line ${Math.max(cur.lineNo, 1)}`, 'expected a Saleae header "Time [s],<channel>,..."');
  }
  const channels = fields.slice(1);
  if (channels.length > 32) {
    await cur.close();
    throw new SourceError(name, `line ${cur.lineNo}`, `${channels.length} channels: at most 32 are supported`);
  }
  return channels;
}

export async function readSaleaeCsv(input: ByteInput): Promise<SourceStream> {
  const cur = new HeaderLines(input.chunks(), input.name);
  const channels = await readSaleaeHeader(cur, input.name);
  const stats = newStats();
  return {
    kind: 'signals',
    info: { channels, source: input.name },
    batches: scanSaleaeCsvBody(cur.rest(), channels.length, input.name, stats, EAGER_YIELD),
    stats,
  };
}
