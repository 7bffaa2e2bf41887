import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ChannelMapError, resolveChannels, resolveChannelsOf } from '../../src/sources/channel-map.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { UserFacingError } from '../../src/errors.ts';

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

test('every mapping fault is a user-facing ChannelMapError, on one line, saying which part of --channels is wrong', () => {
  const cases: [string[], string, RegExp][] = [
    [['A', 'B', 'C'], 'garbage', /^--channels: "garbage": expected role=channel/],
    [['X', 'Y', 'Z'], 'sck=a', /^--channels: sck=a: no such channel; the file has 0:"X", 1:"Y", 2:"Z"$/],
    [['CS#', 'MOSI', 'CLK'], 'miso=9', /^--channels: miso=9: no such channel; the file has 0:"CS#", 1:"MOSI", 2:"CLK"$/],
    [['A', 'B', 'C'], 'sck=0,sck=1', /^--channels: sck given twice$/],
    [['A', 'B', 'C'], 'sck=0,mosi=0', /^--channels: channel 0 given to both sck and mosi$/],
    // Whatever data lines become mandatory, a capture without a clock cannot be decoded.
    [['MOSI', 'MISO', 'CS'], '', /^channels: no SCK channel: none of 0:"MOSI", 1:"MISO", 2:"CS" is named like sck\//],
  ];
  for (const [channels, spec, message] of cases) {
    assert.throws(() => resolveChannels(channels, spec), (e: unknown) => {
      assert.ok(e instanceof ChannelMapError && e instanceof UserFacingError, String(e));
      assert.equal(e.exitCode, 2);
      assert.match(e.message, message);
      return true;
    }, spec);
  }
});

test('a channel name with a quote or a line break, and a file of many channels, still give one line', () => {
  assert.throws(() => resolveChannels(['a"b', 'c\nd'], 'sck=5'), (e: unknown) => e instanceof ChannelMapError && e.message === '--channels: sck=5: no such channel; the file has 0:"a\\"b", 1:"c\\nd"');
  const many = Array.from({ length: 40 }, (_, i) => `D${i}`);
  assert.throws(() => resolveChannels(many), (e: unknown) => e instanceof ChannelMapError && /15:"D15" and 24 more is named like/.test(e.message) && !/D16/.test(e.message));
});

test('resolveChannelsOf names the capture: `x.sr: --channels: miso=9: no such channel; ...`', () => {
  assert.deepEqual(resolveChannelsOf('x.sr', ['CLK', 'MOSI', 'MISO']), resolveChannels(['CLK', 'MOSI', 'MISO']));
  assert.throws(() => resolveChannelsOf('x.sr', ['CS#', 'MOSI', 'CLK'], 'miso=9'), (e: unknown) => {
    assert.ok(e instanceof SourceError);
    assert.equal(e.source, 'x.sr');
    assert.equal(e.where, '--channels');
    assert.equal(e.message, 'x.sr: --channels: miso=9: no such channel; the file has 0:"CS#", 1:"MOSI", 2:"CLK"');
    return true;
  });
  assert.throws(() => resolveChannelsOf('<stdin>', ['D0', 'D1']), (e: unknown) => e instanceof SourceError && /^<stdin>: channels: no SCK channel/.test(e.message));
});
