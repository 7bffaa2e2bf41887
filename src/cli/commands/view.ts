/**
 * `buddyshark view <file>`: the interactive timeline (src/tui/) over any capture buddyshark reads.
 * Needs a terminal on stdin and stdout; when piped (CI, scripts) it says so on stderr and prints
 * the plain summary, as `decode` does at its end, exiting 0 instead of waiting for keys.
 *
 * `buddyshark view --live <source>` follows a live source (tcp://host:port, serial:/dev/ttyX[@baud],
 * or - for a bridge stream on standard input) through the link stage: follow mode on (f toggles),
 * at most --window records kept (older ones dropped, the header says how many), s saves the
 * window to buddyshark-live-<time>.pcapng in the current directory.
 */
import fs from 'node:fs';
import tty from 'node:tty';
import type { Argv, CommandModule } from 'yargs';
import { decodeLink } from '../../link/stream.ts';
import { createLinkStage } from '../../link/select.ts';
import { DEFAULT_WINDOW, LiveView } from '../../tui/live.ts';
import { INPUT_RULES, inputOptions, liveInputOptions, openInput, protocolChoice, type InputArgs } from '../input-options.ts';
import { checkOptions, MAX_BAUD, OPTION } from '../option-schema.ts';
import { printError, UserError, withNotesHeld } from '../output.ts';
import { addToSummary, newSummary, summaryLines } from '../../records/summary.ts';

interface ViewArgs extends InputArgs {
  input?: string;
  live?: string;
  window: number;
  baud?: number;
}

export const viewCommand: CommandModule<object, ViewArgs> = {
  command: 'view [input]',
  describe: 'Browse a capture, or follow a live bridge (--live), in an interactive timeline (record list, strip, detail pane, filters)',
  builder: (y: Argv) =>
    inputOptions(y)
      .positional('input', { type: 'string', describe: 'capture file (pcapng, NDJSON, logic-analyzer export), or use --live' })
      .option('live', { type: 'string', nargs: 1, describe: 'follow a live source: tcp://host:port (a bridge), serial:/dev/ttyX[@baud], or - (a bridge stream on standard input)' })
      .option('window', { type: 'number', default: DEFAULT_WINDOW, describe: 'with --live: keep at most this many records (older ones are dropped; the header says how many)' })
      .option('baud', { type: 'number', describe: 'with --live serial:...: baud rate (default 921600)' })
      .epilog('Keys: ↑↓ j k move, PgUp/PgDn, g/G ends, Enter detail, Tab pane, / filter (ctl eth trace ble ! 100ms..2s text), '
        + '? find, n/N next/previous match, r request↔reply, +/- zoom, a show idle frames and transactions, f follow, q quit. '
        + 'In the detail pane (Tab): ↑↓ move the hex field cursor, PgUp/PgDn scroll the tree. '
        + 'With --live: follow is on at the start, and s saves the records in the window to buddyshark-live-<YYYYMMDDHHMMSS>.pcapng in the current directory.')
      .example('$0 view capture.pcapng', 'browse a capture')
      .example('$0 view --live tcp://127.0.0.1:7878', 'follow a bridge') as unknown as Argv<ViewArgs>,
  handler: async (args) => {
    checkOptions(args, {
      ...INPUT_RULES, input: OPTION.text(true).optional(), live: OPTION.text(true).optional(),
      window: OPTION.wholeAtLeast(1, 'records'), baud: OPTION.wholeIn(1, MAX_BAUD, 'baud').optional(),
    }, ['input']);
    if (args.live !== undefined) {
      if (args.input !== undefined) throw new UserError(`give a capture file or --live, not both (got "${args.input}" and --live ${args.live})`);
      await viewLive(args.live, args);
      return;
    }
    if (args.input === undefined) throw new UserError('name a capture file to view, or a live source with --live');
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
    const index = await withNotesHeld(() => runViewer(opened.records, sum));
    if (index.error) printError(index.error);
  },
};

async function viewLive(spec: string, args: ViewArgs): Promise<void> {
  if (!process.stdout.isTTY) throw new UserError('view --live needs a terminal (standard output is not a terminal); use capture --live to record the stream');
  // With the stream on standard input (or stdin not a terminal), keys come from the terminal itself.
  let keys: tty.ReadStream | undefined;
  if (spec === '-' || !process.stdin.isTTY) {
    try {
      keys = new tty.ReadStream(fs.openSync('/dev/tty', 'r'));
    } catch {
      throw new UserError('view --live needs a terminal to read keys from (standard input is not one and /dev/tty cannot be opened)');
    }
  }
  process.env.NODE_ENV ??= 'production';
  const [{ openLiveSource }, { runViewer }] = await Promise.all([import('../../sources/live/open.ts'), import('../../tui/run.tsx')]);
  const live = new LiveView(args.window);
  const source = await openLiveSource(spec, {
    ...liveInputOptions(spec === '-' ? '<stdin>' : spec, args),
    reconnect: true,
    ...(args.baud !== undefined ? { baud: args.baud } : {}),
    onStatus: (st) => live.setState(st.state, st.detail),
  });
  let index;
  try {
    index = await withNotesHeld(() => runViewer(decodeLink(source.records, createLinkStage(protocolChoice(args))), newSummary(source.name, 'live'), { live, onQuit: () => source.stop(), ...(keys ? { stdin: keys } : {}) }));
  } finally {
    source.stop();
    keys?.destroy();
  }
  if (index.error) printError(index.error);
}
