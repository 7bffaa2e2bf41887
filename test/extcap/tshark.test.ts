/**
 * End to end through Wireshark's own capture path: `buddyshark wireshark install` puts the
 * extcap wrapper in the personal extcap folder of a fresh HOME, tshark lists "WiFi Buddy
 * (buddyshark)", and `tshark -i buddyshark -o extcap.buddyshark.source:tcp://...` captures the
 * simulator serving the demo scenario; the file holds exactly the records the simulator decodes
 * (less the raw layer, turned off through a preference). tshark stops it the way Wireshark does
 * (SIGTERM to the extcap); the other ways a capture ends are in capture.test.ts.
 *
 * tshark must run as a normal user (as root it ignores WIRESHARK_EXTCAP_DIR), and its personal
 * extcap folder follows HOME. So as root this test runs tshark (and the
 * install) as `nobody` through setpriv (util-linux; runuser as a fallback), with HOME a temp
 * folder it owns. That user may not be able to read this checkout (a CI workspace under /root):
 * then the test installs from a world-readable copy of what the CLI needs (bin, src,
 * node_modules, package.json, tsconfig.json, which bin/ hands to tsx, README.md, wireshark) and,
 * if node itself is out of reach, a copy of node. A copy rather than `chmod o+rx` up the
 * checkout's path, which would widen access to the workspace (and /root) for every user and
 * outlive the test. Not root: tshark runs directly, with
 * HOME pointed at the temp folder so the real personal folders are not touched.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { serveScenario, type ScenarioServer } from '../../src/sim/serve/server.ts';
import { BIN, canonical, collect, hasTool, ROOT, tempDir } from '../cli/helpers.ts';
import { expectedRecords } from './helpers.ts';

interface User {
  /** Command prefix that runs the rest as the user (empty: as ourselves). */
  readonly prefix: readonly string[];
  readonly uid: number;
  readonly gid: number;
}

