/**
 * End-to-end test of `buddyshark view` in a real terminal: each test starts the viewer in a
 * detached tmux session of a fixed size, types keys as a person would (tmux send-keys) and reads
 * the screen back (tmux capture-pane), polling for the expected text after every key instead of
 * sleeping. Covers the committed happy-path capture (captures/demo.pcapng) at 80x24 and 120x40,
 * a noisy-bus capture made by `buddyshark capture` (CRC errors, lost frames, CS glitches), an
 * esp-hosted capture (captures/esp-hosted/mcu.sr) at 160x48, and two logic-analyzer captures of
 * other SPI devices from the real-capture corpus (no link frames; MOSI only).
 *
 * The sessions live on a private tmux server (`-S` socket, no config file) killed at the end, so
 * a person's own tmux is never touched. Skips when tmux is not installed.
 * Expected counts come from the viewer's own header and are cross-checked against the list (the
 * "ctl" filter keeps as many rows as the header counts control frames, and so on), so the test
 * does not hard-code the capture's contents beyond the messages the scenarios always send.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ANOMALY_CODES } from '../../src/records/types.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const HAS_TMUX = spawnSync('tmux', ['-V'], { stdio: 'ignore' }).status === 0;
/** Per key. Generous: the box running the tests may be loaded. */
const TIMEOUT_MS = 15_000;
/** Starting node + tsx and loading the capture takes several seconds on a loaded box. */
const STARTUP_TIMEOUT_MS = 30_000;
const POLL_MS = 40;

/** The tmux server's environment, without node:test's marker (the viewer is not a test process). */
const TMUX_ENV = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));

/** The private server's socket, in the test's temporary directory (removed with it). */
let socket = '';
const server = (): string[] => ['-S', socket, '-f', '/dev/null'];

