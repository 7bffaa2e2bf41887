/**
 * `buddyshark view --live` in a real terminal (tmux, like tmux.test.ts): the demo scenario served
 * in a loop from this process at twice real time, the viewer following it with a small --window. Checks
 * that records arrive (the header count grows) with the selection on the newest row, that f turns
 * follow off (the selection stays while rows arrive below) and on again, that the header says when
 * older records were dropped, and that s saves the window to buddyshark-live-<time>.pcapng in the
 * cwd: a whole file tshark reads, holding at most --window records, a contiguous piece of the run.
 *
 * Private tmux server (-S socket, no config), killed at the end. Skips without tmux.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import type { BuddyRecord, TxnRecord } from '../../src/records/types.ts';
import { runScenario } from '../../src/sim/run.ts';
import { serveScenario, type ScenarioServer } from '../../src/sim/serve/server.ts';
import { HAS_TSHARK, tshark } from '../pcapng/fixtures.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const HAS_TMUX = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
const TIMEOUT_MS = 20_000;
const STARTUP_TIMEOUT_MS = 40_000;
const POLL_MS = 50;
const WINDOW = 300;
const TMUX_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));

let dir = '';
let socket = '';
const server = (): string[] => ['-S', socket, '-f', '/dev/null'];
const tmux = (...args: string[]): string => execFileSync('tmux', [...server(), ...args], { encoding: 'utf8', env: TMUX_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const SESSION = `bslive${process.pid}`;

interface Screen {
  readonly text: string;
  readonly header: string;
  readonly records: number;
  readonly at: number;
  readonly of: number;
}

function screen(): Screen {
  let text = '';
  try {
    text = tmux('capture-pane', '-p', '-t', `=${SESSION}:`);
  } catch {
    text = '';
  }
  const header = text.split('\n')[0] ?? '';
  const count = /  ([\d,]+) records/.exec(header);
  const pos = /^\[([\d,]+) of ([\d,]+)(?: shown)?\]/m.exec(text);
  return { text, header, records: count ? Number(count[1].replace(/,/g, '')) : -1, at: pos ? Number(pos[1].replace(/,/g, '')) : -1, of: pos ? Number(pos[2].replace(/,/g, '')) : -1 };
}

function alive(): boolean {
  return spawnSync('tmux', [...server(), 'has-session', '-t', `=${SESSION}`], { stdio: 'ignore', env: TMUX_ENV }).status === 0;
}

async function waitFor(what: string, ok: (s: Screen) => boolean, timeoutMs = TIMEOUT_MS): Promise<Screen> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = screen();
    if (ok(s)) return s;
    if (Date.now() > until || !alive()) {
      const errFile = join(dir, 'viewer.stderr');
      const err = existsSync(errFile) ? readFileSync(errFile, 'utf8') : '';
      assert.fail(`${alive() ? 'timed out' : 'the viewer exited'} waiting for ${what}; screen was:\n${s.text}${err ? `\nstderr:\n${err}` : ''}`);
    }
    await sleep(POLL_MS);
  }
}

const hex = (t: TxnRecord): string => Buffer.from([...t.mosi, ...t.miso]).toString('hex');

describe('buddyshark view --live in a terminal (tmux)', { skip: HAS_TMUX ? false : 'tmux not installed' }, () => {
  let served: ScenarioServer | null = null;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'buddyshark-live-view-'));
    socket = join(dir, 'tmux.sock');
  });

  after(() => {
    served?.stop();
    spawnSync('tmux', [...server(), 'kill-server'], { stdio: 'ignore', env: TMUX_ENV });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('follows the served demo, toggles follow, drops beyond the window, saves the window', async () => {
    served = await serveScenario(openScenario('demo'), { speed: 2, loop: true });
    // CI unset: Ink draws only the final frame under CI. The cwd is the temp dir: the save lands there.
    const cmd = `env -u CI TERM=xterm-256color node ${quote(join(ROOT, 'bin/buddyshark.js'))} view --live ${served.url} --window ${WINDOW} `
      + `2>${quote(join(dir, 'viewer.stderr'))}; echo $? >${quote(join(dir, 'viewer.rc'))}`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', '-c', dir, cmd);

    // Records arrive; follow is on from the start, so the newest row is selected.
    let s = await waitFor('the live viewer with records', (x) => x.header.startsWith(`${served!.url} (live)`) && x.records > 0 && x.of > 0, STARTUP_TIMEOUT_MS);
    assert.match(s.header, /● connected/);
    assert.match(s.text, /\[follow\]/);
    assert.match(s.text, /s save {2}f follow/, 'the save key in the status bar help');
    const firstCount = s.records;
    s = await waitFor('more records, the selection on the newest row', (x) => x.records > firstCount && x.of > 1 && x.at === x.of);

    // f: follow off; rows keep arriving below the selection, which stays where it was.
    tmux('send-keys', '-t', `=${SESSION}:`, 'f');
    s = await waitFor('follow off', (x) => x.text.includes('follow: off') && !x.text.includes('[follow]'));
    const heldAt = s.at;
    const heldOf = s.of;
    s = await waitFor('rows arriving while the selection stays', (x) => x.of > heldOf && x.at <= heldAt && x.at < x.of);

    // The window: beyond WINDOW records the oldest are dropped, and the header says so.
    s = await waitFor('older records dropped', (x) => /\(window: newest 300; [\d,]+ older dropped\)/.test(x.header), 30_000);
    assert.ok(s.records <= WINDOW, `the index holds at most the window: ${s.header}`);

    // f again: follow on, the selection jumps to the newest row.
    tmux('send-keys', '-t', `=${SESSION}:`, 'f');
    s = await waitFor('follow on', (x) => x.text.includes('[follow]') && x.at === x.of);

    // s: the window goes to buddyshark-live-<time>.pcapng in the cwd, and the status bar says where.
    tmux('send-keys', '-t', `=${SESSION}:`, 's');
    s = await waitFor('the saved message', (x) => /saved [\d,]+ records to \S+\.pcapng/.test(x.text));
    const m = /saved ([\d,]+) records to (\S+?\.pcapng)/.exec(s.text);
    assert.ok(m);
    const saved = Number(m[1].replace(/,/g, ''));
    assert.match(m[2], /^\.\/buddyshark-live-\d{14}\.pcapng$/, 'in the cwd, named by time');
    const file = join(dir, m[2]);
    assert.ok(saved > 0 && saved <= WINDOW, `${saved} records saved`);

    tmux('send-keys', '-t', `=${SESSION}:`, 'q');
    const until = Date.now() + TIMEOUT_MS;
    while (alive()) {
      if (Date.now() > until) assert.fail(`the viewer did not quit on q:\n${screen().text}`);
      await sleep(POLL_MS);
    }
    assert.equal(readFileSync(join(dir, 'viewer.rc'), 'utf8').trim(), '0', readFileSync(join(dir, 'viewer.stderr'), 'utf8'));

    // The saved file: whole, every record the message counted, a contiguous piece of the looping run.
    const stream = readRecordsFromPcapng(file);
    const records: BuddyRecord[] = [];
    for await (const b of stream) records.push(...b);
    assert.equal(stream.status.truncatedAt, undefined);
    assert.equal(records.length, saved);
    for (let i = 1; i < records.length; i++) assert.ok(records[i].startNs >= records[i - 1].startNs, 'in time order');
    const run: TxnRecord[] = [];
    for await (const b of runScenario(openScenario('demo')).records) for (const r of b) if (r.kind === 'txn') run.push(r);
    const txns = records.filter((r): r is TxnRecord => r.kind === 'txn');
    assert.ok(txns.length > 5, `${txns.length} transactions saved`);
    let k = run.findIndex((t) => hex(t) === hex(txns[0]));
    assert.ok(k >= 0, 'the first saved transaction is one of the run');
    for (const t of txns.slice(1)) {
      k = (k + 1) % run.length;
      assert.equal(hex(t), hex(run[k]), 'each saved transaction follows the previous one in the run');
    }
    if (HAS_TSHARK) {
      const r = tshark(['-r', file]);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.split('\n').filter((l) => l.trim()).length, saved);
    }
  });
});
