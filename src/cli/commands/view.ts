/**
 * `buddyshark view <file>`: the interactive timeline (src/tui/) over any capture buddyshark reads.
 * Needs a terminal on stdin and stdout; when piped (CI, scripts) it says so on stderr and prints
 * the plain summary, as `decode` does at its end, exiting 0 instead of waiting for keys.
 */
import type { Argv, CommandModule } from 'yargs';
import { inputOptions, openInput, type InputArgs } from '../input-options.ts';
import { printError } from '../output.ts';
import { addToSummary, summaryLines } from '../record-summary.ts';

interface ViewArgs extends InputArgs {
  input: string;
}

export const viewCommand: CommandModule<object, ViewArgs> = {
  command: 'view <input>',
  describe: 'Browse a capture in an interactive timeline (record list, strip, detail pane, filters)',
  builder: (y: Argv) =>
    inputOptions(y)
      .positional('input', { type: 'string', demandOption: true, describe: 'capture file (pcapng, NDJSON, logic-analyzer export)' })
      .epilog('Keys: ↑↓ j k move, PgUp/PgDn, g/G ends, Enter detail, Tab pane, / filter (ctl eth trace ble ! 100ms..2s text), '
        + '? find, n/N next/previous match, r request↔reply, +/- zoom, a show idle frames and transactions, f follow, q quit. '
        + 'In the detail pane (Tab): ↑↓ move the hex field cursor, PgUp/PgDn scroll the tree.')
      .example('$0 view capture.pcapng', 'browse a capture') as unknown as Argv<ViewArgs>,
  handler: async (args) => {
    const { opened, sum } = await openInput(args.input, args);
    const why = args.input === '-' ? 'standard input holds the capture' : !process.stdout.isTTY ? 'standard output is not a terminal' : !process.stdin.isTTY ? 'standard input is not a terminal' : null;
    if (why) {
      printError(`view needs a terminal (${why}); printing the summary instead`);
      for await (const batch of opened.records) addToSummary(sum, batch);
      process.stdout.write(`${summaryLines(sum).join('\n')}\n`);
      return;
    }
    // React's development build records every changed prop for its profiler, which costs seconds per
    // key on a large capture: load Ink and React (first used here) as their production builds.
    process.env.NODE_ENV ??= 'production';
    const { runViewer } = await import('../../tui/run.tsx');
    const index = await runViewer(opened.records, sum);
    if (index.error) printError(index.error);
  },
};
