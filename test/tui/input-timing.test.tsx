/**
 * Keys whose timing a person does not control: keys typed while a big file is still loading
 * (they act on the records already there the way less would: G waits for the end of the file, n
 * keeps looking in the records as they arrive, moves act at once), and two Esc keys arriving in
 * one read (typed fast, or sent together by tmux), which must count twice.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { Viewer } from '../../src/tui/components/viewer.tsx';
import { RecordIndex } from '../../src/tui/record-index.ts';
import { KEYS, press, sampleIndex, sampleRecords } from './fixtures.ts';

afterEach(cleanup);

const lines = (f: string | undefined): string[] => (f ?? '').split('\n');
const selected = (f: string | undefined): string => lines(f).find((l) => l.startsWith('›')) ?? '';
const status = (f: string | undefined): string => lines(f).at(-1) ?? '';
const settle = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 60));

/** The sample's records, of which the index holds the first `n`, still loading. */
function loadingIndex(n: number): { index: RecordIndex; rest: ReturnType<typeof sampleRecords> } {
  const all = sampleRecords();
  const index = new RecordIndex('big.pcapng');
  index.append(all.slice(0, n));
  return { index, rest: all.slice(n) };
}

test('G while loading goes to the end of the capture: the selection keeps to the last row until loading ends', async () => {
  const { index, rest } = loadingIndex(12);
  const el = () => <Viewer index={index} loaded={index.length} width={80} height={23} onQuit={() => {}} />;
  const view = render(el());
  assert.match(status(view.lastFrame()), /^\[1 of \d+ shown\] \[loading…\]/, 'the status bar says the list is not complete');
  await press(view, 'G');
  assert.match(status(view.lastFrame()), /to the last record when loading ends…/);
  index.append(rest.slice(0, 40));
  view.rerender(el());
  await settle();
  const mid = /^\[(\d+) of (\d+) shown\]/.exec(status(view.lastFrame()));
  assert.ok(mid && mid[1] === mid[2], `still on the last row as records arrive: ${status(view.lastFrame())}`);
  index.append(rest.slice(40));
  index.done = true;
  view.rerender(el());
  await settle();
  assert.match(selected(view.lastFrame()), /^›\s+4000\.000 µs\s.*ARP/, 'the last record of the capture');
  assert.doesNotMatch(status(view.lastFrame()), /loading|when loading ends/, 'loaded: the wait is over');
  // Loaded: G, then more keys, act on the whole list.
  await press(view, 'k', 'G');
  assert.match(selected(view.lastFrame()), /^›\s+4000\.000 µs\s.*ARP/);
});

test('a move after G while loading cancels the wait: the selection stays where the user put it', async () => {
  const { index, rest } = loadingIndex(12);
  const el = () => <Viewer index={index} loaded={index.length} width={80} height={23} onQuit={() => {}} />;
  const view = render(el());
  await press(view, 'G', 'k');
  const row = selected(view.lastFrame());
  assert.doesNotMatch(status(view.lastFrame()), /when loading ends/);
  index.append(rest);
  index.done = true;
  view.rerender(el());
  await settle();
  assert.equal(selected(view.lastFrame()), row);
});

test('n while loading keeps looking in the records as they arrive', async () => {
  const all = sampleIndex();
  let lastArp = -1;
  for (let i = 0; i < all.length; i++) if (all.summaryText(i).includes('ARP')) lastArp = i;
  const { index, rest } = loadingIndex(lastArp);
  const el = () => <Viewer index={index} loaded={index.length} width={80} height={23} onQuit={() => {}} />;
  const view = render(el());
  await press(view, '?ARP\r');
  assert.match(selected(view.lastFrame()), /^›\s+500\.000 µs\s.*ARP/, 'the first ARP frame, loaded already');
  await press(view, 'n');
  assert.match(status(view.lastFrame()), /\[find: ARP\] {2}looking further as records load…/);
  assert.match(selected(view.lastFrame()), /^›\s+500\.000 µs\s.*ARP/);
  index.append(rest);
  index.done = true;
  view.rerender(el());
  await settle();
  assert.match(selected(view.lastFrame()), /^›\s+4000\.000 µs\s.*ARP/, 'found when it arrived');
  await press(view, 'n');
  assert.match(status(view.lastFrame()), /\[find: ARP\] {2}no further match$/, 'loaded: no more to wait for');
});

test('a filter applied while loading says its count is so far, and the list keeps growing with it', async () => {
  const { index, rest } = loadingIndex(12);
  const el = () => <Viewer index={index} loaded={index.length} width={80} height={23} onQuit={() => {}} />;
  const view = render(el());
  await press(view, '/ctl\r');
  assert.match(status(view.lastFrame()), /\[loading…\] \[filter: ctl\] {2}\d+ records? match(es)? "ctl" so far$/);
  index.append(rest);
  index.done = true;
  view.rerender(el());
  await settle();
  assert.match(status(view.lastFrame()), /^\[1 of 4 shown\] \[filter: ctl\]/);
});

test('two Esc keys in one read both count: the first closes the detail pane, the second clears the filter', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  await press(view, '/ctl\r', 'j', KEYS.enter);
  assert.match(view.lastFrame() ?? '', /── record 2 of 4 shown ─/);
  await press(view, '\u001B\u001B');
  assert.doesNotMatch(view.lastFrame() ?? '', /── record/, 'the detail pane closed');
  assert.match(status(view.lastFrame()), /filter cleared/, 'and the filter went too');
  assert.doesNotMatch(status(view.lastFrame()), /\[filter:/);
  assert.match(selected(view.lastFrame()), /ok #7/, 'the selection stays on its record');
  // With the prompt open: the first Esc cancels it, the second clears the search.
  await press(view, '?ARP\r', '?x', '\u001B\u001B');
  assert.doesNotMatch(status(view.lastFrame()), /\?x|\[find:/);
});
