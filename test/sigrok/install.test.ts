/**
 * `buddyshark sigrok install`: copies the decoder (with the shared core) into a decoder folder,
 * replaces an earlier install whole, refuses to overwrite anything else, defaults to
 * $SIGROKDECODE_DIR or the user decoder folder, and that default is one sigrok-cli loads it from.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { cli, hasTool, ROOT, tempDir } from '../cli/helpers.ts';
import { filesBelow } from './files-below.ts';

const cleanEnv = { SIGROKDECODE_DIR: '', XDG_DATA_HOME: '' };

describe('buddyshark sigrok install', () => {
  it('copies sigrok/buddylink with its core into the folder given, and says where (plain text when piped)', () => {
    const dir = tempDir('bs-sigrok-install-');
    const r = cli(['sigrok', 'install', '--dir', dir]);
    assert.equal(r.status, 0, r.stderr);
    const target = join(dir, 'buddylink');
    assert.match(r.stdout, new RegExp(`installed ${target}`));
    assert.match(r.stdout, /set SIGROKDECODE_DIR=/);
    assert.doesNotMatch(r.stdout, /\u001b\[/);
    assert.match(cli(['sigrok', 'install', '--dir', dir], { env: { NO_COLOR: '', FORCE_COLOR: '1' } }).stdout, /\u001b\[/, 'colour on a terminal');
    assert.deepEqual(filesBelow(target), filesBelow(join(ROOT, 'sigrok', 'buddylink')));
    assert.ok(filesBelow(target).includes(join('buddylink_core', 'tables.py')));
  });

  it('replaces an earlier install whole and refuses a folder it did not write', () => {
    const dir = tempDir('bs-sigrok-install-');
    assert.equal(cli(['sigrok', 'install', '--dir', dir]).status, 0);
    writeFileSync(join(dir, 'buddylink', 'left-over.py'), '');
    const again = cli(['sigrok', 'install', '--dir', dir, '--json']);
    assert.equal(again.status, 0, again.stderr);
    const out = JSON.parse(again.stdout) as { installed: string; replaced: boolean; searched: boolean };
    assert.deepEqual([out.installed, out.replaced, out.searched], [join(dir, 'buddylink'), true, false]);
    assert.equal(existsSync(join(dir, 'buddylink', 'left-over.py')), false);

    const foreign = tempDir('bs-sigrok-install-');
    mkdirSync(join(foreign, 'buddylink'));
    writeFileSync(join(foreign, 'buddylink', 'pd.py'), "id = 'something-else'\n");
    const refused = cli(['sigrok', 'install', '--dir', foreign]);
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /exists and is not an earlier install of the buddylink decoder/);
    assert.ok(existsSync(join(foreign, 'buddylink', 'pd.py')));
  });

  it('installs into $SIGROKDECODE_DIR when it is set', () => {
    const dir = tempDir('bs-sigrok-env-');
    const r = cli(['sigrok', 'install', '--json'], { env: { SIGROKDECODE_DIR: dir } });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { installed: join(dir, 'buddylink'), replaced: false, files: filesBelow(join(dir, 'buddylink')).length, how: '$SIGROKDECODE_DIR', searched: true });
  });

  it('installs by default where sigrok-cli finds the decoder by itself', { skip: hasTool('sigrok-cli') ? false : 'sigrok-cli not installed' }, () => {
    const home = tempDir('bs-sigrok-home-');
    const r = cli(['sigrok', 'install', '--json'], { env: { ...cleanEnv, HOME: home } });
    assert.equal(r.status, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { installed: string }).installed, join(home, '.local', 'share', 'libsigrokdecode', 'decoders', 'buddylink'));
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, PYTHONDONTWRITEBYTECODE: '1' };
    delete env.SIGROKDECODE_DIR;
    delete env.XDG_DATA_HOME;
    const shown = spawnSync('sigrok-cli', ['-P', 'buddylink', '--show'], { encoding: 'utf8', env });
    assert.equal(shown.status, 0, shown.stderr);
    assert.match(shown.stdout, /ID: buddylink/);
    assert.match(shown.stdout, /- warnings \(Warnings\): warning/);
    assert.match(shown.stdout, /- pcap: Ethernet frames/);
  });
});
