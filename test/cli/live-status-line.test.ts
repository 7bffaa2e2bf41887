/**
 * The live capture's status line: its text (counts, rates over the interval, anomalies, gaps),
 * cutting a coloured line to the terminal's width, redrawing in place on a terminal, and plain
 * lines (one per connection change, not one per retry) when stderr is not a terminal.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitVisible, formatBytes, formatElapsed, liveStatusText, LiveStatusLine, type CaptureSnapshot } from '../../src/cli/live/status-line.ts';

const snap = (over: Partial<CaptureSnapshot> = {}): CaptureSnapshot => ({
  name: 'tcp://127.0.0.1:7878', state: 'connected', elapsedMs: 12_500, records: 12_345, packets: 10_000, bytesIn: 1_200_000,
  anomalies: {}, badPackets: 0, gaps: 0, reconnects: 0, backlog: 0, ...over,
});

/** A stand-in for process.stderr that keeps what was written. */
function stream(isTTY: boolean, columns = 80): NodeJS.WriteStream & { text: string } {
  const s = { isTTY, columns, text: '', write(chunk: string) { s.text += chunk; return true; } };
  return s as unknown as NodeJS.WriteStream & { text: string };
}

describe('liveStatusText', () => {
  it('says the state, time, counts and rates over the interval', () => {
    const prev = snap({ records: 10_000, bytesIn: 1_000_000 });
    const text = liveStatusText(snap(), prev, 2000, false);
    assert.equal(text, 'tcp://127.0.0.1:7878 connected  0:12  12,345 records (1,173/s)  10,000 packets  1.2 MB in (100.0 kB/s)  anomalies 0');
    assert.doesNotMatch(liveStatusText(snap(), null, 0, false), /\/s/, 'no rate before a second snapshot');
  });

  it('lists anomalies by count, then gaps, reconnects and a large backlog', () => {
    const text = liveStatusText(snap({ anomalies: { 'capture-gap': 1, 'payload-crc': 3 }, gaps: 1, reconnects: 2, backlog: 50_000, state: 'disconnected' }), null, 0, false);
    assert.match(text, / disconnected /);
    assert.match(text, /anomalies 4 \(payload-crc 3, capture-gap 1\)  gaps 1  reconnects 2  backlog 50,000$/);
  });

  it('counts bridge packets dropped for a bad CRC, after the anomalies', () => {
    const text = liveStatusText(snap({ anomalies: { 'bad-packets': 2 }, badPackets: 7 }), null, 0, false);
    assert.match(text, /anomalies 2 \(bad-packets 2\)  bad packets 7$/);
    assert.doesNotMatch(liveStatusText(snap(), null, 0, false), /bad packets/, 'nothing when there are none');
  });

  it('formats sizes and elapsed time', () => {
    assert.equal(formatBytes(999), '999 B');
    assert.equal(formatBytes(1_500), '1.5 kB');
    assert.equal(formatBytes(2_500_000_000), '2.50 GB');
    assert.equal(formatElapsed(65_000), '1:05');
    assert.equal(formatElapsed(3_725_000), '1:02:05');
  });

  it('cuts a coloured line by visible characters and resets the colour', () => {
    const line = `ab\x1b[31mcdef\x1b[39mgh`;
    assert.equal(fitVisible(line, 4), 'ab\x1b[31mcd\x1b[0m');
    assert.equal(fitVisible(line, 20), line);
  });
});

describe('LiveStatusLine', () => {
  it('on a terminal: redraws one line in place, cut to the width, and erases it at the end', () => {
    const out = stream(true, 40);
    const line = new LiveStatusLine(() => snap(), out);
    line.tick();
    line.tick();
    const draws = out.text.split('\r\x1b[2K').filter((d) => d !== '');
    assert.equal(draws.length, 2);
    for (const d of draws) assert.ok(!d.includes('\n') && d.replace(/\x1b\[[\d;]*m/g, '').length <= 39, JSON.stringify(d));
    line.stop();
    assert.ok(out.text.endsWith('\r\x1b[2K'), 'erased');
  });

  it('not on a terminal: plain lines, one per connection change, not one per retry', () => {
    const out = stream(false);
    const line = new LiveStatusLine(() => snap(), out);
    line.status({ state: 'connecting', detail: 'connecting to 127.0.0.1:7878' });
    line.status({ state: 'connected', detail: 'connected to 127.0.0.1:7878, waiting for the hello' });
    line.status({ state: 'connected', detail: 'connected to 127.0.0.1:7878 (bridge sim)' });
    line.status({ state: 'disconnected', detail: '127.0.0.1:7878: closed by the bridge; reconnecting in 100 ms' });
    // The connection loop says "connecting" before each retry, as src/sources/live does.
    line.status({ state: 'connecting', detail: 'connecting to 127.0.0.1:7878' });
    line.status({ state: 'disconnected', detail: 'cannot connect to 127.0.0.1:7878; retrying in 200 ms' });
    line.status({ state: 'connecting', detail: 'connecting to 127.0.0.1:7878' });
    line.status({ state: 'disconnected', detail: 'cannot connect to 127.0.0.1:7878; retrying in 400 ms' });
    line.status({ state: 'connecting', detail: 'connecting to 127.0.0.1:7878' });
    line.status({ state: 'connected', detail: 'connected to 127.0.0.1:7878 (bridge sim)' });
    line.tick();
    line.stop();
    assert.deepEqual(out.text.trimEnd().split('\n'), [
      'buddyshark: connected to 127.0.0.1:7878, waiting for the hello',
      'buddyshark: connected to 127.0.0.1:7878 (bridge sim)',
      'buddyshark: 127.0.0.1:7878: closed by the bridge; reconnecting in 100 ms',
      'buddyshark: connected to 127.0.0.1:7878 (bridge sim)',
      'buddyshark: tcp://127.0.0.1:7878 connected  0:12  12,345 records  10,000 packets  1.2 MB in  anomalies 0',
    ]);
    assert.doesNotMatch(out.text, /\x1b/, 'no terminal codes in a log');
  });
});
