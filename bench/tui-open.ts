/**
 * Benchmark of the viewer (`buddyshark view`) on a large capture: generates 1 M synthetic records
 * in memory (transactions, idle and control frames in both directions with request/reply pairs,
 * READY changes, some anomalies), then times building the RecordIndex and the first frame (the
 * "open"), and for a set of key presses the reducer plus the redraw at 80x24 by one long-lived Ink
 * instance writing to a stand-in terminal (the same tree and the same Ink work as on a terminal). Targets: open < 3 s, a
 * navigation key < 50 ms. The machine's load shows in the figures: run it on a quiet one.
 *
 * Usage: node --import tsx bench/tui-open.ts [records=1e6]
 * Example output: "open: 1000000 records indexed in 0.412 s" then one line per key.
 */
import { EventEmitter } from 'node:events';
import type { DecodedPayload, BuddyRecord, FrameRecord } from '../src/records/types.ts';
import type { KeyInfo } from '../src/tui/keymap.ts';
import type { ViewAction, ViewState } from '../src/tui/view-state.ts';

// React's development build records every changed prop for its performance tracks, which costs
// seconds on a million-row view: measure what users run (the CLI sets the same before loading Ink).
process.env.NODE_ENV ??= 'production';
const { createElement, useState } = await import('react');
const { render, renderToString } = await import('ink');
const { controlMessage, encodeControl } = await import('../src/protocol/control.ts');
const { ViewerFrame } = await import('../src/tui/components/viewer.tsx');
const { computeLayout } = await import('../src/tui/layout.ts');
const { RecordIndex } = await import('../src/tui/record-index.ts');
const { activeLanes } = await import('../src/tui/strip.ts');
const { initialViewState, viewReducer } = await import('../src/tui/view-state.ts');

const target = Number(process.argv[2] ?? 1e6);
const WIDTH = 80;
const HEIGHT = 23;

function generate(n: number): BuddyRecord[] {
  const out: BuddyRecord[] = [];
  const empty = new Uint8Array(0);
  const txnBytes = new Uint8Array(64);
  const frame = (t: number, txn: number, dir: FrameRecord['dir'], seq: number, extra: Partial<FrameRecord> = {}): FrameRecord => ({
    kind: 'frame', startNs: t, endNs: t + 6_400, txn, dir, channel: 0, flags: 4, seq, ack: 0, credit: 8, epoch: 1, payload: empty, ...extra,
  });
  let t = 0;
  let txn = 0;
  let id = 1;
  while (out.length < n) {
    out.push({ kind: 'txn', startNs: t, endNs: t + 6_400, txn, mosi: txnBytes, miso: txnBytes });
    if (txn % 50 === 0) {
      // A request now; its reply on the next transaction.
      const msg = controlMessage('get_status', id, {});
      const bytes = encodeControl(msg);
      const decoded: DecodedPayload = { kind: 'control', msg };
      out.push(frame(t, txn, 'cpu-to-buddy', txn, { channel: 1, payload: bytes, message: bytes, fragments: 1, decoded }));
      out.push(frame(t, txn, 'buddy-to-cpu', txn));
    } else if (txn % 50 === 1) {
      const msg = controlMessage('ok', id++, {});
      const bytes = encodeControl(msg);
      out.push(frame(t, txn, 'cpu-to-buddy', txn));
      out.push(frame(t, txn, 'buddy-to-cpu', txn, { channel: 1, payload: bytes, message: bytes, fragments: 1, decoded: { kind: 'control', msg } }));
    } else {
      out.push(frame(t, txn, 'cpu-to-buddy', txn));
      out.push(frame(t, txn, 'buddy-to-cpu', txn));
    }
    if (txn % 10 === 0) out.push({ kind: 'line', line: 'ready', level: ((txn / 10) & 1) as 0 | 1, startNs: t + 7_000, endNs: t + 7_000 });
    if (txn % 997 === 0) out.push({ kind: 'anomaly', code: 'header-crc', detail: 'synthetic', txn, dir: 'buddy-to-cpu', offset: 12, startNs: t, endNs: t + 6_400 });
    t += 10_000;
    txn++;
  }
  out.length = n;
  return out;
}

const NO_KEY: KeyInfo = {
  upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false,
  return: false, escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false,
};
const key = (input: string, k: Partial<KeyInfo> = {}): ViewAction => ({ type: 'key', input, key: { ...NO_KEY, ...k } });

console.log(`generating ${target} records ...`);
const records = generate(target);

