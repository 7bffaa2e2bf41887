/**
 * buddyshark's SPI stage on a corpus case, in the shape sigrokDecode gives, and the comparison of
 * the two. The pipeline is the user's: openSource -> resolveChannels(--channels) -> decodeSpi.
 */
import { openSource } from '../../src/sources/open.ts';
import { resolveChannels } from '../../src/sources/channel-map.ts';
import { decodeSpi } from '../../src/spi/decode.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import type { SpiMode } from '../../src/spi/types.ts';
import { join } from 'node:path';
import { CORPUS_DIR, channelsArg, type CorpusCase, type RefDecode } from './corpus.ts';

export interface OurDecode extends RefDecode {
  readonly records: BuddyRecord[];
  readonly channels: readonly string[];
}

function words(bytes: Uint8Array, wordBits: number): string[] {
  const bw = Math.ceil(wordBits / 8);
  const out: string[] = [];
  for (let k = 0; k + bw <= bytes.length; k += bw) out.push(Buffer.from(bytes.subarray(k, k + bw)).toString('hex'));
  return out;
}

/** The case's mode as cases.tsv gives it. */
export function caseMode(c: CorpusCase): SpiMode {
  return { cpol: c.cpol, cpha: c.cpha, bitOrder: c.bitOrder, csActive: c.csActive, wordBits: c.wordBits };
}

export async function ourDecode(c: CorpusCase, mode: SpiMode = caseMode(c)): Promise<OurDecode> {
  const src = await openSource(join(CORPUS_DIR, c.file));
  if (src.kind !== 'signals') throw new Error(`${c.file}: not a signal capture`);
  const map = resolveChannels(src.info.channels, channelsArg(c));
  const records: BuddyRecord[] = [];
  for await (const b of decodeSpi(src.info, src.batches, map, { mode })) records.push(...b);
  const out: OurDecode = { records, channels: src.info.channels, mosi: [], miso: [], transfers: [] };
  const truncated = new Set(records.filter((r) => r.kind === 'anomaly' && r.code === 'truncated-capture').map((r) => r.kind === 'anomaly' ? r.txn : -1));
  for (const r of records) {
    if (r.kind !== 'txn') continue;
    const mw = c.roles.mosi !== undefined ? words(r.mosi, c.wordBits) : [];
    const iw = c.roles.miso !== undefined ? words(r.miso, c.wordBits) : [];
    for (const h of mw) out.mosi.push({ startNs: r.startNs, hex: h });
    for (const h of iw) out.miso.push({ startNs: r.startNs, hex: h });
    if (!truncated.has(r.txn)) out.transfers.push({ startNs: r.startNs, mosi: mw, miso: iw });
  }
  return out;
}

export interface Comparison {
  readonly equal: boolean;
  readonly lines: string[];
}

function firstDiff(a: readonly string[], b: readonly string[]): number {
  const n = Math.max(a.length, b.length);
  for (let k = 0; k < n; k++) if (a[k] !== b[k]) return k;
  return -1;
}

export function compare(ours: OurDecode, ref: RefDecode, samplePeriodNs: number): Comparison {
  const lines: string[] = [];
  for (const dir of ['mosi', 'miso'] as const) {
    const a = ours[dir].map((w) => w.hex);
    const b = ref[dir].map((w) => w.hex);
    const k = firstDiff(a, b);
    if (k >= 0) lines.push(`${dir}: ${a.length} words vs sigrok ${b.length}; first difference at word ${k}: ${a[k] ?? '-'} vs ${b[k] ?? '-'}`);
  }
  // A CS assertion with no whole word is an empty transfer to sigrok and an anomaly to us.
  const whole = (t: RefDecode['transfers'][number]): boolean => t.mosi.length + t.miso.length > 0;
  const oursT = ours.transfers.filter(whole);
  const refT = ref.transfers.filter(whole);
  const ta = oursT.map((t) => `${t.mosi.join(' ')}|${t.miso.join(' ')}`);
  const tb = refT.map((t) => `${t.mosi.join(' ')}|${t.miso.join(' ')}`);
  const k = firstDiff(ta, tb);
  if (k >= 0) lines.push(`transfers: ${ta.length} vs sigrok ${tb.length}; first difference at ${k}: ${ta[k] ?? '-'} vs ${tb[k] ?? '-'}`);
  else {
    for (let j = 0; j < ta.length; j++) {
      const d = Math.abs(oursT[j].startNs - refT[j].startNs);
      if (d > samplePeriodNs * 1.01) {
        lines.push(`transfer ${j} starts at ${oursT[j].startNs} ns vs sigrok ${refT[j].startNs} ns`);
        break;
      }
    }
  }
  return { equal: lines.length === 0, lines };
}
