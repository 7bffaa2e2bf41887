import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { Viewer } from '../../src/tui/components/viewer.tsx';
import { RecordIndex } from '../../src/tui/record-index.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { KEYS, press, sampleIndex } from './fixtures.ts';

afterEach(cleanup);

function lines(frame: string | undefined): string[] {
  return (frame ?? '').split('\n');
}
const selectedLine = (frame: string | undefined): string | undefined => lines(frame).find((l) => l.startsWith('›'));

function lineRecords(n: number): BuddyRecord[] {
  return Array.from({ length: n }, (_, k): BuddyRecord => ({ kind: 'line', line: 'irq', level: (k % 2) as 0 | 1, startNs: k * 1000, endNs: k * 1000 }));
}

test('renders a row per record with its time from capture start (unit shown), direction, lane and summary, hiding idle frames and transactions', () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={100} height={30} onQuit={() => {}} />);
  const rows = lines(view.lastFrame());
  const hello = rows.find((l) => l.includes('hello #7'));
  assert.ok(hello, 'the hello request is listed');
  // Transaction 1 starts 100 µs into the capture: the same time the detail pane gives.
  assert.match(hello, /^ \s+100\.000 µs\s+C→B\s+CTRL\s+0\s+hello #7 protocol=1/);
  assert.ok(rows.some((l) => /B→C\s+CTRL\s+0\s+ok #7/.test(l)));
  assert.ok(rows.some((l) => /B→C\s+ANOM\s+header-crc/.test(l)));
  assert.ok(!rows.some((l) => l.includes('idle credit')), 'idle frames are hidden');
  assert.ok(!rows.some((l) => l.includes('SPI #')), 'raw transactions are hidden');
  view.unmount();
});

test('shows idle frames and transactions after `a` and hides them again', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={100} height={30} onQuit={() => {}} />);
  await press(view, 'a');
  assert.ok(lines(view.lastFrame()).some((l) => l.includes('SPI #1  MOSI ')));
  assert.ok(lines(view.lastFrame()).some((l) => l.includes('idle credit=8')));
  await press(view, 'a');
  assert.ok(!lines(view.lastFrame()).some((l) => l.includes('SPI #')));
  view.unmount();
});

test('moves the selection down and up with j, k and the arrow keys', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={100} height={30} onQuit={() => {}} />);
  assert.match(selectedLine(view.lastFrame()) ?? '', /READY high/);
  await press(view, 'j');
  assert.match(selectedLine(view.lastFrame()) ?? '', /hello #7/);
  await press(view, KEYS.down);
  assert.match(selectedLine(view.lastFrame()) ?? '', /ok #7/);
  await press(view, 'k');
  await press(view, KEYS.up);
  assert.match(selectedLine(view.lastFrame()) ?? '', /READY high/);
  view.unmount();
});

test('scrolls the visible window to keep the selection on screen and jumps to the ends with G and g', async () => {
  const index = new RecordIndex('lines');
  index.append(lineRecords(200));
  index.done = true;
  const view = render(<Viewer index={index} loaded={1} width={80} height={23} onQuit={() => {}} />);
  const listRows = (): string[] => lines(view.lastFrame()).filter((l) => /^[ ›]\s+\d+\.\d{3}\s/.test(l));
  const height = listRows().length;
  assert.ok(height > 5 && height < 23, `list shows a window of rows (got ${height})`);
  for (let k = 0; k < height + 2; k++) {
    await press(view, 'j');
  }
  const rows = listRows();
  assert.equal(rows.length, height, 'the window keeps its size');
  assert.match(rows[rows.length - 1], new RegExp(`^›\\s+${height + 2}\\.000\\s`), 'the selection is on the last visible row');
  await press(view, 'G');
  assert.match(selectedLine(view.lastFrame()) ?? '', /^›\s+199\.000\s/);
  assert.equal(listRows().length, height);
  await press(view, 'g');
  assert.match(listRows()[0], /^›\s+0\.000\s/);
  view.unmount();
});

