/**
 * Guesses a capture's format from its first bytes (never from the file name).
 *
 * `detectFormat(head, isDirectory)` -> a SourceFormat, or null when nothing matches:
 * - a directory -> `saleae-bin` (a folder of digital_N.bin files);
 * - `PK\x03\x04` (zip) -> `sigrok-sr`; `<SALEAE>` -> `saleae-bin`;
 * - text whose first word is a `$` keyword (`$date`, `$timescale`, `$var`...) -> `vcd`;
 * - a CSV header `name,type,start_time,...` or `Time [s],Packet ID,...` -> `saleae-analyzer`;
 * - a CSV header `Time [s],...` / `Time[s], ...` -> `saleae-csv`.
 *
 * Example: detectFormat(Buffer.from('$timescale 1 ns $end'), false) === 'vcd'.
 */
import { analyzerColumns } from './saleae-analyzer.ts';
import { SALEAE_TIME_HEADER } from './saleae-csv.ts';
import { splitCsv } from './csv.ts';
import type { SourceFormat } from './types.ts';

export function isZip(head: Uint8Array): boolean {
  return head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

export function detectFormat(head: Uint8Array, isDirectory: boolean): SourceFormat | null {
  if (isDirectory) return 'saleae-bin';
  if (isZip(head)) return 'sigrok-sr';
  if (Buffer.from(head.subarray(0, 8)).toString('latin1') === '<SALEAE>') return 'saleae-bin';
  let text = Buffer.from(head).toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  // sigrok-cli 0.7 may put a "META samplerate: N" line before the VCD header.
  const trimmed = text.trimStart().replace(/^META [^\n]*\n/, '').trimStart();
  if (/^\$[a-z]+\b/.test(trimmed)) return 'vcd';
  const firstLine = trimmed.split(/\r?\n/, 1)[0] ?? '';
  if (analyzerColumns(firstLine)) return 'saleae-analyzer';
  const f = splitCsv(firstLine);
  if (f.length >= 2 && SALEAE_TIME_HEADER.test(f[0])) return 'saleae-csv';
  return null;
}
