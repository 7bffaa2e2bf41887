/**
 * The buddyshark command line. One module per command under ./commands; this file only wires them
 * and owns the error policy: user errors and bad input are one line on stderr with a non-zero exit,
 * never a stack trace; an unexpected bug still prints its stack, so it can be reported.
 */
import { readFileSync } from 'node:fs';
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { commands } from './commands/index.ts';
import { exitCodeFor, messageFor } from './errors.ts';
import { printError } from './output.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  // `buddyshark decode x | head` closes the pipe early: that is not an error worth a trace.
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

const cli = yargs(hideBin(process.argv))
  .scriptName('buddyshark')
  .usage('$0 <command> [options]\n\nProtocol, simulator and sniffer for the MnemOS WiFi Buddy SPI link.')
  .version(pkg.version)
  .strict()
  .demandCommand(1, 'Name a command: see --help.')
  .recommendCommands()
  .wrap(Math.min(100, process.stdout.columns ?? 100))
  .fail((msg, err) => {
    if (err) throw err;
    // yargs spreads some messages (invalid choices) over lines: one line, like every other error.
    printError(`${msg.replace(/:?\s*\n\s*/g, ': ')} (see --help)`);
    process.exit(2);
  });

for (const c of commands) cli.command(c);

try {
  await cli.parseAsync();
} catch (err) {
  const message = messageFor(err);
  if (message === null) throw err;
  printError(message);
  process.exitCode = exitCodeFor(err);
}
