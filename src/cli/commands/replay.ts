/**
 * `buddyshark replay <capture...> [--against buddy|cpu|both] [--level bytes|frames|messages]`:
 * replays captures into the simulator and reports where the simulated end stops answering the way
 * the captured one did (src/replay). Exit 0 when every replay matched, 1 on a divergence, 2 on bad
 * input (a capture cut short is replayed as far as it goes, then reported). `--json` prints one JSON line per replay; `--junit FILE` writes JUnit XML for CI.
 */
import { basename } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { SourceError } from '../../sources/errors.ts';
import { COMPARE_LEVELS, type CompareLevel } from '../../replay/compare.ts';
import type { ReplaySide } from '../../replay/engine.ts';
import { ReplayInputError } from '../../replay/errors.ts';
import { writeJunit } from '../../replay/junit.ts';
import { reportText } from '../../replay/report-text.ts';
import { prepareCapture, replayCapture, type ReplayOutcome } from '../../replay/run.ts';
import { formatDuration } from '../../records/summary.ts';
import { checkOptions, OPTION } from '../option-schema.ts';
import { paint, useColour, UserError, writeJsonLine } from '../output.ts';
import { Progress } from '../progress.ts';

interface ReplayArgs {
  captures: string[];
  against: 'buddy' | 'cpu' | 'both';
  level: CompareLevel;
  ignore: string[];
  speed: string;
  world?: string;
  json: boolean;
  junit?: string;
  show?: number;
}

export const replayCommand: CommandModule<object, ReplayArgs> = {
  command: 'replay <captures..>',
  describe: 'Replay captures into the simulator and report where it diverges (regression check)',
  builder: (y: Argv) =>
    y
      .positional('captures', { type: 'string', array: true, demandOption: true, describe: 'captures to replay (pcapng, pcapng.gz, NDJSON, logic exports)' })
      .option('against', { choices: ['buddy', 'cpu', 'both'] as const, default: 'both' as const, describe: 'the simulated end: buddy (the captured CPU drives it), cpu (the captured buddy drives the driver), or both' })
      .option('level', { choices: COMPARE_LEVELS, default: 'frames' as CompareLevel, describe: 'compare exact bytes, decoded frames, or reassembled messages' })
      .option('ignore', { type: 'string', array: true, default: [] as string[], coerce: (v: string[]) => v.flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean), describe: 'fields that may differ: header fields (seq, ack, credit, epoch, flags) and message fields (rssi, uptime_ms, id, ...)' })
      .option('speed', { type: 'string', default: 'max', describe: 'pace against the wall clock: 1 = as captured, 2 = twice as fast, max = as fast as possible' })
      .option('world', { type: 'string', describe: 'world or scenario file to replay in, or "derive" (default: <capture>.world.json if present, else derived from the capture)' })
      .option('json', { type: 'boolean', default: false, describe: 'one JSON line per replay instead of the report' })
      .option('junit', { type: 'string', describe: 'also write a JUnit XML report to this file' })
      .option('show', { type: 'number', describe: 'list at most this many divergences after the first (default: every one)' })
      .example('$0 replay captures/golden/*.pcapng.gz', 'the regression check CI runs')
      .example('$0 replay jig.pcapng --against buddy --level messages --ignore rssi,uptime_ms', 'a hardware capture, tolerant of what varies') as unknown as Argv<ReplayArgs>,
  handler: async (args) => {
    const checked = checkOptions(args, {
      captures: OPTION.texts(), against: OPTION.choice(['buddy', 'cpu', 'both']), level: OPTION.choice(COMPARE_LEVELS),
      ignore: OPTION.texts(), speed: OPTION.speed, world: OPTION.text(true).optional(), junit: OPTION.text(true).optional(),
      show: OPTION.wholeAtLeast(0, 'divergences').optional(),
    }, ['captures']);
    // yargs drops a lone "-" from a variadic positional: standard input would arrive here as nothing.
    if (!args.captures.length) throw new UserError('replay needs capture files (standard input cannot be replayed: it is read twice)', 2);
    // The replay engine takes null for as fast as possible.
    const speed = Number.isFinite(checked.speed) ? checked.speed : null;
    const sides: ReplaySide[] = args.against === 'both' ? ['buddy', 'cpu'] : [args.against];
    const colour = useColour();
    const outcomes: ReplayOutcome[] = [];
    for (const capture of args.captures) {
      const prepared = await prepareCapture(capture);
      let factsCounted = false;
      for (const against of sides) {
        let o: ReplayOutcome;
        try {
          // Pass 1 is shared: its time counts once, in the first end replayed.
          const progress = new Progress(`replay ${basename(capture)} against the ${against}`);
          try {
            o = await replayCapture(factsCounted ? { ...prepared, factsMs: 0 } : prepared, {
              against, level: args.level, ignore: args.ignore, speed, keep: args.show === undefined ? Infinity : Math.max(1, args.show + 1),
              ...(args.world ? { world: args.world } : {}),
              onProgress: (ns, total) => progress.fraction(ns, total, `${formatDuration(ns)} of ${formatDuration(total)} replayed`),
            });
          } finally {
            progress.done();
          }
        } catch (err) {
          // Asked for both ends of a capture that can only drive one: say so and replay that one.
          if (args.against === 'both' && err instanceof ReplayInputError && err.code === 'no-lines') {
            process.stderr.write(`${paint('yellow', `skipped: ${err.message}`, useColour(process.stderr))}\n`);
            continue;
          }
          throw err;
        }
        factsCounted = true;
        outcomes.push(o);
        if (args.json) writeJsonLine(o);
        else process.stdout.write(`${reportText(o, (style, text) => paint(style, text, colour), args.show ?? Infinity).join('\n')}\n`);
      }
    }
    if (args.junit) writeJunit(outcomes, args.junit);
    const failed = outcomes.filter((o) => !o.matched).length;
    if (!args.json && outcomes.length > 1) process.stdout.write(`${paint(failed ? 'red' : 'green', `${outcomes.length - failed}/${outcomes.length} replays matched`, colour)}\n`);
    if (failed) process.exitCode = 1;
    // A cut capture was replayed as far as it goes; it is still bad input, said last on one line.
    const cut = outcomes.find((o) => o.truncatedAt !== undefined);
    if (cut) throw new SourceError(args.captures.find((c) => basename(c) === cut.capture) ?? cut.capture, `byte ${cut.truncatedAt}`, 'the file ends inside a block (cut short); everything before it was replayed');
  },
};