function idOf(flag: '-u' | '-g', user: string): number | null {
  const r = spawnSync('id', [flag, user], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : null;
}

/** Who runs tshark: ourselves unless root, then nobody (or a reason to skip). */
function captureUser(): User | string {
  const uid = process.getuid?.() ?? -1;
  if (uid !== 0) return { prefix: [], uid, gid: process.getgid?.() ?? -1 };
  const nUid = idOf('-u', 'nobody');
  const nGid = idOf('-g', 'nobody');
  if (nUid === null || nGid === null) return 'running as root and there is no user nobody to run tshark as';
  if (hasTool('setpriv')) return { prefix: ['setpriv', `--reuid=${nUid}`, `--regid=${nGid}`, '--clear-groups'], uid: nUid, gid: nGid };
  if (hasTool('runuser')) return { prefix: ['runuser', '-u', 'nobody', '--'], uid: nUid, gid: nGid };
  return 'running as root without setpriv or runuser to drop to a normal user';
}

const user = captureUser();
const skip = !hasTool('tshark') ? 'tshark not installed' : !hasTool('mkfifo') ? 'no mkfifo' : typeof user === 'string' ? user : false;

function asUser(u: User, cmd: readonly string[]): [string, string[]] {
  const all = [...u.prefix, ...cmd];
  return [all[0], all.slice(1)];
}

/** Whether the user can run `node` on this checkout's CLI where it stands. */
function canRunCheckout(u: User, env: NodeJS.ProcessEnv): boolean {
  const [cmd, args] = asUser(u, ['sh', '-c', 'test -x "$1" && test -r "$2" && test -r "$3" && test -r "$4"', 'sh',
    process.execPath, BIN, join(ROOT, 'node_modules/tsx/package.json'), join(ROOT, 'src/cli/main.ts')]);
  return spawnSync(cmd, args, { env }).status === 0;
}

/**
 * node and bin/buddyshark.js the user can run: the checkout's, or a readable copy (see the header).
 * BS_EXTCAP_TEST_COPY=1 takes the copy path even when the checkout is readable, to exercise it.
 */
function runnableCli(u: User, env: NodeJS.ProcessEnv): { node: string; bin: string } {
  const forceCopy = process.env.BS_EXTCAP_TEST_COPY === '1';
  if (!forceCopy && (u.prefix.length === 0 || canRunCheckout(u, env))) return { node: process.execPath, bin: BIN };
  const stage = tempDir('bs-extcap-stage-');
  for (const part of ['bin', 'src', 'node_modules', 'wireshark', 'package.json', 'tsconfig.json', 'README.md']) {
    cpSync(join(ROOT, part), join(stage, part), { recursive: true, verbatimSymlinks: true });
  }
  let node = process.execPath;
  const [cmd, args] = asUser(u, ['test', '-x', node]);
  if (forceCopy || spawnSync(cmd, args, { env }).status !== 0) {
    node = join(stage, 'node');
    copyFileSync(process.execPath, node);
  }
  assert.equal(spawnSync('chmod', ['-R', 'a+rX', stage]).status, 0);
  chmodSync(stage, 0o755);
  return { node, bin: join(stage, 'bin/buddyshark.js') };
}

function run(u: User, cmd: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const [c, args] = asUser(u, cmd);
  const child = spawn(c, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const servers: ScenarioServer[] = [];
after(() => {
  for (const s of servers) s.stop();
});

/** A capture's records, without the capture gaps a reconnect attempt may add after the bridge ended. */
async function captured(path: string): Promise<string[]> {
  const src = readRecordsFromPcapng(path);
  const records = (await collect(src)).filter((r: BuddyRecord) => !(r.kind === 'anomaly' && r.code === 'capture-gap'));
  assert.equal(src.status.truncatedAt, undefined, `${path} ends on a block boundary`);
  return canonical(records);
}

describe('tshark captures through the extcap', { skip }, () => {
  it('lists the interface and captures exactly the simulator\'s records', async () => {
    const u = user as User;
    const home = tempDir('bs-extcap-home-');
    if (u.prefix.length) spawnSync('chown', [`${u.uid}:${u.gid}`, home]);
    // A clean environment: HOME decides the personal folders (for the install and for tshark alike).
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, NO_COLOR: '1', LANG: 'C.UTF-8' };
    const cli = runnableCli(u, env);

    const install = await run(u, [cli.node, cli.bin, 'wireshark', 'install', '--json'], env, home);
    assert.equal(install.status, 0, install.stderr);
    const { extcap } = JSON.parse(install.stdout) as { extcap: { path: string } };
    assert.ok(extcap.path.startsWith(`${home}/`), `${extcap.path} is in the personal folders of ${home}`);
    // The wrapper runs the CLI the user can reach, with node by its absolute path.
    assert.ok(readFileSync(extcap.path, 'utf8').includes(`'${cli.node}' '${cli.bin}' extcap "$@"`));

    // `-i buddyshark` below only opens when tshark's interface list (`tshark -D`) has the extcap.
    // Captured without the raw layer (a preference passed through tshark), stopped by tshark once
    // it has as many packets as the scenario holds (-c; -a duration only bounds a failure): the
    // extcap, reconnecting after the bridge ended, gets tshark's SIGTERM.
    const expected = await expectedRecords('demo', (rec) => rec.kind !== 'txn' && rec.kind !== 'line');
    const server = await serveScenario(openScenario('demo'), { speed: Infinity, loop: false });
    servers.push(server);
    const out = join(home, 'live.pcapng');
    const r = await run(u, ['tshark', '-i', 'buddyshark', '-o', `extcap.buddyshark.source:${server.url}`, '-o', 'extcap.buddyshark.raw:false',
      '-c', String(expected.length), '-a', 'duration:60', '-w', out], env, home);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /\b\d+ packets captured/);
    assert.ok(expected.length > 50);
    assert.deepEqual(await captured(out), expected);
  });
});
