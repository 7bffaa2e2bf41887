/**
 * `buddyshark sigrok install`: puts the buddy link protocol decoder (sigrok/buddylink, with the
 * Python core it shares with the Saleae analyzer) where libsigrokdecode looks for a user's
 * decoders, so PulseView and sigrok-cli can stack it on their SPI decoder; says where.
 */
import { join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { earlierInstall, installOptions, installTree, userDataDir, type InstallArgs } from '../install-tree.ts';
import { paint, useColour, writeJsonLine } from '../output.ts';
import { ROOT } from '../../paths.ts';

export const DECODER_SOURCE = join(ROOT, 'sigrok', 'buddylink');

/** libsigrokdecode's user decoder folder: $SIGROKDECODE_DIR when set, else under the user data folder. */
export function personalDecoderDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): { dir: string; how: string } {
  if (env.SIGROKDECODE_DIR) return { dir: env.SIGROKDECODE_DIR, how: '$SIGROKDECODE_DIR' };
  return { dir: join(userDataDir(env, platform), 'libsigrokdecode', 'decoders'), how: 'the user decoder folder' };
}

const isDecoder = earlierInstall('pd.py', "id = 'buddylink'");

const install: CommandModule<object, InstallArgs> = {
  command: 'install',
  describe: 'Install the buddy link protocol decoder for PulseView and sigrok-cli',
  builder: (y: Argv) => installOptions(y, 'decoder folder (default: $SIGROKDECODE_DIR, else ~/.local/share/libsigrokdecode/decoders)'),
  handler: (args) => {
    const where = args.dir !== undefined ? { dir: args.dir, how: '--dir' } : personalDecoderDir();
    const done = installTree(resolve(where.dir, 'buddylink'), [{ from: DECODER_SOURCE, to: '.' }], isDecoder, 'the buddylink decoder');
    // libsigrokdecode reads one extra folder from the environment; any other --dir needs it set.
    const searched = resolve(where.dir) === resolve(personalDecoderDir().dir);
    if (args.json) {
      writeJsonLine({ installed: done.path, replaced: done.replaced, files: done.files, how: where.how, searched });
      return;
    }
    const colour = useColour();
    const lines = [
      `${paint('green', 'installed', colour)} ${done.path}${done.replaced ? ' (replaced an older version)' : ''} (${where.how})`,
      ...(searched ? [] : [`libsigrokdecode does not look there by itself: set SIGROKDECODE_DIR=${resolve(where.dir)}`]),
      'In PulseView: add the SPI decoder (CLK, MOSI, MISO, CS#), then stack "Buddy link" on it. From a shell:',
      '  sigrok-cli -i capture.sr -P spi:clk=SCK:mosi=MOSI:miso=MISO:cs=CS,buddylink -A buddylink',
      '  sigrok-cli -i capture.sr -P spi:clk=SCK:mosi=MOSI:miso=MISO:cs=CS,buddylink -B buddylink=pcap > ethernet.pcap',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};

export const sigrokCommand: CommandModule = {
  command: 'sigrok <command>',
  describe: 'PulseView and sigrok-cli: install the buddy link protocol decoder',
  builder: (y: Argv) => y.command(install).demandCommand(1),
  handler: () => undefined,
};
