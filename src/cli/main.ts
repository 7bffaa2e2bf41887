/**
 * The buddyshark command line. One module per command under ./commands; this file only wires them
 * and owns the error policy: user errors and bad input are one line on stderr with a non-zero exit,
 * never a stack trace; an unexpected bug still prints its stack, so it can be reported.
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { loadCommands } from './commands/index.ts';
import { exitCodeFor, messageFor } from './errors.ts';
import { printError } from './output.ts';
import { VERSION } from '../paths.ts';

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // `buddyshark decode x | head` closes the pipe early: that is not an error worth a trace.
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

// yargs turns a lone "-" (standard input) into an empty string for string options and drops it from
// variadic ones: carry it through as a placeholder and put it back before any handler runs.
const STDIN_ARG = '\u0000stdin';
const args = hideBin(process.argv).map((a) => (a === '-' ? STDIN_ARG : a));
const restoreStdin = (v: unknown): unknown => (v === STDIN_ARG ? '-' : Array.isArray(v) ? v.map(restoreStdin) : v);

const cli = yargs(args)
  .scriptName('buddyshark')
  .usage('$0 <command> [options]\n\nProtocol, simulator and sniffer for the MnemOS WiFi Buddy SPI link.')
  .version(VERSION)
  .strict()
  .demandCommand(1, 'Name a command: see --help.')
  .recommendCommands()
  .wrap(Math.min(100, process.stdout.columns ?? 100))
  .middleware((argv) => {
    for (const k of Object.keys(argv)) argv[k] = restoreStdin(argv[k]);
  }, true)
  .fail((msg, err) => {
    if (err) throw err;
    // yargs spreads some messages (invalid choices) over lines: one line, like every other error.
    printError(`${msg.replace(/:?\s*\n\s*/g, ': ')} (see --help)`);
    process.exit(2);
  });

// The command is the first word that is not an option; only its module is loaded.
const named = args.find((a) => !a.startsWith('-'));
if (!(named === undefined && args.includes('--version'))) for (const c of await loadCommands(named)) cli.command(c);

try {
  await cli.parseAsync();
} catch (err) {
  const message = messageFor(err);
  if (message === null) throw err;
  printError(message);
  process.exitCode = exitCodeFor(err);
}
