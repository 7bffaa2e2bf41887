/**
 * Writes SPI transactions as a Saleae Logic 2 SPI analyzer table:
 * `name,type,start_time,duration,"mosi","miso"`, per transaction an `enable` row at CS assertion,
 * one `result` row per byte, and a `disable` row at CS release. Byte rows split the transaction's
 * span evenly (transactions carry no per-byte times). Bytes are written as `0xB5`.
 *
 * `writeSaleaeAnalyzer(batches, path, { name = 'SPI', force = false })` -> transactions written.
 *
 * Example rows: `SPI,enable,0.000000000,0,,` / `SPI,result,0.000000000,0.000000500,0xA5,0x5A` /
 * `SPI,disable,0.000001000,0,,`.
 */
import type { SpiTransaction } from '../spi/types.ts';
import { nsToSeconds } from '../sources/csv.ts';
import { createOutput } from './output.ts';

export interface SaleaeAnalyzerWriteOptions {
  name?: string;
  force?: boolean;
}

function hex(b: number): string {
  return `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
}

export async function writeSaleaeAnalyzer(batches: AsyncIterable<readonly SpiTransaction[]>, path: string, opts: SaleaeAnalyzerWriteOptions = {}): Promise<number> {
  const name = /[",]/.test(opts.name ?? 'SPI') ? `"${(opts.name ?? '').replace(/"/g, '""')}"` : (opts.name ?? 'SPI');
  const out = await createOutput(path, opts.force);
  let count = 0;
  try {
    await out.write('name,type,start_time,duration,"mosi","miso"\n');
    for await (const batch of batches) {
      const lines: string[] = [];
      for (const t of batch) {
        lines.push(`${name},enable,${nsToSeconds(t.startNs)},0,,`);
        const n = t.mosi.length;
        const span = Math.max(t.endNs - t.startNs, 0);
        for (let k = 0; k < n; k++) {
          const s = t.startNs + (span * k) / n;
          const e = t.startNs + (span * (k + 1)) / n;
          const miso = k < t.miso.length ? hex(t.miso[k]) : '';
          lines.push(`${name},result,${nsToSeconds(s)},${nsToSeconds(e - s)},${hex(t.mosi[k])},${miso}`);
        }
        lines.push(`${name},disable,${nsToSeconds(t.endNs)},0,,`);
        count++;
      }
      if (lines.length > 0) await out.write(`${lines.join('\n')}\n`);
    }
    await out.close();
  } catch (e) {
    out.abort();
    throw e;
  }
  return count;
}