test('renders only the visible window of a large index', async () => {
  const index = new RecordIndex('big');
  index.append(lineRecords(100_000));
  index.done = true;
  const view = render(<Viewer index={index} loaded={1} width={80} height={23} onQuit={() => {}} />);
  assert.ok(lines(view.lastFrame()).length <= 23, 'the frame fits the terminal');
  await press(view, KEYS.pageDown);
  const page = Number(/^›\s+(\d+)\.000/.exec(selectedLine(view.lastFrame()) ?? '')?.[1]);
  assert.ok(page > 5 && page < 23, `page down moves by about a screen (to ${page})`);
  await press(view, KEYS.end);
  assert.match(selectedLine(view.lastFrame()) ?? '', /^›\s+99999\.000\s/);
  assert.match(lines(view.lastFrame()).at(-1) ?? '', /\[100,000 of 100,000\]/);
  view.unmount();
});

test('the header shows the file, duration, records per channel, anomalies and the SPI mode', () => {
  const index = sampleIndex();
  Object.defineProperty(index.summary, 'spiMode', { value: 'mode 0 (CPOL 0, CPHA 0), MSB first, CS active low (detected)' });
  const view = render(<Viewer index={index} loaded={1} width={160} height={30} onQuit={() => {}} />);
  const [first, second] = lines(view.lastFrame());
  assert.match(first, /^sample\.ndjson \(records\) {2}3\.960 ms {2}122 records\s*$/);
  assert.match(second, /^frames: idle 73, control 4, ethernet 2 │ anomalies 1 \(header-crc 1\) │ SPI mode 0 \(CPOL 0, CPHA 0\)/);
  view.unmount();
});

test('the mouse wheel moves the selection three rows at a time', async () => {
  const index = new RecordIndex('lines');
  index.append(lineRecords(50));
  index.done = true;
  const view = render(<Viewer index={index} loaded={1} width={80} height={23} onQuit={() => {}} />);
  await press(view, '\u001B[<65;10;12M');
  assert.match(selectedLine(view.lastFrame()) ?? '', /^›\s+3\.000\s/);
  await press(view, '\u001B[<64;10;12M');
  assert.match(selectedLine(view.lastFrame()) ?? '', /^›\s+0\.000\s/);
});

test('lists the SPI transactions when there is no link layer to read them through', async () => {
  const txns = (from: number): BuddyRecord[] => [0, 1, 2].map((k): BuddyRecord => ({
    kind: 'txn', txn: from + k, startNs: (from + k) * 1000, endNs: (from + k) * 1000 + 500, mosi: Uint8Array.of(0x9f, k), miso: Uint8Array.of(0xc2, 0x20),
  }));
  // The link stage did not run (a MOSI-only capture): the summary says why, the list shows the bytes.
  const skipped = new RecordIndex({ ...new RecordIndex('x').summary, link: 'every link protocol needs both MOSI and MISO; this capture has MOSI only' });
  skipped.append(txns(0));
  const a = render(<Viewer index={skipped} loaded={1} width={100} height={20} onQuit={() => {}} />);
  assert.equal(lines(a.lastFrame()).filter((l) => /SPI #\d+ {2}MOSI 9f/.test(l)).length, 3);
  a.unmount();
  // Another device: after the no-link-frames anomaly the transactions are listed too.
  const other = new RecordIndex('cc1101.sr');
  other.append([{ kind: 'anomaly', code: 'no-link-frames', detail: 'no buddy link frame in the first 4 transaction(s)', startNs: 0, endNs: 500 }, ...txns(0)]);
  const b = render(<Viewer index={other} loaded={1} width={100} height={20} onQuit={() => {}} />);
  assert.equal(lines(b.lastFrame()).filter((l) => /SPI #\d+ {2}MOSI 9f/.test(l)).length, 3);
  b.unmount();
});
