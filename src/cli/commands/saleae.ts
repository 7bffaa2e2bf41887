/**
 * `buddyshark saleae install`: assembles the Logic 2 High Level Analyzer (saleae/buddylink, with
 * the Python core it shares with the sigrok decoder) into one folder that Logic 2's "Load Existing
 * Extension..." loads whole; says where, and which extension.json to pick.
 */
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { earlierInstall, installOptions, installTree, userDataDir, type InstallArgs } from '../install-tree.ts';
import { paint, useColour, writeJsonLine } from '../output.ts';
import { ROOT } from '../../paths.ts';

export const EXTENSION_SOURCE = join(ROOT, 'saleae', 'buddylink');
export const CORE_SOURCE = join(ROOT, 'sigrok', 'buddylink', 'buddylink_core');

export function defaultExtensionParent(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  return join(userDataDir(env, platform), 'buddyshark', 'saleae');
}

const isExtension = earlierInstall('extension.json', 'buddylink_hla.BuddyLink');

const install: CommandModule<object, InstallArgs> = {
  command: 'install',
  describe: 'Install the buddy link High Level Analyzer for Saleae Logic 2',
  builder: (y: Argv) => installOptions(y, 'folder to put the extension in (default: ~/.local/share/buddyshark/saleae)'),
  handler: (args) => {
    const parent = resolve(args.dir ?? defaultExtensionParent());
    const done = installTree(join(parent, 'buddylink'), [{ from: EXTENSION_SOURCE, to: '.' }, { from: CORE_SOURCE, to: 'buddylink_core' }], isExtension, 'the buddylink extension');
    const manifest = join(done.path, 'extension.json');
    if (args.json) {
      writeJsonLine({ installed: done.path, extension: manifest, replaced: done.replaced, files: done.files });
      return;
    }
    const colour = useColour();
    const lines = [
      `${paint('green', 'installed', colour)} ${done.path}${done.replaced ? ' (replaced an older version; in Logic 2 use Reload Extension)' : ''}`,
      'In Logic 2: Extensions panel, the three-dots menu, "Load Existing Extension...", and choose',
      `  ${manifest}`,
      'Then add the SPI analyzer (MOSI, MISO, Clock and Enable set) and the "Buddy link" analyzer on it.',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};

export const saleaeCommand: CommandModule = {
  command: 'saleae <command>',
  describe: 'Saleae Logic 2: install the buddy link High Level Analyzer',
  builder: (y: Argv) => y.command(install).demandCommand(1),
  handler: () => undefined,
};
