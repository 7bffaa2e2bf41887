/**
 * `buddyshark saleae install`: assembles the extension folder Logic 2 loads (the analyzer, its
 * bubbles module, and the decoder core from sigrok/buddylink/buddylink_core) so that it needs
 * nothing from the checkout; replaces an earlier install, refuses anything else, and names the
 * extension.json to pick in "Load Existing Extension...".
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, ROOT, tempDir } from '../cli/helpers.ts';
import { filesBelow } from '../sigrok/files-below.ts';

describe('buddyshark saleae install', () => {
  it('assembles the extension and the shared core into one folder, and names its extension.json', () => {
    const dir = tempDir('bs-saleae-install-');
    const r = cli(['saleae', 'install', '--dir', dir]);
    assert.equal(r.status, 0, r.stderr);
    const target = join(dir, 'buddylink');
    assert.match(r.stdout, new RegExp(`installed ${target}`));
    assert.match(r.stdout, /Load Existing Extension/);
    assert.ok(r.stdout.includes(join(target, 'extension.json')));
    assert.doesNotMatch(r.stdout, /\u001b\[/);
    const core = filesBelow(join(ROOT, 'sigrok', 'buddylink', 'buddylink_core')).map((f) => join('buddylink_core', f));
    assert.deepEqual(filesBelow(target), [...filesBelow(join(ROOT, 'saleae', 'buddylink')), ...core].sort());
  });

  it('gives a folder whose entry point imports with nothing from the checkout on the path', () => {
    const dir = tempDir('bs-saleae-install-');
    const r = cli(['saleae', 'install', '--dir', dir, '--json']);
    const target = (JSON.parse(r.stdout) as { installed: string }).installed;
    const code = 'import sys; sys.path[:0] = sys.argv[1:]; import buddylink_hla; print(buddylink_hla.__file__, buddylink_hla.LinkDecoder.__module__)';
    const run = spawnSync('python3', ['-B', '-c', code, join(ROOT, 'test', 'saleae', 'stand_in'), target], { encoding: 'utf8', cwd: dir });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout.trim(), `${join(target, 'buddylink_hla.py')} buddylink_core.link`);
  });

  it('replaces an earlier install and refuses a folder it did not write', () => {
    const dir = tempDir('bs-saleae-install-');
    assert.equal(cli(['saleae', 'install', '--dir', dir]).status, 0);
    const again = JSON.parse(cli(['saleae', 'install', '--dir', dir, '--json']).stdout) as { replaced: boolean; extension: string };
    assert.deepEqual(again, { ...again, replaced: true, extension: join(dir, 'buddylink', 'extension.json') });
    const foreign = tempDir('bs-saleae-install-');
    mkdirSync(join(foreign, 'buddylink'));
    writeFileSync(join(foreign, 'buddylink', 'extension.json'), '{}');
    const refused = cli(['saleae', 'install', '--dir', foreign]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /is not an earlier install of the buddylink extension/);
    assert.ok(existsSync(join(foreign, 'buddylink', 'extension.json')));
  });

  it('installs by default under the user data folder', () => {
    const home = tempDir('bs-saleae-home-');
    const r = cli(['saleae', 'install', '--json'], { env: { HOME: home, XDG_DATA_HOME: '' } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { installed: string }).installed, join(home, '.local', 'share', 'buddyshark', 'saleae', 'buddylink'));
  });
});
