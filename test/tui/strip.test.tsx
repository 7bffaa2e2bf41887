import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { TimelineStrip } from '../../src/tui/components/timeline-strip.tsx';
import { Viewer } from '../../src/tui/components/viewer.tsx';
import { RecordIndex } from '../../src/tui/record-index.ts';
import { activeLanes, axisRow, stripRows, stripWindow } from '../../src/tui/strip.ts';
import type { BuddyRecord, FrameRecord } from '../../src/records/types.ts';
import { press, sampleIndex } from './fixtures.ts';

afterEach(cleanup);

function ctl(tNs: number, dir: FrameRecord['dir'], size: number): FrameRecord {
  return { kind: 'frame', startNs: tNs, endNs: tNs + 1000, txn: 0, dir, channel: 1, flags: 0, seq: 0, ack: 0, credit: 8, epoch: 1, payload: new Uint8Array(size) };
}

/** Control frames at 0 and 10 µs (MOSI), 90 µs (MISO) and 99 µs, READY high from 40 to 60 µs, an anomaly at 95 µs; 100 µs long. */
function laneIndex(): RecordIndex {
  const recs: BuddyRecord[] = [
    ctl(0, 'cpu-to-buddy', 100), ctl(10_000, 'cpu-to-buddy', 10),
    { kind: 'line', line: 'ready', level: 1, startNs: 40_000, endNs: 40_000 },
    { kind: 'line', line: 'ready', level: 0, startNs: 60_000, endNs: 60_000 },
    ctl(90_000, 'buddy-to-cpu', 50),
    { kind: 'anomaly', code: 'payload-crc', detail: 'x', startNs: 95_000, endNs: 99_000 },
    ctl(99_000, 'cpu-to-buddy', 0),
  ];
  const index = new RecordIndex('lanes');
  index.append(recs);
  index.done = true;
  return index;
}

test('draws activity per lane with block characters scaled to the busiest cell', () => {
  const index = laneIndex();
  assert.deepEqual(activeLanes(index), ['MOSI', 'MISO', 'READY', 'CTRL', 'ANOM']);
  const w = stripWindow(index, 0, 0, 10);
  assert.deepEqual(w, { fromNs: 0, toNs: 100_000 });
  const rows = Object.fromEntries(stripRows(index, w, 10, activeLanes(index)).map((r) => [r.name, r.cells]));
  // 10 µs per cell. MOSI: 116 wire bytes in cell 0, 26 in cell 1, a 16-byte frame in cell 9.
  assert.equal(rows.MOSI, '█▂       ▂');
  assert.equal(rows.MISO, '         █');
  assert.equal(rows.READY, '▁▁▁▁▇▇▁▁▁▁');
  // CTRL: one frame in cells 0 and 1, two in cell 9.
  assert.equal(rows.CTRL, '▄▄       █');
  assert.equal(rows.ANOM, '         █');
});

test('a record starting exactly at the window end counts in the last cell', () => {
  const index = laneIndex();
  // 9.9 µs per cell; the frame at 99 µs starts on the window's (inclusive) end.
  const rows = Object.fromEntries(stripRows(index, { fromNs: 0, toNs: 99_000 }, 10, ['CTRL']).map((r) => [r.name, r.cells]));
  assert.equal(rows.CTRL, '▄▄       █');
});

test('zooming in halves the window around the selected record and never leaves the capture', () => {
  const index = laneIndex();
  const whole = stripWindow(index, 90_000, 0, 10);
  const z1 = stripWindow(index, 90_000, 1, 10);
  const z2 = stripWindow(index, 50_000, 2, 10);
  assert.equal(z1.toNs - z1.fromNs, (whole.toNs - whole.fromNs) / 2);
  assert.deepEqual(z1, { fromNs: 50_000, toNs: 100_000 }, 'clamped to the capture end');
  assert.deepEqual(z2, { fromNs: 37_500, toNs: 62_500 }, 'centred on the selection');
});

test('marks the selected record on the axis with ▲', () => {
  const index = laneIndex();
  const w = { fromNs: 0, toNs: 100_000 };
  const axis = axisRow(index, w, 40, 50_000);
  assert.equal(axis.marker, 20);
  assert.equal(axis.text[20], '▲');
  assert.ok(axis.text.startsWith('0 ns '));
  assert.ok(axis.text.endsWith(' 100.0 µs'));
});

test('renders lane labels and rows in the strip component', () => {
  const index = laneIndex();
  const { lastFrame } = render(<TimelineStrip index={index} lanes={['MOSI', 'CTRL']} width={16} zoom={0} selectedNs={0} />);
  const lines = (lastFrame() ?? '').split('\n');
  assert.equal(lines.length, 3);
  assert.equal(lines[0], 'MOSI  █▂       ▂');
  assert.equal(lines[1], 'CTRL  ▄▄       █');
  assert.match(lines[2], /^all   ▲/);
});

test('+ and - zoom the strip in the viewer and show the zoom factor', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  const axis = (): string => (view.lastFrame() ?? '').split('\n').find((l) => /^(all|×\d+)\s/.test(l)) ?? '';
  // The axis gives times from capture start, like the list (the last record ends at 4.010 ms).
  assert.match(axis(), /^all\s.*4\.010 ms$/);
  await press(view, '+', '+');
  assert.match(axis(), /^×4\s/);
  assert.ok(!axis().endsWith('4.010 ms'), 'the window no longer reaches the capture end');
  await press(view, '-', '-');
  assert.match(axis(), /^all\s/);
});
