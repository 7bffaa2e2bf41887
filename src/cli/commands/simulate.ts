/**
 * `buddyshark simulate <scenario> [-o FILE ...]`: runs both ends of the link in virtual time and
 * writes what is asked for, the format taken from each file's extension (see sim-outputs.ts).
 * Prints the run's report: step outcomes, counts, goodput per direction and protocol overhead.
 * Exit code 0 when the scenario's expectations hold, 1 when they do not.
 */
import type { Argv, CommandModule } from 'yargs';
import { drainScenario, runScenario, type SimReport } from '../../sim/index.ts';
import { paint, useColour, writeJsonLine } from '../output.ts';
import { openScenario } from '../scenario-path.ts';
import { outputKind, writeSimOutput } from '../sim-outputs.ts';
import { formatDuration } from '../record-summary.ts';

interface SimulateArgs {
  scenario: string;
  output: string[];
  rate?: number;
  seed?: number;
  force: boolean;
  json: boolean;
}

function mbit(bytesPerSec: number): string {
  return `${((bytesPerSec * 8) / 1e6).toFixed(2)} Mbit/s`;
}

export function reportLines(r: SimReport, colour: boolean): string[] {
  const d = r.durationNs / 1e9;
  const t = r.throughput;
  const lines = [
    paint('bold', `scenario ${r.scenario} (seed ${r.seed}): ${r.passed ? paint('green', 'passed', colour) : paint('red', 'FAILED', colour)}`, colour),
    `  ${formatDuration(r.durationNs)} of virtual time, ${r.records} records, boot epochs ${r.epochs.join(', ') || 'none'}`,
  ];
  for (const s of r.steps) {
    const mark = s.ok ? paint('green', 'ok  ', colour) : paint('yellow', 'fail', colour);
    lines.push(`  ${mark} ${String(s.index).padStart(2)} ${s.label ?? s.do}${s.code ? ` (${s.code})` : ''}: ${s.detail}`);
  }
  for (const f of r.failures) lines.push(paint('red', `  expectation failed: ${f}`, colour));
  lines.push(
    `  payload: CPU->buddy ${t.payloadBytes.cpuToBuddy} B (${mbit(t.payloadBytes.cpuToBuddy / (d || 1))} average), buddy->CPU ${t.payloadBytes.buddyToCpu} B (${mbit(t.payloadBytes.buddyToCpu / (d || 1))} average)`,
    `  bus: ${t.busBytes} B clocked, ${t.overhead.toFixed(3)} bus bytes per payload byte`,
  );
  for (const f of t.floods) {
    lines.push(`  flood ${f.direction}: ${f.delivered}/${f.frames} frames of ${f.size} B, goodput ${mbit(f.goodputBytesPerSec)} vs computed ${mbit(f.computedBytesPerSec)} (${(f.ratio * 100).toFixed(1)} %)`);
  }
  return lines;
}

export const simulateCommand: CommandModule<object, SimulateArgs> = {
  command: 'simulate <scenario>',
  describe: 'Run a scenario on the simulated CPU, bus and buddy; write captures of it',
  builder: (y: Argv) =>
    y
      .positional('scenario', { type: 'string', demandOption: true, describe: 'scenario file, or the name of a shipped one (demo, flood, ...)' })
      .option('output', { alias: 'o', type: 'string', array: true, default: [], describe: 'output file: .ndjson (transactions), .pcapng, .vcd, .csv (Saleae), .sr (sigrok), .analyzer.csv (Saleae SPI table)' })
      .option('rate', { type: 'number', describe: 'sample rate in Hz for .vcd/.csv/.sr (default: exact times; .sr: 100 MHz or 4x the bus clock)' })
      .option('seed', { type: 'number', describe: 'override the scenario\'s seed' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite existing output files' })
      .option('json', { type: 'boolean', default: false, describe: 'print the report as JSON' })
      .example('$0 simulate demo -o demo.pcapng -o demo.sr', 'a pcapng and a sigrok session of the happy path') as unknown as Argv<SimulateArgs>,
  handler: async (args) => {
    const sc = openScenario(args.scenario, args.seed);
    for (const o of args.output) outputKind(o); // reject unknown extensions before any work
    const written: { file: string; wrote: string }[] = [];
    let report: SimReport | null = null;
    for (const file of args.output) {
      const run = runScenario(sc);
      const wrote = await writeSimOutput(file, run.records, sc, { force: args.force, ...(args.rate ? { rateHz: args.rate } : {}) });
      report = await run.done;
      written.push({ file, wrote });
    }
    report ??= (await drainScenario(sc)).report;
    if (args.json) writeJsonLine({ ...report, outputs: written });
    else {
      const colour = useColour();
      const lines = reportLines(report, colour);
      for (const w of written) lines.push(`  wrote ${w.file}: ${w.wrote}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    if (!report.passed) process.exitCode = 1;
  },
};
