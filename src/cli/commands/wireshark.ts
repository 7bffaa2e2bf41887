/**
 * `buddyshark wireshark install`: puts the Lua dissector where Wireshark looks for personal
 * plugins, and says where. `wireshark path` prints that place without writing anything.
 */
import { copyFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { paint, useColour, writeJsonLine } from '../output.ts';

export const PLUGIN_SOURCE = fileURLToPath(new URL('../../../wireshark/buddyshark.lua', import.meta.url));

/** Wireshark's personal plugin folder (Help > About > Folders > Personal Lua Plugins). */
export function personalPluginDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Wireshark', 'plugins');
  // Linux and macOS alike: Wireshark does not follow XDG_CONFIG_HOME for plugins.
  return join(env.HOME ?? homedir(), '.local', 'lib', 'wireshark', 'plugins');
}

interface InstallArgs {
  dir?: string;
  json: boolean;
}

const install: CommandModule<object, InstallArgs> = {
  command: 'install',
  describe: 'Install the buddyshark Lua dissector into your Wireshark plugin folder',
  builder: (y: Argv) =>
    y
      .option('dir', { type: 'string', describe: 'plugin folder (default: Wireshark\'s personal Lua plugin folder)' })
      .option('json', { type: 'boolean', default: false, describe: 'print what was installed as JSON' }) as unknown as Argv<InstallArgs>,
  handler: (args) => {
    const dir = args.dir ?? personalPluginDir();
    mkdirSync(dir, { recursive: true });
    const target = join(dir, 'buddyshark.lua');
    const replaced = existsSync(target) && readFileSync(target, 'utf8') !== readFileSync(PLUGIN_SOURCE, 'utf8');
    copyFileSync(PLUGIN_SOURCE, target);
    if (args.json) {
      writeJsonLine({ installed: target, replaced });
      return;
    }
    const colour = useColour();
    process.stdout.write(
      `${paint('green', 'installed', colour)} ${target}${replaced ? ' (replaced an older version)' : ''}\n` +
        'Restart Wireshark (or Analyze > Reload Lua Plugins) and open a buddyshark pcapng:\n' +
        '  the buddy-link packets then show the frame header, CBOR messages and CRC checks;\n' +
        '  filter with buddy.msg == "scan_result", buddy.channel == 1, buddy.crc_ok == 0, buddy.anomaly ...\n',
    );
  },
};

const path: CommandModule<object, { json: boolean }> = {
  command: 'path',
  describe: 'Print where `install` puts the dissector',
  builder: (y: Argv) => y.option('json', { type: 'boolean', default: false }) as unknown as Argv<{ json: boolean }>,
  handler: (args) => {
    const dir = personalPluginDir();
    if (args.json) writeJsonLine({ pluginDir: dir, source: PLUGIN_SOURCE });
    else process.stdout.write(`${dir}\n`);
  },
};

export const wiresharkCommand: CommandModule = {
  command: 'wireshark <command>',
  describe: 'Wireshark integration: install the Lua dissector',
  builder: (y: Argv) => y.command(install).command(path).demandCommand(1),
  handler: () => undefined,
};
