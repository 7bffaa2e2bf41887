import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveChannels } from '../../src/sources/channel-map.ts';

test('maps channels by name and common aliases, case-insensitively', () => {
  assert.deepEqual(resolveChannels(['CLK', 'COPI', 'CIPO', 'CS#', 'rdy', 'Data_Ready', 'nRST']), {
    sck: 0, mosi: 1, miso: 2, cs: 3, ready: 4, irq: 5, reset: 6,
  });
  assert.deepEqual(resolveChannels(['miso', 'sclk', 'sdo', 'nss']), { sck: 1, mosi: 2, miso: 0, cs: 3, ready: -1, irq: -1, reset: -1 });
});

test('D0-style names are not aliases: a missing mandatory role names the role and lists the channels', () => {
  assert.throws(() => resolveChannels(['D0', 'D1', 'D2']), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, /no SCK channel/);
    assert.match(e.message, /0:"D0", 1:"D1", 2:"D2"/);
    return true;
  });
  assert.throws(() => resolveChannels(['CLK', 'CS']), /no MOSI or MISO channel/);
  // One data line is enough: write-only devices have no MISO.
  assert.deepEqual(resolveChannels(['CLK', 'MOSI']), { sck: 0, mosi: 1, miso: -1, cs: -1, ready: -1, irq: -1, reset: -1 });
});

test('an explicit map by index or name overrides aliases; other roles still match by name', () => {
  const m = resolveChannels(['D0', 'D1', 'D2', 'D3', 'IRQ'], 'sck=0, mosi=D1,miso=2,cs=3');
  assert.deepEqual(m, { sck: 0, mosi: 1, miso: 2, cs: 3, ready: -1, irq: 4, reset: -1 });
  const swapped = resolveChannels(['MOSI', 'MISO', 'CLK'], 'mosi=1,miso=0');
  assert.equal(swapped.mosi, 1);
  assert.equal(swapped.miso, 0);
  assert.equal(swapped.sck, 2);
});

test('unknown roles, missing channels and duplicate assignments in an explicit map are clear errors', () => {
  assert.throws(() => resolveChannels(['A', 'B', 'C'], 'clock=0'), /unknown role "clock".*sck, mosi/);
  assert.throws(() => resolveChannels(['A', 'B', 'C'], 'sck=7,mosi=1,miso=2'), /sck=7: no such channel/);
  assert.throws(() => resolveChannels(['A', 'B', 'C'], 'sck=0,mosi=0,miso=2'), /both sck and mosi/);
  assert.throws(() => resolveChannels(['A', 'B', 'C'], 'sck'), /expected role=channel/);
});
