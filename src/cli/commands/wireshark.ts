/**
 * `buddyshark wireshark install`: puts the Lua dissector where Wireshark looks for personal
 * plugins, and the extcap wrapper (src/extcap/install.ts) in its personal extcap folder, so the
 * "WiFi Buddy (buddyshark)" interface captures live; says where. `wireshark path` prints those
 * places without writing anything.
 */
import { copyFileSync, mkdirSync, readFileSync, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { installExtcapWrapper, personalExtcapDir, type ExtcapDir, type ExtcapInstall } from '../../extcap/install.ts';
import { checkOptions, OPTION } from '../option-schema.ts';
import { paint, useColour, writeJsonLine } from '../output.ts';
import { ROOT } from '../../paths.ts';
import { WIRESHARK_PLUGINS } from '../../link/registry.ts';

/** The Lua dissectors of every registered link protocol (src/link/registry.ts); the buddy link's first. */
export const PLUGIN_SOURCES: readonly string[] = WIRESHARK_PLUGINS.map((f) => join(ROOT, 'wireshark', f));
export const PLUGIN_SOURCE = PLUGIN_SOURCES[0];

/** Wireshark's personal plugin folder (Help > About > Folders > Personal Lua Plugins). */
export function personalPluginDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Wireshark', 'plugins');
  // Linux and macOS alike: Wireshark does not follow XDG_CONFIG_HOME for plugins.
  return join(env.HOME ?? homedir(), '.local', 'lib', 'wireshark', 'plugins');
}

interface InstallArgs {
  dir?: string;
  extcapDir?: string;
  extcap: boolean;
  json: boolean;
}

function extcapDir(given: string | undefined): ExtcapDir {
  return given !== undefined ? { dir: given, how: '--extcap-dir' } : personalExtcapDir();
}

const install: CommandModule<object, InstallArgs> = {
  command: 'install',
  describe: 'Install the buddyshark Lua dissector and the live-capture extcap into your Wireshark folders',
  builder: (y: Argv) =>
    y
      .option('dir', { type: 'string', describe: 'plugin folder (default: Wireshark\'s personal Lua plugin folder)' })
      .option('extcap-dir', { type: 'string', describe: 'extcap folder (default: the personal extcap folder `tshark -G folders` names)' })
      .option('extcap', { type: 'boolean', default: true, describe: 'also install the live-capture extcap (--no-extcap: the dissector only)' })
      .option('json', { type: 'boolean', default: false, describe: 'print what was installed as JSON' }) as unknown as Argv<InstallArgs>,
  handler: (args) => {
    checkOptions(args, { dir: OPTION.text(true).optional(), 'extcap-dir': OPTION.text(true).optional() });
    const dir = args.dir ?? personalPluginDir();
    mkdirSync(dir, { recursive: true });
    const plugins = PLUGIN_SOURCES.map((source) => {
      const path = join(dir, basename(source));
      const replaced = existsSync(path) && readFileSync(path, 'utf8') !== readFileSync(source, 'utf8');
      copyFileSync(source, path);
      return { path, replaced };
    });
    const { path: target, replaced } = plugins[0];
    let extcap: (ExtcapInstall & { how: string }) | null = null;
    if (args.extcap) {
      const where = extcapDir(args.extcapDir);
      extcap = { ...installExtcapWrapper(where.dir), how: where.how };
    }
    if (args.json) {
      writeJsonLine({ installed: target, replaced, plugins, extcap });
      return;
    }
    const colour = useColour();
    const lines = [
      ...plugins.map((p) => `${paint('green', 'installed', colour)} ${p.path}${p.replaced ? ' (replaced an older version)' : ''}`),
      'Restart Wireshark (or Analyze > Reload Lua Plugins) and open a buddyshark pcapng:',
      '  the buddy-link packets then show the frame header, CBOR messages and CRC checks;',
      '  filter with buddy.msg == "scan_result", buddy.channel == 1, buddy.crc_ok == 0, buddy.anomaly ...',
      '  esp-hosted packets show their header and control messages: esp_hosted.ctrl.msg == "Resp_GetMACAddress" ...',
    ];
    if (extcap) {
      lines.push(
        `${paint('green', 'installed', colour)} ${extcap.path}${extcap.replaced ? ' (replaced an older version)' : ''} (${extcap.how})`,
        'Wireshark then lists the interface "WiFi Buddy (buddyshark)": set its source (tcp://host:port or',
        '  serial:/dev/ttyACM0) with the gear icon and start it; or',
        '  tshark -i buddyshark -o extcap.buddyshark.source:tcp://127.0.0.1:7878 -w live.pcapng',
      );
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  },
};

const path: CommandModule<object, { json: boolean; extcap: boolean }> = {
  command: 'path',
  describe: 'Print where `install` puts the dissector (--extcap: the extcap wrapper)',
  builder: (y: Argv) =>
    y
      .option('extcap', { type: 'boolean', default: false, describe: 'print the extcap folder instead' })
      .option('json', { type: 'boolean', default: false, describe: 'both folders as JSON' }) as unknown as Argv<{ json: boolean; extcap: boolean }>,
  handler: (args) => {
    const dir = personalPluginDir();
    if (args.json) writeJsonLine({ pluginDir: dir, source: PLUGIN_SOURCE, extcapDir: personalExtcapDir().dir });
    else process.stdout.write(`${args.extcap ? personalExtcapDir().dir : dir}\n`);
  },
};

export const wiresharkCommand: CommandModule = {
  command: 'wireshark <command>',
  describe: 'Wireshark integration: install the Lua dissector and the live-capture extcap',
  builder: (y: Argv) => y.command(install).command(path).demandCommand(1),
  handler: () => undefined,
};
