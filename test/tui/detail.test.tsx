import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { DetailPane } from '../../src/tui/components/detail-pane.tsx';
import { Viewer } from '../../src/tui/components/viewer.tsx';
import { hexLines, hexView } from '../../src/tui/hex.ts';
import type { FrameRecord } from '../../src/records/types.ts';
import { KEYS, press, sampleIndex } from './fixtures.ts';

afterEach(cleanup);

const frameText = (f: string | undefined): string[] => (f ?? '').split('\n');

/** Index of the first record whose summary includes `text`. */
function find(index: ReturnType<typeof sampleIndex>, text: string): number {
  for (let i = 0; i < index.length; i++) if (index.summaryText(i).includes(text)) return i;
  throw new Error(`no record "${text}"`);
}

test('maps frame header fields to their wire byte ranges and highlights the field under the cursor', () => {
  const index = sampleIndex();
  const i = find(index, 'get_status #8');
  const r = index.record(i) as FrameRecord;
  const view = hexView(r, index.txnOf(i));
  const names = view.fields.map((f) => `${f.name}:${f.start}-${f.end}`);
  const len = r.payload.length;
  assert.deepEqual(names, [
    'sync:0-1', 'version:1-2', 'channel:2-3', 'flags:3-4', 'seq:4-6', 'ack:6-8', 'len:8-10', 'credit:10-11', 'epoch:11-12', 'hcrc:12-16',
    `payload:16-${16 + len}`, `crc:${16 + len}-${20 + len}`,
  ]);
  // The re-encoded frame is the MOSI of its transaction, byte for byte.
  const txn = index.txnOf(i);
  assert.ok(txn);
  assert.deepEqual(view.sections[0].bytes, txn.mosi.subarray(0, view.sections[0].bytes.length));
  const seq = view.fields[4];
  const lines = hexLines(view, seq, 8);
  const marked = lines.flatMap((l) => l.segments.filter((s) => s.highlight).map((s) => s.text));
  assert.deepEqual(marked, ['01', '00'], 'seq 1, little-endian, is the highlighted pair');
});

