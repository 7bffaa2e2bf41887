#!/usr/bin/env node
/**
 * Runs `buddyshark view` without the command index (for trying the viewer in a terminal before the
 * command is registered): node --import tsx test/tui/launch.ts view <file>
 */
import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';
import { viewCommand } from '../../src/cli/commands/view.ts';
import { messageFor } from '../../src/cli/errors.ts';
import { printError } from '../../src/cli/output.ts';

try {
  await yargs(hideBin(process.argv)).scriptName('buddyshark').command(viewCommand).demandCommand(1).strict().fail(false).parseAsync();
} catch (err) {
  const message = messageFor(err);
  if (message === null) throw err;
  printError(message);
  process.exitCode = 2;
}