const t0 = performance.now();
const index = new RecordIndex('synthetic');
for (let i = 0; i < records.length; i += 1024) index.append(records.slice(i, i + 1024));
index.done = true;
const tIndex = performance.now();
let state: ViewState = initialViewState(index, computeLayout(WIDTH, HEIGHT, false, activeLanes(index).length).listHeight);
const first = renderToString(createElement(ViewerFrame, { index, state, width: WIDTH, height: HEIGHT }), { columns: WIDTH });
const tOpen = performance.now();
console.log(`open: ${index.length} records indexed in ${((tIndex - t0) / 1000).toFixed(3)} s, first frame after ${((tOpen - t0) / 1000).toFixed(3)} s (target < 3 s)`);
if (!first.includes('get_status')) throw new Error('the first frame does not show the records');

const reduce = viewReducer(index);

/** A terminal stand-in: Ink writes each frame here, which ends the timing of a key press. */
class FakeTerminal extends EventEmitter {
  readonly columns = WIDTH;
  readonly rows = HEIGHT + 1;
  readonly isTTY = false;
  frames = 0;
  private waiting: (() => void) | null = null;
  write(_chunk: string): boolean {
    this.frames++;
    this.waiting?.();
    this.waiting = null;
    return true;
  }
  /** Resolves on the next frame, or after 5 s (a state that draws the same frame writes nothing). */
  nextFrame(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, 5000);
      this.waiting = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

let setViewState: (s: ViewState) => void = () => {};
function Harness({ initial }: { readonly initial: ViewState }) {
  const [s, set] = useState(initial);
  setViewState = set;
  return createElement(ViewerFrame, { index, state: s, width: WIDTH, height: HEIGHT });
}

// One long-lived Ink instance, as in the terminal: a key press is the reducer, then React and
// Ink's layout and output, until the frame is written.
const term = new FakeTerminal();
const ink = render(createElement(Harness, { initial: state }), { stdout: term as unknown as NodeJS.WriteStream, debug: true, patchConsole: false, exitOnCtrlC: false });
const press = async (action: ViewAction): Promise<[number, number]> => {
  const a = performance.now();
  state = reduce(state, action);
  const b = performance.now();
  const drawn = term.nextFrame();
  setViewState(state);
  await drawn;
  return [b - a, performance.now() - b];
};
// Warm up (JIT), as a terminal session is after its first few keys.
for (let k = 0; k < 10; k++) await press(key(k % 2 ? 'j' : 'k'));

const presses: [string, ViewAction][] = [
  ['j (next)', key('j')], ['j (next)', key('j')], ['PgDn', key('', { pageDown: true })], ['G (end)', key('G')], ['k (previous)', key('k')],
  ['+ (zoom in)', key('+')], ['+ (zoom in)', key('+')], ['- (zoom out)', key('-')], ['Enter (detail)', key('', { return: true })],
  ['Tab (detail pane)', key('\t', { tab: true })], ['↓ (hex field)', key('', { downArrow: true })], ['g (home)', key('g')],
  ['r (to reply)', key('r')], ['Esc (close detail)', key('', { escape: true })],
  ['a (show all: rebuild)', key('a')], ['a (hide again: rebuild)', key('a')],
  ['/ctl (prompt)', key('/ctl')], ['Enter (filter: rebuild)', key('', { return: true })], ['n (next match)', key('n')],
  ['Esc (clear filter: rebuild)', key('', { escape: true })],
  ['?ok (prompt)', key('?ok')], ['Enter (search)', key('', { return: true })], ['n (next match)', key('n')],
  ['/1ms..2ms (prompt)', key('/1ms..2ms')], ['Enter (time range: rebuild)', key('', { return: true })],
  ['/#12 (prompt)', key('/#12')], ['Enter (free text: rebuild)', key('', { return: true })],
  ['Esc (clear filter: rebuild)', key('', { escape: true })],
];
const navTimes: number[] = [];
for (const [name, action] of presses) {
  const [r, d] = await press(action);
  if (!name) continue;
  if (!name.includes('rebuild')) navTimes.push(r + d);
  console.log(`${name.padEnd(30)} reducer ${r.toFixed(2).padStart(7)} ms  render ${d.toFixed(2).padStart(7)} ms  total ${(r + d).toFixed(2).padStart(7)} ms`);
}
ink.unmount();
navTimes.sort((x, y) => x - y);
const median = navTimes[Math.floor(navTimes.length / 2)];
console.log(`navigation keys: median ${median.toFixed(2)} ms, worst ${navTimes[navTimes.length - 1].toFixed(2)} ms (target < 50 ms); rows in view: ${state.rows.length}`);
