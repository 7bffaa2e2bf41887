/**
 * The viewer on an esp-hosted capture: the same list, detail, hex and request/reply jump as for the
 * buddy link, through the protocol's views (src/link/esp-hosted/views.ts), with no esp-hosted code
 * in the TUI. The session is the test encoder's MCU one, decoded by the esp-hosted link stage.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { cleanup, render } from 'ink-testing-library';
import { createLinkStage } from '../../src/link/select.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { Viewer } from '../../src/tui/components/viewer.tsx';
import { hexView } from '../../src/tui/hex.ts';
import { RecordIndex } from '../../src/tui/record-index.ts';
import { mcuSession } from '../link/esp-hosted/sessions.ts';
import { KEYS, press } from './fixtures.ts';

afterEach(cleanup);

function mcuIndex(): RecordIndex {
  const stage = createLinkStage('esp-hosted-mcu');
  const spi: BuddyRecord[] = mcuSession(256).items.map((it): BuddyRecord => it.kind === 'txn'
    ? { kind: 'txn', txn: it.txn, startNs: it.startNs, endNs: it.endNs, mosi: it.mosi, miso: it.miso }
    : { kind: 'line', line: it.line === 'handshake' ? 'ready' : 'irq', level: it.level, startNs: it.timeNs, endNs: it.timeNs });
  const index = new RecordIndex('mcu.sr');
  index.append([...stage.push(spi), ...stage.finish()]);
  return index;
}

const lines = (frame: string | undefined): string[] => (frame ?? '').split('\n');

test('lists esp-hosted messages and lines by their own names, idle directions hidden', () => {
  const view = render(<Viewer index={mcuIndex()} loaded={1} width={110} height={40} onQuit={() => {}} />);
  const rows = lines(view.lastFrame());
  assert.ok(rows.some((l) => /C→B\s+CTRL\s+1\s+host→ESP ctrl Req_GetMACAddress #1/.test(l)), rows.join('\n'));
  assert.ok(rows.some((l) => /B→C\s+CTRL\s+1\s+ESP→host ctrl Resp_GetMACAddress #1/.test(l)));
  assert.ok(rows.some((l) => /ETH\s+3\s+host→ESP STA eth 42 B ARP who-has 192\.168\.1\.1/.test(l)));
  assert.ok(rows.some((l) => /LINE\s+HANDSHAKE high/.test(l)));
  assert.ok(!rows.some((l) => /IDLE/.test(l)), 'idle directions are hidden');
  view.unmount();
});

test('r jumps from an esp-hosted request to its response, and the detail pane shows the header and the message', async () => {
  const view = render(<Viewer index={mcuIndex()} loaded={1} width={110} height={40} onQuit={() => {}} />);
  const selected = (): string => lines(view.lastFrame()).find((l) => l.startsWith('›')) ?? '';
  while (!/Req_GetMACAddress/.test(selected())) await press(view, 'j');
  await press(view, KEYS.enter);
  const frame = lines(view.lastFrame());
  assert.ok(frame.some((l) => /reply: Resp_GetMACAddress #1 after .+ \(r jumps\)/.test(l)), frame.join('\n'));
  assert.ok(frame.some((l) => /if_type/.test(l)), 'the header fields');
  await press(view, 'r');
  assert.match(selected(), /Resp_GetMACAddress #1/);
  view.unmount();
});

test('the hex pane maps the esp-hosted header fields onto the wire bytes', () => {
  const index = mcuIndex();
  let i = 0;
  while (!(index.record(i).kind === 'link' && /Resp_GetMACAddress/.test(index.summaryText(i)))) i++;
  const view = hexView(index.record(i), index.txnOf(i));
  assert.match(view.sections[0].title, /^frame MISO/);
  const names = view.fields.map((f) => f.name);
  for (const n of ['if_type:4 / if_num:4', 'flags', 'len', 'offset', 'checksum', 'seq_num', 'payload']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
  const len = view.fields.find((f) => f.name === 'len');
  assert.deepEqual([len?.start, len?.end], [2, 4]);
});
