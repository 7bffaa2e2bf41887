/**
 * `buddyshark simulate <scenario> [-o FILE ...]`: runs both ends of the link in virtual time and
 * writes what is asked for, the format taken from each file's extension (see sim-outputs.ts).
 * Prints the run's report: step outcomes, counts, goodput per direction and protocol overhead.
 * Exit code 0 when the scenario's expectations hold, 1 when they do not.
 *
 * `--serve tcp://127.0.0.1:7878 [--speed X|max] [--loop] [--listen]` makes the simulator a bridge
 * (src/sim/serve/): the run is paced against the wall clock and streamed to TCP clients. The
 * address it listens on is printed first (one line on stderr, or a JSON line on stdout with --json);
 * Ctrl-C or SIGTERM stops it cleanly.
 */
import type { Argv, CommandModule } from 'yargs';
import { drainScenario, runScenario, type SimReport } from '../../sim/index.ts';
import { paint, useColour, writeJsonLine } from '../output.ts';
import { openScenario } from '../../pipeline/scenario-path.ts';
import { outputKind, scenarioBus, writeSimOutput } from '../sim-outputs.ts';
import { formatDuration } from '../../records/summary.ts';
import { checkOptions, MAX_SAMPLE_RATE_HZ, OPTION } from '../option-schema.ts';
import { UserError } from '../output.ts';
import { parseServeAddress, type ServeAddress } from '../../sim/serve/address.ts';
import { serveScenario } from '../../sim/serve/server.ts';
import type { Scenario } from '../../sim/index.ts';

interface SimulateArgs {
  scenario: string;
  output: string[];
  rate?: number;
  seed?: number;
  force: boolean;
  json: boolean;
  serve?: string;
  speed: string;
  loop: boolean;
  listen: boolean;
  wait: boolean;
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
      .option('serve', { type: 'string', describe: 'act as a bridge: stream the run to TCP clients on tcp://HOST:PORT, HOST:PORT or PORT (loopback; port 0 picks a free one)' })
      .option('speed', { type: 'string', default: '1', describe: 'with --serve: X times real time, or "max" for as fast as possible' })
      .option('loop', { type: 'boolean', default: false, describe: 'with --serve: restart the scenario when it ends (clients see a bridge reset)' })
      .option('listen', { type: 'boolean', default: false, describe: 'with --serve: allow a non-loopback address (serve other machines)' })
      .option('wait', { type: 'boolean', default: true, describe: 'with --serve: start the run when the first client connects (--no-wait: at once)' })
      .example('$0 simulate demo -o demo.pcapng -o demo.sr', 'a pcapng and a sigrok session of the happy path')
      .example('$0 simulate flood --serve tcp://127.0.0.1:7878 --speed 2', 'a bridge for capture --live tcp://127.0.0.1:7878') as unknown as Argv<SimulateArgs>,
  handler: async (args) => {
    const { speed } = checkOptions(args, {
      scenario: OPTION.text(true), output: OPTION.texts(), rate: OPTION.wholeIn(1, MAX_SAMPLE_RATE_HZ, 'Hz').optional(),
      seed: OPTION.wholeIn(0, 0xffffffff).optional(), serve: OPTION.text(true).optional(), speed: OPTION.speed,
    }, ['scenario']);
    const addr = args.serve === undefined ? null : parseServeAddress(args.serve, args.listen);
    if (typeof addr === 'string') throw new UserError(`--serve ${addr}`);
    const sc = openScenario(args.scenario, args.seed);
    // The signal renderer draws each clock phase with at least two samples.
    const { clockHz } = scenarioBus(sc);
    if (args.rate !== undefined && args.rate < 4 * clockHz) {
      throw new UserError(`--rate must be at least 4x the scenario's bus clock of ${clockHz} Hz, ${4 * clockHz} Hz (got ${args.rate})`);
    }
    if (addr) return serve(sc, addr, speed, args);
    for (const flag of ['loop', 'listen'] as const) if (args[flag]) throw new UserError(`--${flag} needs --serve`);
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

async function serve(sc: Scenario, addr: ServeAddress, speed: number, args: SimulateArgs): Promise<void> {
  if (args.output.length > 0) throw new UserError('--serve streams the run to clients: it cannot be combined with --output');
  const colour = useColour(process.stderr);
  let server;
  try {
    server = await serveScenario(sc, { ...addr, speed, loop: args.loop, waitForClient: args.wait });
  } catch (e) {
    throw new UserError(`--serve ${args.serve}: cannot listen: ${(e as Error).message}`);
  }
  const pace = Number.isFinite(speed) ? `${speed}x real time` : 'as fast as possible';
  if (args.json) writeJsonLine({ event: 'listening', url: server.url, host: server.host, port: server.port, scenario: sc.name, speed: Number.isFinite(speed) ? speed : 'max' });
  else process.stderr.write(`${paint('bold', `serving scenario ${sc.name} on ${server.url}`, colour)} (${pace}${args.loop ? ', looping' : ''}${args.wait ? ', starts when a client connects' : ''})\n`);
  const stop = (): void => server.stop();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let result;
  try {
    result = await server.done;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
  const summary = { runs: result.runs, records: result.records, clients: result.clients, dropped: result.dropped, stopped: result.stopped };
  if (args.json) {
    writeJsonLine(result.report ? { ...result.report, serve: summary } : { event: 'stopped', serve: summary });
  } else {
    const lines = result.report && !result.stopped ? reportLines(result.report, useColour()) : [];
    lines.push(`  served ${result.records} records in ${result.runs} complete run(s) to ${result.clients} client(s); ${result.dropped} events dropped for slow clients${result.stopped ? '; stopped' : ''}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (result.report && !result.stopped && !result.report.passed) process.exitCode = 1;
}
