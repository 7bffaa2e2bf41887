/** Lists a folder's files for comparing an install with its sources. */
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file below `dir`, relative, sorted, without Python byte-code caches. */
export function filesBelow(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === '__pycache__') continue;
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}
