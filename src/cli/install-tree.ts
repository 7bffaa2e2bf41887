/**
 * Installs a folder another tool loads as a whole (the sigrok protocol decoder, the Saleae Logic 2
 * extension), assembled from folders of this checkout: written fresh each time, so files an older
 * version had are not left behind, and only over a folder that an earlier install wrote (anything
 * else there is refused, never deleted). Python byte-code caches are not copied.
 *
 *   installTree('/home/me/.local/share/libsigrokdecode/decoders/buddylink',
 *     [{ from: `${ROOT}/sigrok/buddylink`, to: '.' }], (dir) => existsSync(join(dir, 'pd.py')))
 *   // { path: '.../decoders/buddylink', replaced: false, files: 14 }
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Argv } from 'yargs';
import { UserError } from './output.ts';

/**
 * The per-user data folder, as GLib's g_get_user_data_dir() finds it (libsigrokdecode looks for
 * user decoders under it): %LOCALAPPDATA% on Windows, else $XDG_DATA_HOME or ~/.local/share.
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (platform === 'win32') return env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local');
  return env.XDG_DATA_HOME || join(env.HOME ?? homedir(), '.local', 'share');
}

export interface TreePart {
  /** A folder of this checkout. */
  readonly from: string;
  /** Where its contents go, relative to the installed folder ('.' for the folder itself). */
  readonly to: string;
}

export interface InstalledTree {
  readonly path: string;
  /** An earlier install was there and has been replaced. */
  readonly replaced: boolean;
  readonly files: number;
}

function copyFolder(from: string, to: string): number {
  mkdirSync(to, { recursive: true });
  let files = 0;
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (entry.name === '__pycache__' || entry.name.endsWith('.pyc')) continue;
    if (entry.isDirectory()) files += copyFolder(join(from, entry.name), join(to, entry.name));
    else if (entry.isFile()) {
      copyFileSync(join(from, entry.name), join(to, entry.name));
      files++;
    }
  }
  return files;
}

/** Tells an earlier install by a marker its file holds (an id, an entry point). */
export function earlierInstall(file: string, marker: string): (dir: string) => boolean {
  return (dir) => existsSync(join(dir, file)) && readFileSync(join(dir, file), 'utf8').includes(marker);
}

export interface InstallArgs {
  dir?: string;
  json: boolean;
}

/** The options every `... install` command takes. */
export function installOptions(y: Argv, dirHelp: string): Argv<InstallArgs> {
  return y
    .option('dir', { type: 'string', describe: dirHelp })
    .option('json', { type: 'boolean', default: false, describe: 'print what was installed as JSON' }) as unknown as Argv<InstallArgs>;
}

export function installTree(path: string, parts: readonly TreePart[], isEarlierInstall: (dir: string) => boolean, what: string): InstalledTree {
  const replaced = existsSync(path);
  if (replaced) {
    if (!isEarlierInstall(path)) throw new UserError(`${path} exists and is not an earlier install of ${what}: remove it or choose another --dir`);
    rmSync(path, { recursive: true, force: true });
  }
  let files = 0;
  for (const part of parts) files += copyFolder(part.from, join(path, part.to));
  return { path, replaced, files };
}
