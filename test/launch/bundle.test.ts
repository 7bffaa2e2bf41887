/**
 * The start-up bundle: built from the sources on first use, rebuilt when a source changes, never
 * left half-written, and run only when it gives the same results as the sources through tsx.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { bundledMain, sourceKey } from '../../src/launch/bundle.mjs';
import { BIN, ROOT, tempDir } from '../cli/helpers.ts';

/** A copy of the checkout's sources (node_modules linked), so builds here do not touch the real cache. */
function checkoutCopy(): string {
  const dir = tempDir('bs-bundle-');
  for (const part of ['src', 'package.json', 'tsconfig.json']) cpSync(join(ROOT, part), join(dir, part), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

test('the bundle is built once per source state, and an edited source gives a new one', async () => {
  const dir = checkoutCopy();
  const first = await bundledMain(dir);
  assert.ok(first, 'a bundle was built');
  const main = fileURLToPath(first);
  assert.equal(main, join(dir, '.cache', 'bundle', sourceKey(dir), 'main.js'));
  assert.ok(existsSync(main));
  assert.equal(await bundledMain(dir), first, 'the same sources reuse the bundle');

  const file = join(dir, 'src', 'paths.ts');
  const later = new Date(Date.now() + 5000);
  utimesSync(file, later, later);
  const second = await bundledMain(dir);
  assert.ok(second);
  assert.notEqual(second, first, 'a touched source is a new key');
  // Nothing half-built is left beside the finished bundles.
  assert.deepEqual(readdirSync(join(dir, '.cache', 'bundle')).filter((n) => n.includes('.tmp-')), []);
});

test('sources that do not build give no bundle (tsx then reports the error), and nothing partial', async () => {
  const dir = checkoutCopy();
  writeFileSync(join(dir, 'src', 'paths.ts'), 'export const ROOT = ;\n');
  assert.equal(await bundledMain(dir), null);
  const cache = join(dir, '.cache', 'bundle');
  assert.deepEqual(existsSync(cache) ? readdirSync(cache) : [], []);
});

test('BUDDYSHARK_BUNDLE=0 runs the sources through tsx', async () => {
  const saved = process.env.BUDDYSHARK_BUNDLE;
  process.env.BUDDYSHARK_BUNDLE = '0';
  try {
    assert.equal(await bundledMain(checkoutCopy()), null);
  } finally {
    if (saved === undefined) delete process.env.BUDDYSHARK_BUNDLE;
    else process.env.BUDDYSHARK_BUNDLE = saved;
  }
});

test('the bundled CLI and the sources through tsx give the same output, files found from the root', () => {
  const run = (bundle: string, args: string[]): string => {
    const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, BUDDYSHARK_BUNDLE: bundle, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  // decode reads a capture; simulate finds its scenario under captures/; extcap reads the version and README path.
  for (const args of [['decode', join(ROOT, 'captures/demo.pcapng'), '--json'], ['simulate', 'demo', '--json'], ['extcap', '--extcap-interfaces'], ['--version']]) {
    assert.equal(run('1', args), run('0', args), args.join(' '));
  }
  assert.ok(existsSync(join(ROOT, '.cache', 'bundle', sourceKey(), 'main.js')), 'the checkout runs from its bundle');
});
