/**
 * Where the installed project is: the folder holding buddyshark's package.json. Found by walking up
 * from this module rather than by a fixed `../..`, because the same code runs both from src/
 * (through tsx) and from the start-up bundle under .cache/ (see src/launch/bundle.mjs), at other
 * depths. Files read at run time (scenarios, the Wireshark plugin, the README) are found from here.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding buddyshark's package.json at or above `from`, with that package.json. */
function findRoot(from: string): { dir: string; version: string } {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string; version: string };
      if (json.name === 'buddyshark') return { dir, version: json.version };
    }
    if (dirname(dir) === dir) throw new Error(`buddyshark's package.json not found above ${from}`);
  }
}

const found = findRoot(dirname(fileURLToPath(import.meta.url)));
export const ROOT: string = found.dir;
export const VERSION: string = found.version;
/** The executable entry, for what has to start buddyshark again (the extcap wrapper, child processes). */
export const BIN: string = join(ROOT, 'bin', 'buddyshark.js');