function tmux(...args: string[]): string {
  return execFileSync('tmux', [...server(), ...args], { encoding: 'utf8', env: TMUX_ENV, stdio: ['ignore', 'pipe', 'pipe'] });
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A list row as the viewer draws it: "›  50180.400 µs  C→B  CTRL      1  scan #2" (µs from capture start). */
interface Row {
  readonly selected: boolean;
  readonly timeUs: number;
  readonly label: string;
  readonly text: string;
}
const ROW = /^([› ])\s*(\d+\.\d{3}) µs  (.{3})  (\S+)\s+(.*)$/;

class Screen {
  readonly lines: string[];
  constructor(readonly text: string) {
    this.lines = text.split('\n');
  }
  get rows(): Row[] {
    const out: Row[] = [];
    for (const line of this.lines) {
      const m = ROW.exec(line);
      if (m) out.push({ selected: m[1] === '›', timeUs: Number(m[2]), label: m[4], text: line.slice(1).trimEnd() });
    }
    return out;
  }
  get selected(): Row | undefined {
    return this.rows.find((r) => r.selected);
  }
  /** The status bar's "[12 of 133 shown]" ("shown" when records are left out of the list). */
  get position(): { at: number; of: number; shown: boolean } | null {
    const m = /^\[([\d,]+) of ([\d,]+)( shown)?\]/m.exec(this.text);
    return m ? { at: Number(m[1].replace(/,/g, '')), of: Number(m[2].replace(/,/g, '')), shown: m[3] !== undefined } : null;
  }
  /** The detail pane's title: "── record 12 of 133 shown ──", or null. */
  get detailPosition(): { at: number; of: number; shown: boolean } | null {
    const m = /^── record ([\d,]+) of ([\d,]+)( shown)? ─/m.exec(this.text);
    return m ? { at: Number(m[1].replace(/,/g, '')), of: Number(m[2].replace(/,/g, '')), shown: m[3] !== undefined } : null;
  }
  /** The detail pane: the lines from its rule ("── record 5 of 133 shown ──") to the status bar, or ''. */
  get detail(): string {
    const from = this.lines.findIndex((l) => /^── record [\d,]+ of [\d,]+( shown)? ─/.test(l));
    return from < 0 ? '' : this.lines.slice(from, -1).join('\n');
  }
  has(re: RegExp | string): boolean {
    return typeof re === 'string' ? this.text.includes(re) : re.test(this.text);
  }
}

/** One viewer running in one tmux session. */
class ViewerPane {
  readonly rcFile: string;
  readonly errFile: string;
  private alive = false;
  last = new Screen('');

  constructor(readonly name: string, readonly dir: string) {
    this.rcFile = join(dir, `${name}.rc`);
    this.errFile = join(dir, `${name}.stderr`);
  }

  /** Runs `buddyshark view CAPTURE [args...]` (args: further command-line options, such as --channels). */
  start(capture: string, width: number, height: number, args: readonly string[] = [], opts: { stderrOnPane?: boolean } = {}): void {
    // CI is unset: Ink renders only the final frame when it sees CI, and this is a real terminal.
    // With stderrOnPane, stderr is the terminal too (as for a person), and the shell stays a while
    // after the viewer exits so the screen it left behind can be read.
    const view = `env -u CI TERM=xterm-256color node bin/buddyshark.js view ${[capture, ...args].map(quote).join(' ')}`;
    const cmd = opts.stderrOnPane
      ? `clear; ${view}; echo $? >${quote(this.rcFile)}; sleep 60`
      : `${view} 2>${quote(this.errFile)}; echo $? >${quote(this.rcFile)}`;
    tmux('new-session', '-d', '-s', this.name, '-x', String(width), '-y', String(height), '-c', ROOT, cmd);
    this.alive = true;
  }

  exists(): boolean {
    return spawnSync('tmux', [...server(), 'has-session', '-t', `=${this.name}`], { stdio: 'ignore', env: TMUX_ENV }).status === 0;
  }

  screen(): Screen {
    try {
      this.last = new Screen(tmux('capture-pane', '-p', '-t', `=${this.name}:`));
    } catch {
      this.last = new Screen('');
    }
    return this.last;
  }

  /** Polls the pane until `ok` holds; fails with the last screen (and the viewer's stderr) otherwise. */
  async waitFor(what: string, ok: (s: Screen) => boolean, timeoutMs = TIMEOUT_MS): Promise<Screen> {
    const until = Date.now() + timeoutMs;
    let previous = '';
    for (;;) {
      const s = this.screen();
      // Ink redraws by rewriting lines, so a capture can catch a frame half drawn: only accept a
      // screen that two captures in a row agree on.
      if (ok(s) && s.text === previous) return s;
      previous = ok(s) ? s.text : '';
      if (Date.now() > until || !this.exists()) {
        const err = existsSync(this.errFile) ? readFileSync(this.errFile, 'utf8') : '';
        const why = this.exists() ? 'timed out' : 'the viewer exited';
        assert.fail(`${why} waiting for ${what}; screen was:\n${s.text}${err ? `\nstderr:\n${err}` : ''}`);
      }
      await sleep(POLL_MS);
    }
  }

  /** The screen with its colours and attributes as SGR sequences (capture-pane -e). */
  styled(): string {
    try {
      return tmux('capture-pane', '-p', '-e', '-t', `=${this.name}:`);
    } catch {
      return '';
    }
  }

  /** Keys by tmux name ("j", "Enter", "NPage", "Escape"). */
  keys(...names: string[]): void {
    tmux('send-keys', '-t', `=${this.name}:`, ...names);
  }

  /** Literal text, character by character as typed. */
  type(text: string): void {
    tmux('send-keys', '-t', `=${this.name}:`, '-l', text);
  }

  /**
   * Waits for the loaded UI of `file`: header with the final record count and the first row
   * selected. The header names the file with its format ("pcapng", "logic-analyzer export"), or
   * when the row is short of room without it, or as "…/<name>".
   */
  async loaded(file: string, format = 'pcapng'): Promise<{ screen: Screen; records: number }> {
    const names = [`${file} (${format})  `, `${file}  `, `…/${basename(file)}  `];
    const s = await this.waitFor(`the loaded viewer of ${file}`, (x) =>
      names.some((n) => x.lines[0].startsWith(n)) && /\d records/.test(x.lines[0]) && !x.lines[0].includes('loading') && x.position?.at === 1 && x.selected !== undefined, STARTUP_TIMEOUT_MS);
    const m = /  ([\d,]+) records/.exec(s.lines[0]);
    assert.ok(m, `record count in the header: ${s.lines[0]}`);
    return { screen: s, records: Number(m[1].replace(/,/g, '')) };
  }

  /**
   * Presses q and waits until the viewer exited (the session closes), then checks the exit status
   * and stderr: empty, or exactly the notes expected (one "buddyshark: note:" line matching each).
   */
  async quit(notes: readonly RegExp[] = []): Promise<void> {
    this.keys('q');
    const until = Date.now() + TIMEOUT_MS;
    while (this.exists()) {
      if (Date.now() > until) assert.fail(`the viewer did not quit on q; screen was:\n${this.screen().text}`);
      await sleep(POLL_MS);
    }
    this.alive = false;
    // Ink shows the cursor again on stderr when it exits: terminal control sequences are fine there.
    const err = (existsSync(this.errFile) ? readFileSync(this.errFile, 'utf8') : '').replace(/\x1b\[[?\d;]*[a-zA-Z]/g, '');
    assert.equal(readFileSync(this.rcFile, 'utf8').trim(), '0', `viewer exit status (stderr: ${err})`);
    if (notes.length === 0) {
      assert.equal(err, '', 'no message on stderr');
      return;
    }
    const lines = err.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, notes.length, `${notes.length} notes on stderr, nothing else:\n${err}`);
    for (const l of lines) assert.match(l, /^buddyshark: note: /, `a note: ${l}`);
    for (const re of notes) assert.ok(lines.some((l) => re.test(l)), `a note matching ${re} on stderr:\n${err}`);
  }

  kill(): void {
    if (this.alive && this.exists()) spawnSync('tmux', [...server(), 'kill-session', '-t', `=${this.name}`], { stdio: 'ignore', env: TMUX_ENV });
    this.alive = false;
  }
}

/** An SGR sequence turning on inverse video (tmux may combine it: "\x1b[1;7m"). */
const INVERSE = /\x1b\[(?:\d+;)*7(?:;\d+)*m/;
/** Cyan (the focus colour) set before the detail pane's rule, possibly with other SGR sequences. */
const FOCUSED_RULE = /\x1b\[(?:\d+;)*36m(?:\x1b\[[\d;]*m)*── record/;

/** The detail pane's rule drawn in the focus colour (cyan), the selected row not highlighted. */
function isDetailFocused(styled: string): boolean {
  const lines = styled.split('\n');
  return lines.some((l) => FOCUSED_RULE.test(l)) && !lines.some((l) => l.includes('›') && INVERSE.test(l));
}

/** The selected row highlighted (inverse), the detail pane's rule not in the focus colour. */
function isListFocused(styled: string): boolean {
  const lines = styled.split('\n');
  return !lines.some((l) => FOCUSED_RULE.test(l)) && lines.some((l) => l.includes('›') && INVERSE.test(l));
}

/** A header count such as "control 11" on the second header line (0 when absent). */
function headerCount(s: Screen, name: string): number {
  const m = new RegExp(`\\b${name} (\\d+)`).exec(s.lines[1]);
  return m ? Number(m[1]) : 0;
}

/** "1.200 s", "30.8 µs" -> µs, with the half-unit of the last printed digit as tolerance. */
function parseDuration(text: string): { us: number; tolerance: number } {
  const m = /^(\d+)(?:\.(\d+))? (ns|µs|ms|s)$/.exec(text);
  assert.ok(m, `a duration: ${text}`);
  const scale = { ns: 1e-3, µs: 1, ms: 1e3, s: 1e6 }[m[3] as 'ns' | 'µs' | 'ms' | 's'];
  const decimals = m[2]?.length ?? 0;
  return { us: Number(`${m[1]}.${m[2] ?? '0'}`) * scale, tolerance: 0.5 * 10 ** -decimals * scale + 0.001 };
}

/** Moves the selection with j one row at a time until its row matches; asserts each step. */
async function selectDownTo(pane: ViewerPane, match: RegExp, maxSteps: number): Promise<Screen> {
  let s = pane.screen();
  for (let step = 0; step < maxSteps && !match.test(s.selected?.text ?? ''); step++) {
    const at = s.position?.at ?? 0;
    pane.keys('j');
    s = await pane.waitFor(`selection at ${at + 1}`, (x) => x.position?.at === at + 1);
  }
  assert.match(s.selected?.text ?? '', match);
  return s;
}

/**
 * One section of the detail pane's hex dump read back from the screen: the bytes under its title
 * ("frame MISO (44 bytes)", "MOSI (11 bytes)"), checked against the size the title gives.
 */
function hexSection(detail: string, title: string): number[] {
  const lines = detail.split('\n');
  const at = lines.findIndex((l) => new RegExp(`(?:^|\\s)${title} \\(\\d+ bytes\\)\\s*$`).test(l));
  assert.ok(at >= 0, `a hex section "${title}" in the detail pane:\n${detail}`);
  const size = Number(/\((\d+) bytes\)\s*$/.exec(lines[at])![1]);
  const bytes: number[] = [];
  for (const l of lines.slice(at + 1)) {
    const m = /(?:^|\s)([0-9a-f]{4})((?: [0-9a-f]{2})+)\s*$/.exec(l);
    if (!m || parseInt(m[1], 16) !== bytes.length) break;
    bytes.push(...m[2].trim().split(' ').map((b) => parseInt(b, 16)));
  }
  assert.equal(bytes.length, size, `the whole "${title}" section on screen:\n${detail}`);
  return bytes;
}

/** The hex cursor's field line under the dump: "len (bytes 2-3) = 24" (the text after "▸ "). */
function fieldLine(s: Screen): string {
  return /▸ (\S.*?)\s*$/m.exec(s.detail)?.[1] ?? '';
}

let dir = '';
let session = 0;
const panes: ViewerPane[] = [];
function newPane(): ViewerPane {
  const p = new ViewerPane(`bs${process.pid}-${++session}`, dir);
  panes.push(p);
  return p;
}

describe('buddyshark view in a terminal (tmux)', { skip: HAS_TMUX ? false : 'tmux not installed' }, () => {
  let noisy = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'buddyshark-tmux-'));
    socket = join(dir, 'tmux.sock');
    noisy = join(dir, 'noisy.pcapng');
    execFileSync(process.execPath, ['bin/buddyshark.js', 'capture', 'noisy-bus', '-w', noisy], { cwd: ROOT, stdio: 'ignore', timeout: 60_000 });
  });

  after(() => {
    for (const p of panes) p.kill();
    spawnSync('tmux', [...server(), 'kill-server'], { stdio: 'ignore', env: TMUX_ENV });
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('80x24 demo: header, scrolling, detail tree, request/reply jump with latency, ctl filter, quit', async () => {
    const pane = newPane();
    try {
      pane.start('captures/demo.pcapng', 80, 24);
      const { screen: first, records } = await pane.loaded('captures/demo.pcapng');

      // Header: file, format, duration, counts per channel, no anomalies on the happy path.
      assert.match(first.lines[0], /^captures\/demo\.pcapng \(pcapng\)  \d+\.\d{3} s  \d+ records/);
      assert.match(first.lines[1], /^frames: .*control \d+.* │ anomalies 0/);
      const control = headerCount(first, 'control');
      assert.ok(control >= 4, `control frames in the header: ${first.lines[1]}`);
      const listed = first.position!.of;
      assert.ok(listed > 0 && listed <= records, `list rows ${listed} of ${records} records (idle and raw hidden)`);
      assert.equal(first.position!.shown, listed < records, 'the status bar says "shown" when the list leaves records out');
      assert.ok(first.lines.every((l) => l.length <= 80), 'nothing wider than the terminal');
      assert.match(first.text, /↑↓\/jk move/, 'key help in the status bar');

      // j, one press at a time: the selection moves to the row that was just below it.
      let s = first;
      for (let k = 0; k < 4; k++) {
        const rows = s.rows;
        const at = rows.findIndex((r) => r.selected);
        const below = rows[at + 1];
        const pos = s.position!.at;
        pane.keys('j');
        s = await pane.waitFor(`j to select row ${pos + 1}`, (x) => x.position?.at === pos + 1);
        assert.equal(s.selected?.text, below.text, 'the selection moved down one row');
      }

      // PgDn: the selection jumps by most of a page and the list scrolls.
      const topBefore = s.rows[0].text;
      const posBefore = s.position!.at;
      pane.keys('NPage');
      s = await pane.waitFor('PgDn', (x) => (x.position?.at ?? 0) > posBefore + 1);
      assert.notEqual(s.rows[0].text, topBefore, 'the list scrolled');
      assert.ok(s.rows.some((r) => r.selected), 'the selection is on screen');

      // g: back to the first row.
      pane.keys('g');
      s = await pane.waitFor('g to the first row', (x) => x.position?.at === 1);
      assert.equal(s.selected?.text, first.selected?.text);

      // /ctl Enter: only control rows, as many as the header counts control frames.
      pane.type('/ctl');
      await pane.waitFor('the filter prompt', (x) => x.has('/ctl█'));
      pane.keys('Enter');
      s = await pane.waitFor('the ctl filter', (x) => x.has('[filter: ctl]') && x.position?.of === control);
      assert.ok(s.has(`${control} records match "ctl"`), s.text);
      assert.equal(s.rows.length, Math.min(control, first.rows.length), 'the list shows the control rows only');
      for (const r of s.rows) assert.equal(r.label, 'CTRL', `a control row: ${r.text}`);

      // Down to the scan request, open the detail pane: tree, transaction, link to the reply.
      s = await selectDownTo(pane, /C→B  CTRL\s+\d+  scan #\d+$/, control);
      const request = s.selected!;
      const id = /scan #(\d+)$/.exec(request.text)![1];
      pane.keys('Enter');
      s = await pane.waitFor('the detail pane', (x) => x.detailPosition !== null && x.has(`Control: scan id ${id}`));
      // The pane's title and the status bar count the same list: the filtered rows.
      assert.deepEqual(s.detailPosition, s.position, `detail title and status bar agree:\n${s.text}`);
      assert.deepEqual(s.position, { at: s.position!.at, of: control, shown: true }, 'the filter hides records: "of N shown"');
      assert.match(s.text, /Frame header/);
      assert.match(s.text, /SPI txn #\d+ /);
      assert.match(s.text, /frame MOSI \(\d+ bytes\)/, 'the hex dump title');
      assert.match(s.text, /0000 b5 /, 'the hex dump starts with the sync byte');
      const replyLine = /reply: scan_result #(\d+) after (\S+ \S+) \(r jumps\)/.exec(s.text);
      assert.ok(replyLine, `the reply link in the detail pane:\n${s.text}`);
      assert.equal(replyLine[1], id, 'the reply has the request id');

      // r: the selection jumps to the reply; the pane shows the request and the same latency.
      pane.keys('r');
      s = await pane.waitFor('r to the reply', (x) => new RegExp(`scan_result #${id} `).test(x.selected?.text ?? '') && x.has(`request: scan #${id}, latency`));
      const reply = s.selected!;
      assert.match(reply.text, /B→C  CTRL/);
      const back = /request: scan #\d+, latency (\S+ \S+) \(r jumps\)/.exec(s.text);
      assert.equal(back?.[1], replyLine[2], 'the same latency both ways');
      const latency = parseDuration(replyLine[2]);
      const between = reply.timeUs - request.timeUs;
      assert.ok(Math.abs(between - latency.us) <= latency.tolerance, `latency ${replyLine[2]} vs list times ${request.timeUs} -> ${reply.timeUs} µs`);

      // r again: back to the request.
      pane.keys('r');
      s = await pane.waitFor('r back to the request', (x) => x.selected?.text === request.text);

      // Esc closes the detail pane, Esc again clears the filter (the selection stays on the request).
      pane.keys('Escape');
      s = await pane.waitFor('Esc closes the detail pane', (x) => !/── record \d+ of/.test(x.text));
      pane.keys('Escape');
      s = await pane.waitFor('Esc clears the filter', (x) => x.has('filter cleared') && x.position?.of === listed);
      assert.equal(s.selected?.text, request.text);
      assert.ok(s.rows.some((r) => r.label !== 'CTRL'), 'other lanes are back');

      // Both Escs in one send-keys (tmux writes them together, as fast typing does): both count.
      pane.type('/ctl');
      await pane.waitFor('the filter prompt again', (x) => x.has('/ctl█'));
      pane.keys('Enter');
      await pane.waitFor('the ctl filter again', (x) => x.has('[filter: ctl]') && x.position?.of === control);
      pane.keys('Enter');
      await pane.waitFor('the detail pane again', (x) => x.detailPosition !== null);
      pane.keys('Escape', 'Escape');
      s = await pane.waitFor('Esc Esc: the pane closed and the filter cleared', (x) => x.detailPosition === null && !x.has('[filter:') && x.position?.of === listed);
      assert.equal(s.selected?.text, request.text, 'the selection stays on its record');

      await pane.quit();
    } finally {
      pane.kill();
    }
  });

  test('120x40 demo: full detail tree, get_status reply latency, zoom, show-all toggle, quit', async () => {
    const pane = newPane();
    try {
      pane.start('captures/demo.pcapng', 120, 40);
      const { screen: first, records } = await pane.loaded('captures/demo.pcapng');
      assert.ok(first.rows.length > 15, 'a taller terminal lists more rows');
      assert.ok(first.lines.every((l) => l.length <= 120), 'nothing wider than the terminal');

      // ? search for the get_status request.
      pane.type('?get_status');
      await pane.waitFor('the search prompt', (x) => x.has('?get_status█'));
      pane.keys('Enter');
      let s = await pane.waitFor('the search to find get_status', (x) => /C→B  CTRL\s+\d+  get_status #\d+/.test(x.selected?.text ?? ''));
      assert.ok(s.has('[find: get_status]'));
      const request = s.selected!;
      const id = /get_status #(\d+)/.exec(request.text)![1];

      // Enter: at this size the frame header is not folded, so its fields are listed.
      pane.keys('Enter');
      s = await pane.waitFor('the detail pane', (x) => x.has(`Control: get_status id ${id}`));
      for (const field of ['▾ Frame header', 'channel: 1 (control)', 'flags: ', 'length: ', 'credit: ', 'epoch: ']) assert.ok(s.has(field), `${field} in\n${s.text}`);
      assert.match(s.text, /^\s+seq: \d+ /m);
      assert.match(s.text, /0000 b5 01 01 /, '16 bytes per hex line at this width');
      const replyLine = /reply: status #(\d+) after (\S+ \S+) \(r jumps\)/.exec(s.text);
      assert.ok(replyLine, `the reply link:\n${s.text}`);
      assert.equal(replyLine[1], id);

      pane.keys('r');
      s = await pane.waitFor('r to the status reply', (x) => new RegExp(`status #${id} `).test(x.selected?.text ?? '') && x.has(`request: get_status #${id}, latency ${replyLine[2]}`));
      assert.match(s.text, /state: "/, 'the decoded status fields');
      const latency = parseDuration(replyLine[2]);
      assert.ok(Math.abs(s.selected!.timeUs - request.timeUs - latency.us) <= latency.tolerance, `latency ${replyLine[2]}`);

      // Tab focuses the detail pane (its rule turns cyan, the selected row loses its highlight):
      // ↓ then moves the hex field cursor, not the selection. Tab again gives ↓ back to the list.
      assert.match(s.text, /▸ sync \(byte 0\) = 181 \(0xb5\)/, 'the hex cursor starts on the sync byte');
      const styled = (): string => pane.styled();
      await pane.waitFor('the list to have the focus after Enter', () => isListFocused(styled()));
      const at = s.position!.at;
      pane.keys('Tab');
      await pane.waitFor('Tab to focus the detail pane', () => isDetailFocused(styled()));
      pane.keys('Down');
      s = await pane.waitFor('the hex cursor to move', (x) => /▸ [a-z_]+ \(bytes? [1-9]/.test(x.text));
      assert.equal(s.position?.at, at, 'the list selection did not move');
      pane.keys('Tab');
      await pane.waitFor('Tab back to the list', () => isListFocused(styled()));
      pane.keys('Down');
      s = await pane.waitFor('Down to move the selection again', (x) => x.position?.at === at + 1);
      pane.keys('Up');
      s = await pane.waitFor('Up back to the reply', (x) => x.position?.at === at);

      // + zooms the strip in (the axis label shows the factor), - back out.
      pane.keys('Escape');
      s = await pane.waitFor('Esc closes the detail pane', (x) => !/── record \d+ of/.test(x.text));
      assert.match(s.text, /^all   /m);
      pane.keys('+');
      s = await pane.waitFor('zoom ×2', (x) => /^×2 /m.test(x.text));
      pane.keys('-');
      s = await pane.waitFor('zoom back out', (x) => /^all   /m.test(x.text));

      // a: idle frames and raw transactions join the list (every record), a again hides them.
      const listed = s.position!.of;
      const selected = s.selected?.text;
      pane.keys('a');
      s = await pane.waitFor('a shows all records', (x) => x.has('[all]') && x.position?.of === records);
      assert.equal(s.selected?.text, selected, 'the selection stays on the reply');
      assert.ok(s.rows.some((r) => r.label === 'SPI' || r.label === 'IDLE'), `raw transactions or idle frames listed:\n${s.text}`);
      pane.keys('a');
      s = await pane.waitFor('a hides them again', (x) => !x.has('[all]') && x.position?.of === listed);

      await pane.quit();
    } finally {
      pane.kill();
    }
  });

  test('80x24 with a long file path: the header keeps the name, duration, record count and anomalies readable', async () => {
    const pane = newPane();
    try {
      const long = join(dir, 'field-tests', '2026-11-24', 'buddy-link-overnight-soak-run-3-demo.pcapng');
      mkdirSync(join(dir, 'field-tests', '2026-11-24'), { recursive: true });
      copyFileSync(join(ROOT, 'captures/demo.pcapng'), long);
      pane.start(long, 80, 24);
      const { screen: s, records } = await pane.loaded(long);
      assert.match(s.lines[0], /^…\/buddy-link-overnight-soak-run-3-demo\.pcapng {2}\d+\.\d{3} s {2}199 records\s*$/, 'folders and format made room');
      assert.equal(records, 199);
      assert.match(s.lines[1], /│ anomalies 0\s*$/, `the anomaly count is whole: ${s.lines[1]}`);
      assert.ok(s.lines.every((l) => l.length <= 80), 'nothing wider than the terminal');
      await pane.quit();
    } finally {
      pane.kill();
    }
  });

  test('80x24 noisy bus: anomalies-only filter, n to the next match, anomaly detail, quit', async () => {
    const pane = newPane();
    try {
      pane.start(noisy, 80, 24);
      const { screen: first } = await pane.loaded(noisy);
      const anomalies = Number(/│ anomalies (\d+)/.exec(first.lines[1])?.[1]);
      assert.ok(anomalies >= 5, `the header counts the anomalies: ${first.lines[1]}`);

      // /! Enter: anomaly rows only, as many as the header counts.
      pane.type('/!');
      await pane.waitFor('the filter prompt', (x) => x.has('/!█'));
      pane.keys('Enter');
      let s = await pane.waitFor('the anomalies filter', (x) => x.has('[filter: !]') && x.position?.of === anomalies);
      assert.ok(s.has(`${anomalies} records match "!"`));
      assert.equal(s.rows.length, Math.min(anomalies, first.rows.length), 'the list shows the anomaly rows only');
      const codes = new Set<string>();
      for (const r of s.rows) {
        assert.equal(r.label, 'ANOM', `an anomaly row: ${r.text}`);
        const code = /ANOM\s+([a-z-]+):/.exec(r.text)?.[1] ?? '';
        assert.ok((ANOMALY_CODES as readonly string[]).includes(code), `a known anomaly code: ${r.text}`);
        codes.add(code);
      }
      for (const c of ['cs-glitch', 'lost-frames', 'payload-crc']) assert.ok(codes.has(c), `${c} among ${[...codes].join(', ')}`);

      // n: the next match of the filter is the next row.
      const second = s.rows[1].text;
      pane.keys('n');
      s = await pane.waitFor('n to the next anomaly', (x) => x.position?.at === 2);
      assert.equal(s.selected?.text, second);

      // ?payload-crc: find a payload CRC error, n goes on to the next one further down.
      pane.type('?payload-crc');
      await pane.waitFor('the search prompt', (x) => x.has('?payload-crc█'));
      pane.keys('Enter');
      s = await pane.waitFor('the first payload-crc', (x) => /ANOM\s+payload-crc:/.test(x.selected?.text ?? ''));
      const firstAt = s.position!.at;
      const firstRow = s.selected!.text;
      const firstUs = s.selected!.timeUs;
      pane.keys('n');
      s = await pane.waitFor('n to the next payload-crc', (x) => (x.position?.at ?? 0) > firstAt && /ANOM\s+payload-crc:/.test(x.selected?.text ?? ''));
      assert.notEqual(s.selected?.text, firstRow);
      pane.keys('N');
      s = await pane.waitFor('N back to the previous payload-crc', (x) => x.position?.at === firstAt);
      assert.equal(s.selected?.text, firstRow);

      // Enter: the anomaly's detail (its code, the transaction it came from, the bytes).
      pane.keys('Enter');
      // (Matched loosely: the tree's wording may improve, the facts must stay.)
      s = await pane.waitFor('the anomaly detail', (x) => x.detail.includes('payload-crc'));
      assert.match(s.detail, /frame CRC 0x[0-9a-f]+/);
      assert.match(s.detail, /SPI txn #\d+ /);
      // One time base: the row's time is the one the tree gives "from capture start" (cut at 80 columns).
      const treeUs = /time: (\d+\.\d{3}) µs/.exec(s.detail);
      assert.ok(treeUs, `a time in the anomaly's tree: ${s.detail}`);
      assert.equal(Number(treeUs[1]), firstUs, `list ${firstUs} µs, detail ${treeUs[1]} µs`);
      assert.match(s.text, / [0-9a-f]{4}( [0-9a-f]{2}){4,}/, 'the faulty frame in the hex dump');
      assert.match(s.text, /▸ [a-z]+ \d* ?\(bytes? \d+/, 'the hex cursor on the faulty bytes');

      // G with the filter on: the last anomaly, and n says there is no further match.
      pane.keys('Escape');
      await pane.waitFor('Esc closes the detail pane', (x) => !/── record \d+ of/.test(x.text));
      pane.keys('G');
      s = await pane.waitFor('G to the last anomaly', (x) => x.position?.at === anomalies);
      pane.keys('n');
      s = await pane.waitFor('no further match', (x) => /\[find: payload-crc\] {2}no further match\s*$/m.test(x.text));

      await pane.quit();
    } finally {
      pane.kill();
    }
  });

  test('160x56 esp-hosted MCU capture: protocol and SPI mode in the header, control, line and ETH rows, idle on a, request detail, r to the reply, hex fields, ctl filter, quit', async () => {
    const pane = newPane();
    try {
      const file = 'captures/esp-hosted/mcu.sr';
      pane.start(file, 160, 56);
      const { screen: first, records } = await pane.loaded(file, 'logic-analyzer export');

      // Header: the file and its format, the protocol it was detected to be, the SPI mode the link frames gave.
      assert.match(first.lines[0], /^captures\/esp-hosted\/mcu\.sr \(logic-analyzer export\) {2}\d+\.\d{3} ms {2}\d+ records\s*$/);
      assert.match(first.lines[1], /│ anomalies 0 │ esp-hosted-mcu │ SPI mode 3 \(CPOL 1, CPHA 1\), MSB first, CS active low \(detected from link frames\)\s*$/);
      assert.ok(first.lines.every((l) => l.length <= 160), 'nothing wider than the terminal');
      // The strip names the side-band lines as esp-hosted does, its label column widened to fit.
      assert.match(first.text, /^HANDSHAKE  [▁▇▒]{149}$/m, `the handshake lane:\n${first.text}`);
      assert.match(first.text, /^DATA-READY [▁▇▒]{149}$/m, 'the data-ready lane');
      assert.ok(!/^(READY|IRQ) /m.test(first.text), 'no lane under the buddy link\'s line names');
      const control = headerCount(first, 'control');
      const ethernet = headerCount(first, 'ethernet');
      const idle = headerCount(first, 'idle');
      assert.ok(control >= 4 && ethernet >= 1 && idle >= 1, `control, ethernet and idle frames in the header: ${first.lines[1]}`);

      // The list, whole on one screen: control and Ethernet rows as the header counts them, handshake
      // and data-ready edges; no idle directions or raw transactions (they are hidden until a).
      const listed = first.position!.of;
      const rows = first.rows;
      assert.equal(rows.length, listed, 'the whole list on screen');
      assert.ok(first.position!.shown && listed < records, `idle and raw records left out: ${listed} of ${records}`);
      assert.ok(!rows.some((r) => r.label === 'IDLE' || r.label === 'SPI'), `no idle or raw rows:\n${first.text}`);
      assert.equal(rows.filter((r) => r.label === 'CTRL').length, control, 'a CTRL row per control frame the header counts');
      assert.equal(rows.filter((r) => r.label === 'ETH').length, ethernet, 'an ETH row per Ethernet frame the header counts');
      const request = rows.find((r) => /C→B {2}CTRL\s+1 {2}host→ESP ctrl Req_GetMACAddress #1$/.test(r.text));
      const reply = rows.find((r) => /B→C {2}CTRL\s+1 {2}ESP→host ctrl Resp_GetMACAddress #1$/.test(r.text));
      assert.ok(request && reply && reply.timeUs > request.timeUs, `the GetMACAddress request and its response, in that order:\n${first.text}`);
      assert.ok(rows.some((r) => /C→B {2}ETH\s+\d+ {2}host→ESP STA eth \d+ B ARP who-has [\d.]+ tell [\d.]+$/.test(r.text)), `the ARP frame:\n${first.text}`);
      const edges = rows.filter((r) => r.label === 'LINE');
      for (const r of edges) assert.match(r.text, / {3}LINE\s+(HANDSHAKE|DATA-READY) (high|low)$/, 'a line edge by the protocol\'s name');
      for (const e of ['HANDSHAKE high', 'HANDSHAKE low', 'DATA-READY high', 'DATA-READY low']) assert.ok(edges.some((r) => r.text.endsWith(e)), `${e} listed`);
      assert.equal(rows.length, control + ethernet + edges.length, 'nothing else in the list');

      // a: the idle directions and the raw transactions join the list (every record), a again hides them.
      pane.keys('a');
      let s = await pane.waitFor('a shows all records', (x) => x.has('[all]') && x.position?.of === records);
      assert.equal(s.selected?.text, first.selected?.text, 'the selection stays');
      assert.ok(s.rows.some((r) => /C→B {2}IDLE\s+host→ESP idle$/.test(r.text)) && s.rows.some((r) => /B→C {2}IDLE\s+ESP→host idle$/.test(r.text)), `idle rows both ways:\n${s.text}`);
      assert.ok(s.rows.some((r) => /SPI\s+SPI #\d+ {2}MOSI(?: [0-9a-f]{2})+ \.\.\. \(\d+ words\) {2}MISO/.test(r.text)), `raw transactions:\n${s.text}`);
      pane.keys('a');
      s = await pane.waitFor('a hides them again', (x) => !x.has('[all]') && x.position?.of === listed);
      assert.ok(!s.rows.some((r) => r.label === 'IDLE' || r.label === 'SPI'));

      // j down to the request, one j past it and k back.
      s = await selectDownTo(pane, /Req_GetMACAddress #1$/, listed);
      assert.equal(s.selected?.text, request.text);
      const at = s.position!.at;
      pane.keys('j');
      s = await pane.waitFor('j past the request', (x) => x.position?.at === at + 1);
      assert.notEqual(s.selected?.text, request.text);
      pane.keys('k');
      s = await pane.waitFor('k back to the request', (x) => x.position?.at === at);
      assert.equal(s.selected?.text, request.text);

      // Enter: the header fields, as the hex dump's bytes say, and the decoded message.
      pane.keys('Enter');
      s = await pane.waitFor('the request detail', (x) => x.detailPosition !== null && x.detail.includes('▾ control: Req_GetMACAddress'));
      assert.deepEqual(s.detailPosition, s.position, 'detail title and status bar agree');
      const tree = (d: string, name: string): string => {
        const m = new RegExp(`^\\s+${name}: (\\S+)`, 'm').exec(d);
        assert.ok(m, `${name} in the tree:\n${d}`);
        return m[1];
      };
      const le16 = (b: readonly number[], k: number): number => b[k] | (b[k + 1] << 8);
      const mosi = hexSection(s.detail, 'frame MOSI');
      // One line says where the frame was: variant, transaction, direction.
      const where = /^\s+ESP-Hosted-MCU, txn (\d+), host→ESP\s/m.exec(s.detail);
      assert.ok(where, `variant, transaction and direction:\n${s.detail}`);
      assert.match(s.detail, /^\s+if_type: 3 \(serial\)/m, 'control travels on the serial interface');
      assert.equal(Number(tree(s.detail, 'if_type')), mosi[0] & 0x0f, 'if_type is the low nibble of byte 0');
      assert.equal(Number(tree(s.detail, 'len')), le16(mosi, 2), 'len: bytes 2-3');
      assert.equal(Number(tree(s.detail, 'offset')), le16(mosi, 4), 'offset: bytes 4-5');
      assert.equal(mosi.length, le16(mosi, 4) + le16(mosi, 2), 'the frame is the payload at its offset');
      assert.equal(tree(s.detail, 'checksum'), `0x${le16(mosi, 6).toString(16).padStart(4, '0')}`, 'checksum: bytes 6-7');
      assert.match(s.detail, /^\s+checksum: 0x[0-9a-f]{4} \(good\)/m);
      assert.equal(Number(tree(s.detail, 'seq_num')), le16(mosi, 8), 'seq_num: bytes 8-9');
      assert.match(s.detail, /^\s+msg_type: 1 \(Req\)/m);
      assert.match(s.detail, /^\s+msg_id: \d+ \(Req_GetMACAddress\)/m);
      const txn = /^SPI txn #(\d+) {2}/m.exec(s.detail);
      assert.ok(txn, `the transaction line:\n${s.detail}`);
      assert.equal(where[1], txn[1], 'the tree and the transaction line name the same transaction');
      const replyLine = /^reply: .+ after (\S+ \S+) \(r jumps\)/m.exec(s.detail);
      assert.ok(replyLine, `the reply link:\n${s.detail}`);

      // r: to the response; the pane links back with the same latency, which the list times agree with.
      pane.keys('r');
      s = await pane.waitFor('r to the response', (x) => x.selected?.text === reply.text && x.detail.includes('▾ control: Resp_GetMACAddress'));
      const back = /^request: .+, latency (\S+ \S+) \(r jumps\)/m.exec(s.detail);
      assert.equal(back?.[1], replyLine[1], `the same latency both ways:\n${s.detail}`);
      const latency = parseDuration(replyLine[1]);
      assert.ok(Math.abs(reply.timeUs - request.timeUs - latency.us) <= latency.tolerance, `latency ${replyLine[1]} vs list times ${request.timeUs} -> ${reply.timeUs} µs`);
      assert.match(s.detail, /^\s+ESP-Hosted-MCU, txn \d+, ESP→host\s/m);
      assert.match(s.detail, /^\s+msg_type: 2 \(Resp\)/m);
      const miso = hexSection(s.detail, 'frame MISO');
      assert.equal(Number(tree(s.detail, 'len')), le16(miso, 2));

      // Tab: the detail pane takes the keys; ↓ walks the header fields in wire order, each read from its bytes.
      const styled = (): string => pane.styled();
      const replyAt = s.position!.at;
      pane.keys('Tab');
      await pane.waitFor('Tab to focus the detail pane', () => isDetailFocused(styled()));
      const hex2 = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;
      assert.equal(fieldLine(pane.screen()), `if_type:4 / if_num:4 (byte 0) = ${miso[0]} (${hex2(miso[0])})`, 'the hex cursor starts on byte 0');
      const fields = [
        `flags (byte 1) = ${miso[1]} (${hex2(miso[1])})`,
        `len (bytes 2-3) = ${le16(miso, 2)}`,
        `offset (bytes 4-5) = ${le16(miso, 4)}`,
        `checksum (bytes 6-7) = ${le16(miso, 6)}`,
        `seq_num (bytes 8-9) = ${le16(miso, 8)}`,
      ];
      for (const want of fields) {
        pane.keys('Down');
        s = await pane.waitFor(`the hex cursor on "${want}"`, (x) => fieldLine(x) === want);
        assert.equal(s.position?.at, replyAt, 'the list selection did not move');
      }
      pane.keys('Up');
      s = await pane.waitFor('Up back to the checksum', (x) => fieldLine(x) === fields[3]);

      // PgDn scrolls the tree to the rest of the message: the MAC address, whose bytes are in the payload.
      pane.keys('NPage');
      s = await pane.waitFor('PgDn to the MAC address', (x) => /^\s+mac: [0-9a-f]{2}(:[0-9a-f]{2}){5}\b/m.test(x.detail));
      const mac = /^\s+mac: (\S+)/m.exec(s.detail)![1].split(':').map((b) => parseInt(b, 16));
      const payload = miso.slice(le16(miso, 4)).map((b) => b.toString(16).padStart(2, '0')).join(' ');
      assert.ok(payload.includes(mac.map((b) => b.toString(16).padStart(2, '0')).join(' ')), `the MAC's bytes in the payload: ${payload}`);
      assert.match(s.detail, /response to request: #1\b/);
      assert.equal(fieldLine(s), fields[3], 'PgDn leaves the hex cursor');
      assert.equal(s.position?.at, replyAt);

      // Tab back to the list, Esc closes the pane.
      pane.keys('Tab');
      await pane.waitFor('Tab back to the list', () => isListFocused(styled()));
      pane.keys('Escape');
      s = await pane.waitFor('Esc closes the detail pane', (x) => x.detailPosition === null);

      // /ctl Enter: only control rows, as many as the header counts; the selection stays on the response.
      pane.type('/ctl');
      await pane.waitFor('the filter prompt', (x) => x.has('/ctl█'));
      pane.keys('Enter');
      s = await pane.waitFor('the ctl filter', (x) => x.has('[filter: ctl]') && x.position?.of === control);
      assert.ok(s.has(`${control} records match "ctl"`), s.text);
      assert.equal(s.rows.length, control, 'the list shows the control rows only');
      for (const r of s.rows) assert.equal(r.label, 'CTRL', `a control row: ${r.text}`);
      assert.equal(s.selected?.text, reply.text);
      pane.keys('Escape');
      s = await pane.waitFor('Esc clears the filter', (x) => !x.has('[filter:') && x.position?.of === listed);

      await pane.quit([/: link protocol: esp-hosted-mcu \(ESP-Hosted-MCU\), detected\b/]);
    } finally {
      pane.kill();
    }
  });

  test('120x40 a CC1101 radio (another SPI device): the no-link-frames row, then every transaction with its bytes; Enter shows MOSI and MISO', async () => {
    const pane = newPane();
    try {
      const file = 'test/fixtures/real/sigrok-dumps-spi/cc1101/cc1101-burst-read.sr';
      pane.start(file, 120, 40);
      const { screen: first, records } = await pane.loaded(file, 'logic-analyzer export');
      assert.match(first.lines[1], /^frames: none │ anomalies 1 \(no-link-frames 1\) │ SPI mode \d/);

      // Nothing hidden: the anomaly first, then the transactions in order, each with both directions' bytes.
      assert.deepEqual(first.position, { at: 1, of: records, shown: false }, 'every record listed');
      const rows = first.rows;
      assert.equal(rows.length, records);
      assert.equal(rows[0].label, 'ANOM');
      assert.match(rows[0].text, /ANOM\s+no-link-frames: no .*link frame/);
      const txns = rows.slice(1);
      assert.ok(txns.length >= 3, `transactions listed:\n${first.text}`);
      txns.forEach((r, k) => assert.match(r.text, new RegExp(`   SPI\\s+SPI #${k} {2}MOSI( [0-9a-f]{2})+ {2}MISO( [0-9a-f]{2})+$`), `transaction ${k}, whole`));
      const burst = txns.find((r) => /SPI #2 {2}MOSI ff 00 00 .* {2}MISO 0c 70 cc /.test(r.text));
      assert.ok(burst, `the burst read:\n${first.text}`);

      // Enter on the burst read: its MOSI and MISO in the hex dump, the bytes the row shows.
      let s = await selectDownTo(pane, /SPI #2 {2}MOSI/, records);
      pane.keys('Enter');
      s = await pane.waitFor('the transaction detail', (x) => x.detailPosition !== null && /^SPI txn #2 /m.test(x.detail));
      const [, rowMosi, rowMiso] = /MOSI((?: [0-9a-f]{2})+) {2}MISO((?: [0-9a-f]{2})+)$/.exec(burst.text)!;
      const bytes = (text: string): number[] => text.trim().split(' ').map((b) => parseInt(b, 16));
      assert.deepEqual(hexSection(s.detail, 'MOSI'), bytes(rowMosi), 'MOSI in the hex dump');
      assert.deepEqual(hexSection(s.detail, 'MISO'), bytes(rowMiso), 'MISO in the hex dump');
      assert.match(s.detail, new RegExp(`^SPI txn #2 {2}${burst.timeUs.toFixed(3)}–\\S+ µs \\(\\S+ \\S+\\) {2}MOSI ${bytes(rowMosi).length} B {2}MISO ${bytes(rowMiso).length} B\\s*$`, 'm'));

      // Tab, ↓: the hex cursor goes from MOSI to MISO.
      assert.equal(fieldLine(s), `MOSI (bytes 0-${bytes(rowMosi).length - 1})`);
      pane.keys('Tab');
      await pane.waitFor('Tab to focus the detail pane', () => isDetailFocused(pane.styled()));
      pane.keys('Down');
      s = await pane.waitFor('the hex cursor on MISO', (x) => fieldLine(x) === `MISO (bytes 0-${bytes(rowMiso).length - 1})`);

      await pane.quit([/: SPI mode \d .*from the signal timing/, /: link protocol: none recognised/]);
    } finally {
      pane.kill();
    }
  });

  test('80x24 a MOSI-only capture (ADF4351 synthesizer, --channels): the SPI transactions with "MISO -"', async () => {
    const pane = newPane();
    try {
      const file = 'test/fixtures/real/sigrok-dumps-spi/adf4351/set-4000mhz.sr';
      pane.start(file, 80, 24, ['--channels', 'cs=0,mosi=1,sck=2']);
      const { screen: first, records } = await pane.loaded(file, 'logic-analyzer export');
      assert.match(first.lines[1], /^frames: none │ anomalies \d+/);
      const anomalies = Number(/│ anomalies (\d+)/.exec(first.lines[1])![1]);
      assert.ok(first.lines.every((l) => l.length <= 80), 'nothing wider than the terminal');

      assert.deepEqual(first.position, { at: 1, of: records, shown: false }, 'every record listed');
      assert.equal(first.rows.length, records, 'the whole list on screen');
      const txns = first.rows.filter((r) => r.label === 'SPI');
      assert.equal(txns.length, records - anomalies, 'every record not an anomaly is a transaction');
      assert.ok(txns.length >= 3);
      txns.forEach((r, k) => assert.match(r.text, new RegExp(`   SPI\\s+SPI #${k} {2}MOSI( [0-9a-f]{2})+ {2}MISO -$`), `transaction ${k}: MOSI bytes, no MISO`));

      // Enter on the first: its MOSI bytes in the hex dump, an empty MISO.
      assert.equal(first.selected?.text, txns[0].text);
      pane.keys('Enter');
      const s = await pane.waitFor('the transaction detail', (x) => x.detailPosition !== null && /^SPI txn #0 /m.test(x.detail));
      const rowMosi = /MOSI((?: [0-9a-f]{2})+) {2}MISO -$/.exec(txns[0].text)![1].trim().split(' ').map((b) => parseInt(b, 16));
      assert.deepEqual(hexSection(s.detail, 'MOSI'), rowMosi);
      assert.deepEqual(hexSection(s.detail, 'MISO'), [], 'MISO (0 bytes)');

      await pane.quit([/: every link protocol needs both MOSI and MISO; this capture has MOSI only/, /: SPI mode \d .*from the signal timing/]);
    } finally {
      pane.kill();
    }
  });

  test('notes made while the viewer runs are printed on the terminal after it quits, not drawn over or lost with its screen', async () => {
    const pane = newPane();
    try {
      const file = 'captures/esp-hosted/mcu.sr';
      pane.start(file, 120, 30, [], { stderrOnPane: true });
      const { screen: first } = await pane.loaded(file, 'logic-analyzer export');
      assert.ok(!first.has('buddyshark: note:'), `no note drawn into the viewer:\n${first.text}`);
      pane.keys('q');
      const until = Date.now() + TIMEOUT_MS;
      while (!existsSync(pane.rcFile)) {
        if (Date.now() > until) assert.fail(`the viewer did not quit on q; screen was:\n${pane.screen().text}`);
        await sleep(POLL_MS);
      }
      assert.equal(readFileSync(pane.rcFile, 'utf8').trim(), '0', 'viewer exit status');
      const after = await pane.waitFor('the note on the terminal', (x) => x.has('buddyshark: note:'));
      const notes = after.lines.filter((l) => l.startsWith('buddyshark: note:'));
      assert.equal(notes.length, 1, `one note:\n${after.text}`);
      assert.match(notes[0], /: link protocol: esp-hosted-mcu \(ESP-Hosted-MCU\), detected\b/);
      assert.ok(!after.has(/record \d+ of/), 'the viewer\'s screen is gone');
    } finally {
      pane.kill();
    }
  });
});
