/**
 * The live view's pieces, without a terminal: RecordIndex.dropOldest (the window) leaves an index
 * that answers every question like one built from the kept records alone, the reducer renumbers
 * its rows for dropped records (selection kept on its record, follow kept on the newest), the
 * save key only works live, the header and status bar say what a live view is doing, and the
 * window is saved to a whole pcapng under a name that never replaces an earlier save.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { decodeLink } from '../../src/link/stream.ts';
import { createLinkStage } from '../../src/link/select.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { runScenario } from '../../src/sim/run.ts';
import { headerLines } from '../../src/tui/components/header.tsx';
import { statusText } from '../../src/tui/components/status-bar.tsx';
import { liveFileName, LiveView, recordsToDrop, saveWindow } from '../../src/tui/live.ts';
import { DIR_MISO, DIR_MOSI, RecordIndex, STRIP_COUNT_LANES } from '../../src/tui/record-index.ts';
import { initialViewState, selectedRecord, syncDrops, viewReducer, type ViewAction, type ViewState } from '../../src/tui/view-state.ts';
import { viewCommand } from '../../src/cli/commands/view.ts';
import { canonical, collect, commandError } from '../cli/helpers.ts';

const NO_KEY = { upArrow: false, downArrow: false, leftArrow: false, rightArrow: false, pageDown: false, pageUp: false, home: false, end: false, return: false, escape: false, ctrl: false, meta: false, tab: false, backspace: false, delete: false };
const key = (input: string): ViewAction => ({ type: 'key', input, key: NO_KEY });

let demo: BuddyRecord[] = [];
before(async () => {
  demo = await collect(decodeLink(runScenario(openScenario('demo')).records, createLinkStage('buddy')));
});

function indexOf(records: readonly BuddyRecord[]): RecordIndex {
  const index = new RecordIndex('live');
  for (let i = 0; i < records.length; i += 17) index.append(records.slice(i, i + 17));
  return index;
}

describe('RecordIndex.dropOldest', () => {
  it('answers like an index of the kept records alone, and counts what it dropped', () => {
    for (const n of [1, 40, 120, 198]) {
      const index = indexOf(demo);
      const names = demo.map((_, i) => index.summaryText(i)); // resolved in stream order, as the list does
      index.dropOldest(n);
      const fresh = indexOf(demo.slice(n));
      assert.equal(index.dropped, n);
      assert.equal(index.length, demo.length - n);
      assert.deepEqual(index.summary, fresh.summary, `summary after dropping ${n}`);
      assert.deepEqual([...index.laneTotals], [...fresh.laneTotals]);
      for (let i = 0; i < index.length; i++) {
        assert.equal(index.record(i), demo[n + i]);
        assert.equal(index.startNs(i), fresh.startNs(i));
        assert.equal(index.lane(i), fresh.lane(i));
        assert.equal(index.dirCode(i), fresh.dirCode(i));
        assert.equal(index.pairOf(i), fresh.pairOf(i), `pair of ${i}`);
        assert.equal(index.txnOf(i), fresh.txnOf(i), `transaction of ${i}`);
        assert.equal(index.summaryText(i), names[n + i], 'names resolved before the drop are kept');
      }
      for (let lane = 0; lane < STRIP_COUNT_LANES.length; lane++) assert.equal(index.countBetween(lane, 0, index.length), fresh.countBetween(lane, 0, fresh.length));
      assert.equal(index.bytesBetween(DIR_MOSI, 0, index.length), fresh.bytesBetween(DIR_MOSI, 0, fresh.length));
      assert.equal(index.bytesBetween(DIR_MISO, 0, index.length), fresh.bytesBetween(DIR_MISO, 0, fresh.length));
      // READY's level at the window's left edge is what the whole stream said, not "low".
      const whole = indexOf(demo);
      const t = index.firstNs;
      assert.equal(index.levelAt('ready', t), whole.levelAt('ready', t));
      assert.equal(index.levelAt('irq', t), whole.levelAt('irq', t));
    }
  });

  it('keeps another device\'s transactions listed once the no-link-frames anomaly is dropped, old and new', () => {
    const txn = (n: number): BuddyRecord => ({ kind: 'txn', txn: n, startNs: n * 1000, endNs: n * 1000 + 500, mosi: Uint8Array.of(0x9f), miso: Uint8Array.of(0xc2) });
    const index = new RecordIndex('live');
    index.append([{ kind: 'anomaly', code: 'no-link-frames', detail: 'x', startNs: 0, endNs: 500, txn: 0 }, txn(0), txn(1), txn(2)]);
    assert.deepEqual([1, 2, 3].map((i) => index.hiddenByDefault(i)), [false, false, false]);
    index.dropOldest(1);
    assert.deepEqual([0, 1, 2].map((i) => index.hiddenByDefault(i)), [false, false, false], 'the kept transactions stay listed');
    index.append([txn(3)]);
    assert.equal(index.hiddenByDefault(3), false, 'and so do new ones');
  });

  it('keeps appending after a drop (pairs and transactions of new records link up)', () => {
    const index = indexOf(demo.slice(0, 100));
    index.dropOldest(60);
    index.append(demo.slice(100));
    const fresh = indexOf(demo.slice(60));
    assert.deepEqual(index.summary, fresh.summary);
    for (let i = 0; i < index.length; i++) {
      assert.equal(index.pairOf(i), fresh.pairOf(i));
      assert.equal(index.txnOf(i), fresh.txnOf(i));
    }
  });

  it('recordsToDrop keeps the index within the window, dropping in chunks', () => {
    assert.equal(recordsToDrop(100, 100), 0);
    assert.equal(recordsToDrop(101, 100), 26, 'one over: down to 3/4 of the window');
    assert.equal(recordsToDrop(250, 100), 175);
    assert.equal(100 + 1 - recordsToDrop(101, 100), 75);
  });
});

describe('the reducer over a windowed index', () => {
  it('renumbers rows for dropped records, keeping the selection on its record', () => {
    const index = indexOf(demo);
    const reduce = viewReducer(index);
    let s: ViewState = initialViewState(index, 10);
    s = reduce(s, { type: 'toggle-hidden' }); // every record is a row
    for (let k = 0; k < 150; k++) s = reduce(s, { type: 'select-next' });
    const chosen = index.record(selectedRecord(s));
    index.dropOldest(100);
    const after = syncDrops(index, s);
    assert.equal(index.record(selectedRecord(after)), chosen, 'the same record is selected');
    assert.equal(after.rows.length, index.length);
    assert.ok(after.visibleFromIndex <= after.selected && after.selected < after.visibleFromIndex + 10);
    assert.equal(syncDrops(index, after), after, 'nothing more to renumber');
    // Any action renumbers first: j moves from the same record.
    const moved = reduce(s, { type: 'select-next' });
    assert.equal(index.record(selectedRecord(moved)), demo[demo.indexOf(chosen) + 1]);
  });

  it('moves a selection whose record was dropped to the first row; follow stays on the newest', () => {
    const index = indexOf(demo.slice(0, 100));
    const reduce = viewReducer(index);
    let s = reduce(initialViewState(index, 10), { type: 'toggle-hidden' });
    s = reduce(s, { type: 'select-first' });
    index.dropOldest(50);
    s = reduce(s, { type: 'records-appended' });
    assert.equal(s.selected, 0);
    assert.equal(index.record(selectedRecord(s)), demo[50]);

    const live = indexOf([]);
    const r2 = viewReducer(live);
    let f = initialViewState(live, 10, { follow: true, live: true });
    assert.equal(f.follow, true);
    for (let i = 0; i < demo.length; i += 30) {
      live.append(demo.slice(i, i + 30));
      live.dropOldest(recordsToDrop(live.length, 80));
      f = r2(f, { type: 'records-appended' });
      if (f.rows.length) assert.equal(f.selected, f.rows.length - 1, 'follow: the newest row');
      assert.ok(live.length <= 80);
    }
    assert.equal(live.record(selectedRecord(f)), live.record(f.rows.buf[f.rows.length - 1]));
    assert.equal(live.dropped + live.length, demo.length);
  });

  it('s asks for a save in a live view only, and the help says so', () => {
    const index = indexOf(demo);
    const reduce = viewReducer(index);
    const live = initialViewState(index, 10, { follow: true, live: true });
    const saved = reduce(live, key('s'));
    assert.equal(saved.saveRequests, 1);
    assert.match(saved.message ?? '', /saving 199 records/);
    assert.equal(reduce(saved, { type: 'show-message', text: 'saved 199 records to ./x.pcapng' }).message, 'saved 199 records to ./x.pcapng');
    const file = initialViewState(index, 10);
    assert.equal(reduce(file, key('s')), file, 's does nothing on a file');
    assert.match(statusText(live), /^\[([\d,]+) of \1(?: shown)?\] \[follow\] {2}s save {2}f follow/, 'follow: the last row');
    assert.doesNotMatch(statusText(file), /s save/);
  });
});

describe('the live header', () => {
  it('shows the connection state instead of loading, and the window once records were dropped', () => {
    const index = indexOf(demo);
    const [plain] = headerLines(index.summary, true, null);
    assert.match(plain, /loading… 199 records/);
    const [live] = headerLines(index.summary, true, null, { state: 'connected', dropped: 0, window: 200_000 });
    assert.doesNotMatch(live, /loading|dropped/);
    assert.match(live, /199 records {2}● connected$/);
    index.dropOldest(99);
    const [windowed] = headerLines(index.summary, true, null, { state: 'disconnected', dropped: index.dropped, window: 100 });
    assert.match(windowed, /100 records {2}\(window: newest 100; 99 older dropped\) {2}○ disconnected$/);
  });

  it('LiveView redraws on a state change and refuses a window of no records', () => {
    const v = new LiveView(10);
    let redraws = 0;
    v.onChange = () => redraws++;
    v.setState('connected', 'connected to 127.0.0.1:1');
    assert.equal(v.state, 'connected');
    assert.equal(redraws, 1);
    assert.throws(() => new LiveView(0), /window must be/);
  });
});

describe('saveWindow', () => {
  it('writes the records to buddyshark-live-<time>.pcapng, then -2 when the name is taken', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bs-save-'));
    const at = new Date(2026, 10, 24, 13, 15, 0);
    const records = demo.slice(20, 150);
    const first = await saveWindow(records, dir, at);
    assert.equal(first.path, path.join(dir, 'buddyshark-live-20261124131500.pcapng'));
    assert.equal(first.records, records.length);
    const second = await saveWindow(records.slice(0, 5), dir, at);
    assert.equal(second.path, liveFileName(dir, at, 2));
    assert.match(second.path, /buddyshark-live-20261124131500-2\.pcapng$/);
    const stream = readRecordsFromPcapng(first.path);
    const back = await collect(stream);
    assert.equal(stream.status.truncatedAt, undefined);
    assert.deepEqual(canonical(back), canonical(records));
    assert.equal((await collect(readRecordsFromPcapng(second.path))).length, 5);
  });
});

describe('view --live options', () => {
  it('refuses a bad window, a file and a live source at once, and a missing terminal, naming why', async () => {
    for (const [args, message] of [
      [['view', '--live', 'tcp://127.0.0.1:9', '--window', '0'], /--window must be a whole number of records >= 1 \(got 0\)/],
      [['view', 'demo', '--live', 'tcp://127.0.0.1:9'], /not both/],
      [['view'], /name a capture file to view, or a live source with --live/],
      // The test runner's stdout is a pipe: the viewer says what to use instead.
      [['view', '--live', 'tcp://127.0.0.1:9'], /view --live needs a terminal \(standard output is not a terminal\); use capture --live/],
    ] as const) {
      const err = await commandError(viewCommand, args);
      assert.ok(err instanceof Error && err.name === 'UserError', `${args.join(' ')}: ${String(err)}`);
      assert.match(err.message, message);
    }
  });
});
