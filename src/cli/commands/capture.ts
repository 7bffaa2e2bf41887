/**
 * `buddyshark capture <input> -w out.pcapng`: any capture buddyshark reads to pcapng, with progress
 * and a summary. The file is written block by block as records arrive, so an interrupted or failed
 * run leaves a valid file holding everything decoded before the fault.
 */
import type { Argv, CommandModule } from 'yargs';
import { writeRecordsToPcapng } from '../../pcapng/sink.ts';
import { failIfTruncated, inputOptions, openInput, type InputArgs } from '../input-options.ts';
import { paint, useColour, writeJsonLine } from '../output.ts';
import { Progress } from '../progress.ts';
import { addToSummary, summaryLines } from '../record-summary.ts';
import { tap } from '../tap.ts';

interface CaptureArgs extends InputArgs {
  input: string;
  write: string;
  raw: boolean;
  force: boolean;
  json: boolean;
}

export const captureCommand: CommandModule<object, CaptureArgs> = {
  command: 'capture <input>',
  describe: 'Decode a capture and write it as pcapng for Wireshark',
  builder: (y: Argv) =>
    inputOptions(y)
      .positional('input', { type: 'string', demandOption: true, describe: 'capture file, or - for standard input' })
      .option('write', { alias: 'w', type: 'string', demandOption: true, describe: 'output pcapng file' })
      .option('raw', { type: 'boolean', default: true, describe: 'include raw SPI transactions and line events (--no-raw for a lean file)' })
      .option('force', { type: 'boolean', default: false, describe: 'overwrite the output file if it exists' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' })
      .example('$0 capture jig.sr -w jig.pcapng', 'logic-analyzer session to Wireshark') as unknown as Argv<CaptureArgs>,
  handler: async (args) => {
    const progress = new Progress(`${args.input} -> ${args.write}`, args.input);
    const { opened, sum } = await openInput(args.input, args);
    let counts;
    try {
      counts = await writeRecordsToPcapng(
        tap(opened.records, (b) => {
          addToSummary(sum, b);
          progress.update(sum.records, sum.lastNs ?? 0);
        }),
        args.write,
        { raw: args.raw, force: args.force },
      );
    } finally {
      progress.done();
    }
    if (args.json) {
      writeJsonLine({ ...sum, output: args.write, packets: counts.packets, skipped: counts.skipped, byInterface: counts.byInterface });
      failIfTruncated(args.input, opened);
      return;
    }
    const colour = useColour();
    const lines = summaryLines(sum);
    lines.push(`  wrote ${counts.packets} packets to ${args.write} (${Object.entries(counts.byInterface).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(', ') || 'none'})${counts.skipped ? `, ${counts.skipped} raw records left out` : ''}`);
    process.stdout.write(`${lines.map((l, i) => (i === 0 ? paint('bold', l, colour) : l)).join('\n')}\n`);
    failIfTruncated(args.input, opened);
  },
};
