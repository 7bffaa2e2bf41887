/**
 * The start-up bundle: the CLI compiled once into plain JavaScript, so a run does not pay for tsx.
 *
 * Through tsx every one of the ~250 TypeScript modules is resolved and loaded through a loader
 * thread; that alone costs about half a second per start, and Wireshark starts the extcap several
 * times per capture, CI spawns the CLI hundreds of times, and a short replay spends more time
 * starting than replaying. esbuild (already installed for tsx) bundles src/cli/main.ts in well under
 * a second, with each command in its own chunk so commands still load on demand.
 *
 * The bundle lives in .cache/bundle/<key>/, where the key hashes the path, size and mtime of every
 * file under src/ plus package.json and tsconfig.json: an edited source gives a new key, so a stale
 * bundle is never run. A directory is complete before it appears (built beside it, then renamed),
 * so concurrent first runs are safe: the first rename wins, the others discard their copy. Any
 * failure (read-only checkout, no esbuild, a syntax error) returns null and the caller runs the
 * sources through tsx instead, which then reports the problem itself. BUDDYSHARK_BUNDLE=0 forces
 * that path (real file names in stack traces while debugging).
 *
 * Plain JavaScript on purpose: it runs before anything can load TypeScript.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Older bundles are removed after a new one is built, once nothing can still be loading from them. */
const PRUNE_AFTER_MS = 60 * 60 * 1000;

/** A hash of what the bundle is built from. */
export function sourceKey(root = ROOT) {
  const hash = createHash('sha256');
  const files = readdirSync(join(root, 'src'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => join(d.parentPath ?? d.path, d.name));
  files.push(join(root, 'package.json'), join(root, 'tsconfig.json'));
  for (const f of files.sort()) {
    const s = statSync(f);
    hash.update(`${relative(root, f)}\0${s.size}\0${s.mtimeMs}\n`);
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * The bundled CLI entry as a file URL, building it first if the sources changed; null to use tsx.
 * `root` is the checkout (another one in tests).
 */
export async function bundledMain(root = ROOT) {
  if (process.env.BUDDYSHARK_BUNDLE === '0') return null;
  try {
    const dir = join(root, '.cache', 'bundle', sourceKey(root));
    const main = join(dir, 'main.js');
    if (!existsSync(main)) await build(root, dir);
    return existsSync(main) ? pathToFileURL(main).href : null;
  } catch {
    return null;
  }
}

async function build(root, dir) {
  const cache = dirname(dir);
  const { build: esbuild } = await import('esbuild');
  const tmp = `${dir}.tmp-${process.pid}`;
  mkdirSync(cache, { recursive: true });
  rmSync(tmp, { recursive: true, force: true });
  try {
    await esbuild({
      entryPoints: [join(root, 'src', 'cli', 'main.ts')],
      outdir: tmp,
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      // Dependencies stay in node_modules, found from .cache/ by Node's usual lookup.
      packages: 'external',
      tsconfig: join(root, 'tsconfig.json'),
      logLevel: 'silent',
    });
    try {
      renameSync(tmp, dir);
    } catch {
      // Another run finished the same bundle first: theirs is identical.
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  prune(cache, dir);
}

function prune(cache, keep) {
  const now = Date.now();
  for (const name of readdirSync(cache)) {
    const path = join(cache, name);
    if (path === keep) continue;
    try {
      if (now - statSync(path).mtimeMs > PRUNE_AFTER_MS) rmSync(path, { recursive: true, force: true });
    } catch {
      // Gone already (another run pruned it).
    }
  }
}
