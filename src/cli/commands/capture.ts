/**
 * `buddyshark capture <input> -w out.pcapng`: any capture buddyshark reads to pcapng, with progress
 * and a summary. The file is written block by block as records arrive, so an interrupted or failed
 * run leaves a valid file holding everything decoded before the fault.
 * `buddyshark capture --live <source> -w out.pcapng` captures a live bridge instead (src/cli/live/):
 * status line, Ctrl-C/SIGTERM, --duration, --count and a ring of files (--ring N --size MB).
 */
import type { Argv, CommandModule } from 'yargs';
import { createRecordPcapng, writeRecordsToPcapng } from '../../pcapng/sink.ts';
import { captureLive } from '../live/capture-live.ts';
import { failIfTruncated, INPUT_RULES, inputOptions, openInput, type InputArgs } from '../input-options.ts';
import { checkOptions, OPTION } from '../option-schema.ts';
import { paint, UserError, useColour, writeJsonLine } from '../output.ts';
import { Progress } from '../progress.ts';
import { addToSummary, summaryLines } from '../../records/summary.ts';
import { tap } from '../tap.ts';

interface CaptureArgs extends InputArgs {
  input?: string;
  live?: string;
  duration?: number;
  count?: number;
  ring?: number;
  size?: number;
  baud?: number;
  write: string;
  raw: boolean;
  force: boolean;
  json: boolean;
}

export const captureCommand: CommandModule<object, CaptureArgs> = {
  command: 'capture [input]',
  describe: 'Decode a capture, or capture a live bridge (--live), and write it as pcapng for Wireshark',
  builder: (y: Argv) =>
    inputOptions(y)
      .positional('input', { type: 'string', describe: 'capture file, or - for standard input (or use --live)' })
      .option('write', { alias: 'w', type: 'string', demandOption: true, describe: 'output pcapng file (with --ring: the base name of the ring files)' })
      .option('live', { type: 'string', nargs: 1, describe: 'capture a live source: tcp://host:port (a bridge), serial:/dev/ttyX[@baud], or - (a bridge stream on standard input)' })
      .option('duration', { type: 'number', describe: 'with --live: stop after this many seconds' })
      .option('count', { alias: 'c', type: 'number', describe: 'with --live: stop after this many packets are written (pcapng packets, as dumpcap -c counts; with --no-raw, transactions and line events do not count)' })
      .option('ring', { type: 'number', describe: 'with --live and --size: keep a ring of the newest N files, named like dumpcap\'s (out_00001_20261124131500.pcapng), each a complete pcapng' })
      .option('size', { type: 'number', describe: 'with --ring: start the next file once one reaches this many megabytes (1 MB = 1,000,000 bytes; decimals allowed)' })
      .option('baud', { type: 'number', describe: 'with --live serial:...: baud rate (default 921600; also serial:/dev/ttyX@baud)' })
      .option('raw', { type: 'boolean', default: true, describe: 'include raw SPI transactions and line events (--no-raw for a lean file)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite the output file if it exists' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .example('$0 capture jig.sr -w jig.pcapng', 'logic-analyzer session to Wireshark')
      .example('$0 capture --live tcp://127.0.0.1:7878 -w jig.pcapng', 'capture a bridge until Ctrl-C')
      .example('$0 capture --live serial:/dev/ttyACM0 -w jig.pcapng --ring 10 --size 100', 'keep the newest 10 files of 100 MB')
      .epilog('With --live, a status line (rates, counts, anomalies, gaps) is redrawn in place on stderr when it is a terminal; '
        + 'when stderr is not a terminal, it is printed as a plain line every 10 seconds and at each disconnect and reconnect. '
        + 'Ctrl-C or SIGTERM ends the capture with a valid file and the summary (a second Ctrl-C exits at once). '
        + 'A dropped connection is retried with backoff and the gap recorded as a capture-gap anomaly.') as unknown as Argv<CaptureArgs>,
  handler: async (args) => {
    // The live-only options (--duration, --count, --ring, --size, --baud) are checked by captureLive.
    checkOptions(args, { ...INPUT_RULES, input: OPTION.text(true).optional(), live: OPTION.text(true).optional(), write: OPTION.text(true) }, ['input']);
    if (args.live !== undefined) {
      if (args.input !== undefined) throw new UserError(`give a capture file or --live, not both (got "${args.input}" and --live ${args.live})`);
      await captureLive({ ...args, live: args.live });
      return;
    }
    for (const o of ['duration', 'count', 'ring', 'size', 'baud'] as const) {
      if (args[o] !== undefined) throw new UserError(`--${o} only applies to a live capture (--live)`);
    }
    if (args.input === undefined) throw new UserError('name a capture file to convert, or a live source with --live');
    const input = args.input;
    const sinkOpts = { raw: args.raw, force: args.force };
    // Standard input may take a while to deliver (and be recognised from) its first bytes: the
    // output is a valid pcapng from the start. A file is opened first, so a bad one leaves none.
    const early = input === '-' ? await createRecordPcapng(args.write, sinkOpts) : null;
    let opened;
    let sum;
    try {
      ({ opened, sum } = await openInput(input, args));
    } catch (e) {
      await early?.close();
      throw e;
    }
    const progress = new Progress(`${input} -> ${args.write}`, input);
    let counts;
    try {
      const records = tap(opened.records, (b) => {
        addToSummary(sum, b);
        progress.update(sum.records, sum.lastNs ?? 0);
      });
      counts = early ? await early.drain(records) : await writeRecordsToPcapng(records, args.write, sinkOpts);
    } finally {
      progress.done();
    }
    if (args.json) {
      writeJsonLine({ ...sum, output: args.write, packets: counts.packets, skipped: counts.skipped, byInterface: counts.byInterface });
      failIfTruncated(input, opened);
      return;
    }
    const colour = useColour();
    const lines = summaryLines(sum);
    lines.push(`  wrote ${counts.packets} packets to ${args.write} (${Object.entries(counts.byInterface).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})${counts.skipped ? `, ${counts.skipped} raw records left out` : ''}`);
    process.stdout.write(`${lines.map((l, i) => (i === 0 ? paint('bold', l, colour) : l)).join('\n')}\n`);
    failIfTruncated(input, opened);
  },
};
