/**
 * Where a simulator run goes: one writer per output file, chosen by extension. `.ndjson` is the
 * transaction stream (what a perfect SPI decoder sees), `.pcapng` the decoded records, `.vcd`,
 * `.csv` (Saleae Logic 2 digital) and `.sr` (sigrok) signal-level captures as a logic analyzer on
 * the dev jig would export them, `.analyzer.csv` a Saleae SPI analyzer table of the transactions.
 * The simulator is deterministic, so each output gets its own run of the same scenario and seed.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { writeSaleaeAnalyzer, writeSaleaeCsv, writeSigrokSr, writeVcd } from '../exports/index.ts';
import { decodeLink } from '../link/stream.ts';
import { writeRecordsToPcapng } from '../pcapng/sink.ts';
import { recordToJson } from '../records/json.ts';
import type { BuddyRecord, RecordStream } from '../records/types.ts';
import { DEFAULT_BUS } from '../sim/bus.ts';
import type { Scenario } from '../sim/scenario.ts';
import { renderSpi, type RenderItem } from '../spi/render.ts';
import type { SpiMode, SpiTransaction } from '../spi/types.ts';
import { HEADER_SIZE } from '../protocol/constants.ts';
import { UserError } from './output.ts';
import { access } from 'node:fs/promises';
import { createLinkStage } from '../link/select.ts';

export const OUTPUT_KINDS = ['ndjson', 'pcapng', 'vcd', 'csv', 'sr', 'analyzer.csv'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

export function outputKind(path: string): OutputKind {
  const lower = path.toLowerCase();
  if (lower.endsWith('.analyzer.csv')) return 'analyzer.csv';
  const ext = lower.slice(lower.lastIndexOf('.') + 1);
  if ((OUTPUT_KINDS as readonly string[]).includes(ext)) return ext as OutputKind;
  throw new UserError(`${path}: unknown output type ".${ext}": use ${OUTPUT_KINDS.map((k) => `.${k}`).join(', ')}`);
}

/** The bus as the scenario configures it (what the renderer must reproduce). */
export function scenarioBus(sc: Scenario): { clockHz: number; mode: SpiMode; turnaroundNs: number } {
  return {
    clockHz: sc.bus.clockHz ?? DEFAULT_BUS.clockHz,
    mode: { ...DEFAULT_BUS.mode, cpol: sc.bus.cpol ?? 0, cpha: sc.bus.cpha ?? 0 },
    turnaroundNs: sc.bus.turnaroundNs ?? DEFAULT_BUS.turnaroundNs,
  };
}

/** A sample rate a logic analyzer would use for this bus: at least 4x the SPI clock. */
export function defaultSampleRate(clockHz: number): number {
  for (const r of [100e6, 200e6, 250e6, 500e6, 1e9]) if (r >= 4 * clockHz) return r;
  return 4 * clockHz;
}

/** Simulator records as the renderer draws them, with the sim's exact CS timing. */
async function* renderItems(records: RecordStream, sc: Scenario): AsyncGenerator<RenderItem[]> {
  const bus = scenarioBus(sc);
  for await (const batch of records) {
    const items: RenderItem[] = [];
    for (const r of batch) {
      if (r.kind === 'txn') {
        items.push({
          kind: 'txn', startNs: r.startNs, endNs: r.endNs, mosi: r.mosi, miso: r.miso, bitHz: bus.clockHz, mode: bus.mode,
          csSetupNs: DEFAULT_BUS.csSetupNs, csHoldNs: DEFAULT_BUS.csHoldNs, pauseAfterBytes: HEADER_SIZE, pauseNs: bus.turnaroundNs,
        });
      } else if (r.kind === 'line' && r.line !== 'cs') {
        items.push({ kind: 'line', line: r.line, timeNs: r.startNs, level: r.level });
      } else if (r.kind === 'anomaly' && r.code === 'cs-glitch') {
        items.push({ kind: 'cs-pulse', startNs: r.startNs, endNs: r.endNs });
      }
    }
    if (items.length) yield items;
  }
}

async function* transactions(records: RecordStream): AsyncGenerator<SpiTransaction[]> {
  for await (const batch of records) {
    const out: SpiTransaction[] = [];
    for (const r of batch) if (r.kind === 'txn') out.push({ index: r.txn, startNs: r.startNs, endNs: r.endNs, mosi: r.mosi, miso: r.miso });
    if (out.length) yield out;
  }
}

async function writeNdjson(records: RecordStream, path: string, force: boolean): Promise<number> {
  if (!force) {
    const exists = await access(path).then(() => true, () => false);
    if (exists) throw new UserError(`${path}: already exists (use --force to overwrite)`);
  }
  const out = createWriteStream(path);
  let n = 0;
  for await (const batch of records) {
    const text = batch.map((r: BuddyRecord) => JSON.stringify(recordToJson(r))).join('\n');
    n += batch.length;
    if (!out.write(`${text}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return n;
}

export interface OutputOptions {
  readonly force: boolean;
  /** Sample rate for signal captures (Hz); undefined = exact ns times for VCD/CSV, the default rate for .sr. */
  readonly rateHz?: number;
}

/** Writes one output from a fresh run's records; returns what it wrote, for the report. */
export async function writeSimOutput(path: string, records: RecordStream, sc: Scenario, opts: OutputOptions): Promise<string> {
  const kind = outputKind(path);
  const bus = scenarioBus(sc);
  const rate = opts.rateHz ?? (kind === 'sr' ? defaultSampleRate(bus.clockHz) : undefined);
  const render = () => renderSpi(renderItems(records, sc), { mode: bus.mode, source: sc.name, ...(rate ? { samplePeriodNs: 1e9 / rate } : {}) });
  switch (kind) {
    case 'ndjson':
      return `${await writeNdjson(records, path, opts.force)} transaction-stream records`;
    case 'pcapng': {
      const c = await writeRecordsToPcapng(decodeLink(records, createLinkStage('buddy')), path, { force: opts.force });
      return `${c.packets} packets`;
    }
    case 'vcd': {
      const { info, batches } = render();
      // A timescale of one sample keeps sigrok-cli from expanding the file at 1 GHz.
      const step = rate ? 1e9 / rate : 1;
      const timescale = step === 1 || step === 10 || step === 100 ? `${step} ns` : '1 ns';
      return `${await writeVcd(info, batches, path, { force: opts.force, timescale })} changes${rate ? ` at ${rate / 1e6} MHz` : ''}`;
    }
    case 'csv': {
      const { info, batches } = render();
      return `${await writeSaleaeCsv(info, batches, path, { force: opts.force })} changes${rate ? ` at ${rate / 1e6} MHz` : ''}`;
    }
    case 'sr': {
      const { info, batches } = render();
      return `${await writeSigrokSr(info, batches, path, { samplerateHz: rate ?? defaultSampleRate(bus.clockHz), force: opts.force })} samples at ${(rate ?? 0) / 1e6} MHz`;
    }
    case 'analyzer.csv':
      return `${await writeSaleaeAnalyzer(transactions(records), path, { force: opts.force })} rows`;
  }
}
