/**
 * `buddyshark decode <file|->`: any capture to the record stream. A readable table on a TTY (or
 * when piped: plain text), `--json` for NDJSON; a summary at the end; progress on stderr.
 */
import type { Argv, CommandModule } from 'yargs';
import { columnOf, Describer, directionArrow, isIdle, laneOf } from '../../link/describe.ts';
import type { Lane } from '../../records/describe.ts';
import { recordToJson } from '../../records/json.ts';
import type { BuddyRecord } from '../../records/types.ts';
import { RawView } from '../../records/raw-view.ts';
import { failIfTruncated, INPUT_RULES, inputOptions, openInput, type InputArgs } from '../input-options.ts';
import { checkOptions, OPTION } from '../option-schema.ts';
import { paint, useColour, writeJsonLine } from '../output.ts';
import { Progress } from '../progress.ts';
import { addToSummary, captureTime, newSummary, summaryLines } from '../../records/summary.ts';

interface DecodeArgs extends InputArgs {
  input: string;
  json: boolean;
  all: boolean;
  anomalies: boolean;
}

const LANE_STYLE: Record<Lane, Parameters<typeof paint>[0]> = {
  control: 'cyan', ethernet: 'green', trace: 'magenta', ble: 'blue', reserved: 'yellow', idle: 'gray', line: 'yellow', anomaly: 'red', txn: 'gray',
};
const LANE_LABEL: Record<Lane, string> = {
  control: 'CTRL', ethernet: 'ETH', trace: 'TRACE', ble: 'BLE', reserved: 'RSVD', idle: 'IDLE', line: 'LINE', anomaly: 'ANOM', txn: 'SPI',
};

/**
 * Transactions are shown when the link layer has nothing to say about them: the link stage did not
 * run (one data line, other word widths), or no buddy frame has been found (another device).
 */
function visible(r: BuddyRecord, args: DecodeArgs, rawView: RawView): boolean {
  const raw = rawView.shows(r);
  if (args.anomalies) return r.kind === 'anomaly';
  if (args.all) return true;
  if (r.kind === 'txn') return raw;
  return !isIdle(r);
}

export const decodeCommand: CommandModule<object, DecodeArgs> = {
  command: 'decode <input>',
  describe: 'Decode a capture (logic-analyzer export, pcapng, NDJSON, or - for stdin) into link records',
  builder: (y: Argv) =>
    inputOptions(y)
      .positional('input', { type: 'string', demandOption: true, describe: 'capture file, or - for standard input' })
      .option('json', { type: 'boolean', default: false, describe: 'NDJSON: one record per line, then a summary line' })
      .option('all', { type: 'boolean', default: false, describe: 'table: also show SPI transactions and idle frames' })
      .option('anomalies', { type: 'boolean', default: false, describe: 'show only anomalies' })
      .example('$0 decode capture.sr', 'decode a sigrok session')
      .example('sigrok-cli -d fx2lafw -c samplerate=24m -O vcd | $0 decode -', 'decode live from a logic analyzer') as unknown as Argv<DecodeArgs>,
  handler: async (args) => {
    checkOptions(args, { ...INPUT_RULES, input: OPTION.text(true) }, ['input']);
    const colour = useColour();
    const progress = new Progress(args.input, args.input);
    const { opened, sum } = await openInput(args.input, args, progress);
    const describer = new Describer();
    const rawView = new RawView(opened.linkSkipped !== undefined);
    const flushEvery = 256;
    let lines: string[] = [];
    try {
      for await (const batch of opened.records) {
        addToSummary(sum, batch);
        progress.update(sum.records, sum.lastNs ?? 0);
        for (const r of batch) {
          describer.observe(r);
          if (args.json) {
            if (!args.anomalies || r.kind === 'anomaly') writeJsonLine(recordToJson(r));
            continue;
          }
          if (!visible(r, args, rawView)) continue;
          const lane = laneOf(r);
          const time = captureTime(r.startNs).padStart(15);
          const seq = columnOf(r).padStart(5);
          const text = `${time}  ${directionArrow(r)}  ${LANE_LABEL[lane].padEnd(5)} ${seq}  ${describer.summary(r)}`;
          lines.push(paint(LANE_STYLE[lane], text, colour));
          if (lines.length >= flushEvery) {
            process.stdout.write(`${lines.join('\n')}\n`);
            lines = [];
          }
        }
      }
    } finally {
      if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
      progress.done();
    }
    if (args.json) writeJsonLine({ kind: 'summary', ...sum });
    else process.stdout.write(`\n${summaryLines(sum).map((l, i) => (i === 0 ? paint('bold', l, colour) : l)).join('\n')}\n`);
    failIfTruncated(args.input, opened);
  },
};
