/**
 * The header at 80 columns (the smallest terminal the viewer is made for): a long file name, many
 * channels, several anomaly kinds, the SPI mode and a live view's window note and connection
 * state do not fit on two rows, so the least important parts shorten or go first, and the file
 * name, duration, record count, connection state and anomaly count stay readable. At 160 columns
 * everything is there, as before.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { Header, headerLines } from '../../src/tui/components/header.tsx';
import { newSummary, type RecordSummary } from '../../src/records/summary.ts';

afterEach(cleanup);

function busy(input: string, format: string): RecordSummary {
  return {
    ...newSummary(input, format),
    records: 1_234_567,
    channels: { idle: 900_000, control: 120_000, ethernet: 98_000, trace: 61_000, ble: 4_000 },
    anomalies: { 'header-crc': 12, 'payload-crc': 7, 'lost-frame': 3, 'cs-glitch': 1 },
    durationNs: 754_300_000_000,
    spiMode: 'mode 0 (CPOL 0, CPHA 0), MSB first, CS active low (detected)',
    firstNs: 0,
    lastNs: 754_300_000_000,
  };
}

const FILE = 'captures/field-tests/2026-11-24/buddy-link-overnight-soak-run-3.pcapng';

test('a file at 80 columns: name, duration, records and the anomaly count stay readable', () => {
  const view = render(<Header summary={busy(FILE, 'pcapng')} width={80} loading={false} error={null} />);
  const [first, second] = (view.lastFrame() ?? '').split('\n');
  assert.ok(first.length <= 80 && second.length <= 80, 'nothing wider than the terminal');
  assert.match(first, /^…\/buddy-link-overnight-soak-run-3\.pcapng {2}754\.300 s {2}1,234,567 records\s*$/, 'the folders and the format go first');
  assert.match(second, /│ anomalies 23\b/, 'the anomaly count is whole');
  assert.ok(!second.trimEnd().endsWith('…'), `nothing cut in the middle: ${second}`);
  assert.match(second, /^frames: control 120000/, 'the idle frames leave the counts before the other channels');
});

test('a live view at 80 columns keeps the connection state and shortens the window note', () => {
  const summary = { ...busy('tcp://127.0.0.1:7979', 'live'), records: 200_000, durationNs: 3_546_000_000 };
  const live = { state: 'connected', dropped: 1_788_000, window: 200_000 };
  const [first] = headerLines(summary, false, null, live, 80);
  assert.equal(first.length, 80);
  assert.match(first, /^tcp:\/\/127\.0\.0\.1:7979 {2}3\.546 s {2}200,000 records {2}\(1,788,000 dropped\) {2}● connected\s*$/, 'the URL stays whole');
  // Less room: the window note goes before the connection state.
  const [disconnected] = headerLines({ ...summary, records: 12_345_678 }, false, null, { ...live, state: 'disconnected' }, 80);
  assert.match(disconnected, /^tcp:\/\/127\.0\.0\.1:7979 {2}3\.546 s {2}12,345,678 records {2}○ disconnected\s*$/);
});

test('a wide terminal shows every part in full', () => {
  const [first, second] = headerLines(busy('captures/demo.pcapng', 'pcapng'), false, null, { state: 'connected', dropped: 10, window: 100 }, 160);
  assert.match(first, /^captures\/demo\.pcapng \(pcapng\) {2}754\.300 s {2}1,234,567 records {2}\(window: newest 100; 10 older dropped\) {2}● connected\s*$/);
  assert.match(second, /^frames: idle 900000, control 120000, ethernet 98000, trace 61000, ble 4000 │ anomalies 23 \(header-crc 12, payload-crc 7, lost-frame 3, cs-glitch 1\) │ SPI mode 0/);
});

test('at 80 columns the frame counts give way to the anomaly count, the SPI mode going first', () => {
  const [, second] = headerLines(busy('x.pcapng', 'pcapng'), false, null, null, 80);
  assert.match(second, /^frames: control 120000, ethernet 98000, trace 61000, ble 4000 │ anomalies 23\s*$/);
  const [, roomy] = headerLines(busy('x.pcapng', 'pcapng'), false, null, null, 120);
  assert.match(roomy, /^frames: control 120000, ethernet 98000, trace 61000, ble 4000 │ anomalies 23 \(header-crc 12, …\) │ SPI mode 0\s*$/,
    'with more room, the commonest anomaly kind and the short SPI mode stay');
});
