import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { Viewer } from '../../src/tui/components/viewer.tsx';
import { parseFilter, parseTime } from '../../src/tui/filter.ts';
import { RecordIndex } from '../../src/tui/record-index.ts';
import { KEYS, press, sampleIndex, sampleRecords } from './fixtures.ts';

afterEach(cleanup);

const rows = (f: string | undefined): string[] => (f ?? '').split('\n').filter((l) => /^[ ›]\s+\d+\.\d{3}\s/.test(l));
const selected = (f: string | undefined): string => (f ?? '').split('\n').find((l) => l.startsWith('›')) ?? '';

function matching(query: string): string[] {
  const index = sampleIndex();
  const f = parseFilter(query);
  assert.ok(f);
  const out: string[] = [];
  for (let i = 0; i < index.length; i++) if (f.test(index, i)) out.push(index.summaryText(i));
  return out;
}

test('parses times with units, µs by default', () => {
  assert.equal(parseTime('100ms'), 100e6);
  assert.equal(parseTime('2s'), 2e9);
  assert.equal(parseTime('1.5us'), 1500);
  assert.equal(parseTime('15'), 15_000);
  assert.equal(parseTime('soon'), null);
});

test('filters by channel, message name, anomaly, time range and free text', () => {
  assert.deepEqual(matching('ctl').map((s) => s.split(' ')[0]), ['hello', 'ok', 'get_status', 'status']);
  assert.deepEqual(matching('status').map((s) => s.split(' ')[0]), ['status'], 'a message name matches the name, not the text');
  assert.deepEqual(matching('!').map((s) => s.split(':')[0]), ['header-crc']);
  assert.deepEqual(matching('anomalies').length, 1);
  assert.deepEqual(matching('ctl 150us..350us').map((s) => s.split(' ')[0]), ['ok', 'get_status'], 'terms combine; times count from capture start, as the list shows them');
  assert.deepEqual(matching('ARP').length, 2);
  assert.equal(parseFilter('  '), null);
  assert.equal(parseFilter('idle')?.showsHidden, true);
});

test('typing /ctl and Enter narrows the list to control records', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  assert.equal(rows(view.lastFrame()).length, 9);
  await press(view, '/', 'c', 't', 'l');
  assert.match((view.lastFrame() ?? '').split('\n').at(-1) ?? '', /^\/ctl█/);
  await press(view, KEYS.enter);
  const list = rows(view.lastFrame());
  assert.equal(list.length, 4);
  assert.ok(list.every((l) => /\sCTRL\s/.test(l)));
  assert.match((view.lastFrame() ?? '').split('\n').at(-1) ?? '', /\[filter: ctl\].*4 records match "ctl"/);
  await press(view, 'n');
  assert.match(selected(view.lastFrame()), /ok #7/, 'n moves to the next match');
  await press(view, KEYS.escape);
  assert.equal(rows(view.lastFrame()).length, 9, 'Esc clears the filter');
  assert.match(selected(view.lastFrame()), /ok #7/, 'the selection survives the change of filter');
});

test('a search (?) jumps between matches without narrowing the list; n and N step through them', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  await press(view, '?', 'ARP', KEYS.enter);
  assert.equal(rows(view.lastFrame()).length, 9);
  assert.match(selected(view.lastFrame()), /^›\s+500\.000 µs\s.*ARP/);
  await press(view, 'n');
  assert.match(selected(view.lastFrame()), /^›\s+4000\.000 µs\s.*ARP/);
  await press(view, 'n');
  assert.match((view.lastFrame() ?? '').split('\n').at(-1) ?? '', /\[find: ARP\] {2}no further match\s*$/);
  await press(view, 'N');
  assert.match(selected(view.lastFrame()), /^›\s+500\.000 µs\s.*ARP/);
});

test('/! shows anomalies only, and Backspace edits the prompt', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  await press(view, '/', 'x', KEYS.backspace, '!', KEYS.enter);
  const list = rows(view.lastFrame());
  assert.equal(list.length, 1);
  assert.match(list[0], /ANOM\s+header-crc/);
});

test('records appended while loading extend the list, and follow mode keeps the last one selected', async () => {
  const all = sampleRecords();
  const index = new RecordIndex('live');
  index.append(all.slice(0, 10));
  const view = render(<Viewer index={index} loaded={index.length} width={80} height={23} onQuit={() => {}} />);
  assert.match(view.lastFrame() ?? '', /loading… 10 records/);
  await press(view, 'f');
  assert.match(selected(view.lastFrame()), /get_status #8/, 'f selects the last record loaded so far');
  index.append(all.slice(10));
  index.done = true;
  view.rerender(<Viewer index={index} loaded={index.length} width={80} height={23} onQuit={() => {}} />);
  await press(view, '');
  assert.match(selected(view.lastFrame()), /^›\s+4000\.000 µs\s.*ARP/, 'follow selects the newest record');
  assert.match((view.lastFrame() ?? '').split('\n').at(-1) ?? '', /\[9 of 9 shown\] \[follow\]/);
});

test('q calls onQuit', async () => {
  let quit = 0;
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => quit++} />);
  await press(view, 'q');
  assert.equal(quit, 1);
});

test('keys typed faster than the screen redraws still reach the prompt', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  await press(view, '/ctl');
  await press(view, KEYS.enter);
  assert.equal(rows(view.lastFrame()).length, 4);
  await press(view, 'jj');
  assert.match(selected(view.lastFrame()), /get_status #8/, 'two keys in one read move twice');
  await press(view, 'j\r');
  assert.ok((view.lastFrame() ?? '').includes('Frame header'), 'Enter inside a string opens the detail pane');
  await press(view, KEYS.escape); // closes the detail pane
  await press(view, KEYS.escape); // clears the ctl filter
  await press(view, '?ARP\r');
  assert.match(selected(view.lastFrame()), /ARP/, 'a search typed in one go runs');
});
