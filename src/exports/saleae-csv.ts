/**
 * Writes a signal capture as a Saleae Logic 2 raw digital CSV: header `Time [s],<name>,...`, then
 * one row per change with the time in seconds (nine decimals: exact for integer ns) and 0/1 per
 * channel, as Logic 2's "Export raw data" does.
 *
 * `writeSaleaeCsv(info, batches, path, { force = false })` -> number of rows written.
 *
 * Example: "Time [s],CLK,MOSI\n0.000000000,0,1\n0.000000125,1,1\n".
 */
import type { ChangeBatch, SignalInfo } from '../signals/types.ts';
import { nsToSeconds } from '../sources/csv.ts';
import { createOutput } from './output.ts';

export interface SaleaeCsvWriteOptions {
  force?: boolean;
}

function csvName(name: string): string {
  return /[",]/.test(name) ? `"${name.replace(/"/g, '""')}"` : name;
}

export async function writeSaleaeCsv(info: SignalInfo, batches: AsyncIterable<ChangeBatch>, path: string, opts: SaleaeCsvWriteOptions = {}): Promise<number> {
  const out = await createOutput(path, opts.force);
  const nch = info.channels.length;
  let rows = 0;
  try {
    await out.write(`Time [s],${info.channels.map(csvName).join(',')}\n`);
    for await (const b of batches) {
      const lines: string[] = new Array(b.length);
      for (let i = 0; i < b.length; i++) {
        const s = b.states[i];
        let line = nsToSeconds(b.times[i]);
        for (let k = 0; k < nch; k++) line += (s >>> k) & 1 ? ',1' : ',0';
        lines[i] = line;
      }
      rows += b.length;
      if (lines.length > 0) await out.write(`${lines.join('\n')}\n`);
    }
    await out.close();
  } catch (e) {
    out.abort();
    throw e;
  }
  return rows;
}