test('shows the decoded tree, the hex dump, the field under the cursor and the SPI transaction', () => {
  const index = sampleIndex();
  const i = find(index, 'get_status #8');
  const { lastFrame } = render(<DetailPane index={index} record={i} position="5 of 49 shown" field={4} width={80} height={12} focused />);
  const lines = frameText(lastFrame());
  assert.match(lines[0], /^── record 5 of 49 shown ─+$/);
  assert.ok(lines.some((l) => l.startsWith('▾ Frame header')));
  assert.ok(lines.some((l) => /^\s+seq: 1\s/.test(l)));
  assert.ok(lines.some((l) => l.includes('▾ Control: get_status id 8')));
  assert.ok(lines.some((l) => /0000 b5 01 01 00 01 00 00 00$/.test(l)), 'first hex line: sync, version, channel, flags, seq');
  assert.ok(lines.some((l) => l.includes('▸ seq (bytes 4-5) = 1')));
  // Times from capture start, like the list's and the decoded tree's (txn 3 starts at 300 µs).
  assert.ok(lines.some((l) => /^SPI txn #3 {2}300\.000–310\.000 µs/.test(l)));
});

test('Enter opens the detail pane; Tab and ↓ move the hex cursor to the next field', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  await press(view, 'j', KEYS.enter);
  assert.ok(frameText(view.lastFrame()).some((l) => l.includes('▸ sync (byte 0) = 181 (0xb5)')));
  await press(view, KEYS.tab, KEYS.down, KEYS.down);
  assert.ok(frameText(view.lastFrame()).some((l) => l.includes('▸ channel (byte 2) = 1 (0x01)')));
  assert.match(frameText(view.lastFrame()).find((l) => l.startsWith('›')) ?? '', /hello #7/, 'the selection stays put while the pane has focus');
  await press(view, KEYS.escape);
  assert.ok(!frameText(view.lastFrame()).some((l) => l.includes('▸ ')), 'Esc closes the pane');
});

test('an anomaly shows the bytes of its transaction with the faulty offset as the field', () => {
  const index = sampleIndex();
  const i = find(index, 'header-crc');
  const view = hexView(index.record(i), index.txnOf(i));
  assert.equal(view.sections[0].title, 'MISO');
  assert.equal(view.fields[0].name, 'offset 12');
});

test('r jumps from a request to its reply and back, and the pane shows the latency', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  const selected = (): string => frameText(view.lastFrame()).find((l) => l.startsWith('›')) ?? '';
  await press(view, 'j', 'j', 'j', 'j', KEYS.enter);
  assert.match(selected(), /get_status #8/);
  assert.ok(frameText(view.lastFrame()).some((l) => l.includes('reply: status #8 after 100.0 µs (r jumps)')));
  await press(view, 'r');
  assert.match(selected(), /status #8 state=/);
  assert.ok(frameText(view.lastFrame()).some((l) => l.includes('request: get_status #8, latency 100.0 µs')));
  await press(view, 'r');
  assert.match(selected(), /get_status #8/);
  await press(view, 'j', 'j', 'r');
  assert.match(frameText(view.lastFrame()).at(-1) ?? '', /no linked request or reply/);
});

test('folds the frame header into one line when the pane is short, keeping the decoded message visible', () => {
  const index = sampleIndex();
  const i = find(index, 'status #8 state=');
  const { lastFrame } = render(<DetailPane index={index} record={i} position="6 of 49 shown" field={0} width={80} height={8} focused={false} />);
  const lines = frameText(lastFrame());
  assert.equal(lines.length, 8);
  assert.match(lines[1], /^▸ Frame header: channel: 1 \(control\), flags/);
  assert.ok(lines.some((l) => l.startsWith('▾ Control: status id 8')));
  assert.ok(lines.some((l) => l.includes('state: "connected"')));
});

test('PgDn in the focused detail pane scrolls a long tree, and a new selection starts at its top', async () => {
  const view = render(<Viewer index={sampleIndex()} loaded={1} width={80} height={23} onQuit={() => {}} />);
  const treeTop = (): string => frameText(view.lastFrame()).find((l, k, all) => k > 0 && all[k - 1].startsWith('── record')) ?? '';
  await press(view, 'j', 'j', 'j', 'j', 'j', KEYS.enter);
  assert.match(treeTop(), /^▸ Frame header: channel: 1/, 'the status reply is selected, its header folded');
  await press(view, KEYS.tab, KEYS.pageDown);
  assert.doesNotMatch(treeTop(), /Frame header/, 'the tree scrolled');
  assert.match(treeTop(), /^\s+(state|mac|uptime_ms|tx_frames|rx_frames|tx_dropped|rx_dropped|trace_dropped): /);
  await press(view, KEYS.tab, 'k');
  assert.match(treeTop(), /Frame header/, 'another record shows its tree from the top');
});

test('the detail pane title and the status bar count the same list: the rows shown, "shown" when records are left out', async () => {
  const index = sampleIndex();
  const view = render(<Viewer index={index} loaded={1} width={80} height={23} onQuit={() => {}} />);
  const title = (): string => /── (record .+?) ─/.exec(view.lastFrame() ?? '')?.[1] ?? '';
  const status = (): string => /^\[(.+?)\]/.exec(frameText(view.lastFrame()).at(-1) ?? '')?.[1] ?? '';
  const listed = index.length - [...Array(index.length).keys()].filter((i) => index.hiddenByDefault(i)).length;
  assert.ok(listed < index.length, 'the sample hides idle frames and transactions by default');
  await press(view, 'j', 'j', 'j', 'j', KEYS.enter);
  assert.equal(status(), `5 of ${listed} shown`);
  assert.equal(title(), `record 5 of ${listed} shown`, 'the same place and count as the status bar');
  // A filter: both count the matching rows.
  await press(view, '/ctl\r');
  assert.equal(status(), '3 of 4 shown');
  assert.equal(title(), 'record 3 of 4 shown');
  // Every record listed: no "shown".
  await press(view, KEYS.escape, KEYS.escape, 'a');
  assert.match(status(), new RegExp(`^\\d+ of ${index.length}$`));
  await press(view, KEYS.enter);
  assert.equal(title(), `record ${status()}`);
});
