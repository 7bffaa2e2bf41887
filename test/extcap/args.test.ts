/**
 * Lenient extcap arguments: every flag form Wireshark uses (and ones it may add later) parses
 * without error, Wireshark's boolean spellings mean what Wireshark means, and only a bad value we
 * act on is refused, naming the flag.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExtcapArgError, extcapBoolean, parseExtcapArgs } from '../../src/extcap/args.ts';

describe('extcap arguments', () => {
  it('reads a Wireshark capture command line, ignoring the flags it does not use', () => {
    const a = parseExtcapArgs([
      '--capture', '--extcap-interface', 'buddyshark', '--fifo', '/tmp/wireshark_extcap_x', '--extcap-capture-filter', '',
      '--extcap-control-in', '/tmp/in', '--extcap-control-out', '/tmp/out', '--debug', '--debug-file', '/tmp/log',
      '--source', 'serial:/dev/ttyACM0', '--baud', '115200', '--raw', 'false', '--reconnect', 'true', '--extcap-version=4.0',
    ]);
    assert.equal(a.mode, 'capture');
    assert.equal(a.iface, 'buddyshark');
    assert.equal(a.fifo, '/tmp/wireshark_extcap_x');
    assert.equal(a.captureFilter, '');
    assert.equal(a.source, 'serial:/dev/ttyACM0');
    assert.equal(a.baud, 115200);
    assert.equal(a.raw, false);
    assert.equal(a.reconnect, true);
    assert.equal(a.debug, true);
    assert.equal(a.debugFile, '/tmp/log');
    assert.equal(a.wiresharkVersion, '4.0');
    assert.deepEqual(a.ignored, ['--extcap-control-in /tmp/in', '--extcap-control-out /tmp/out']);
  });

  it('has defaults for everything a capture needs but the fifo', () => {
    const a = parseExtcapArgs(['--capture', '--fifo=/f']);
    assert.deepEqual({ source: a.source, baud: a.baud, raw: a.raw, reconnect: a.reconnect, fifo: a.fifo },
      { source: 'tcp://127.0.0.1:7878', baud: 921600, raw: true, reconnect: true, fifo: '/f' });
  });

  it('takes the link protocol, auto by default, and refuses one it does not know', () => {
    assert.equal(parseExtcapArgs(['--capture', '--fifo=/f']).protocol, 'auto');
    assert.equal(parseExtcapArgs(['--capture', '--fifo=/f', '--protocol', 'esp-hosted-mcu']).protocol, 'esp-hosted-mcu');
    assert.throws(() => parseExtcapArgs(['--capture', '--fifo=/f', '--protocol=spi-nor']), /extcap: --protocol spi-nor: not one of buddy, esp-hosted-fg/);
  });

  it('picks the question Wireshark asks', () => {
    assert.equal(parseExtcapArgs(['--extcap-interfaces', '--extcap-version=4.2']).mode, 'interfaces');
    assert.equal(parseExtcapArgs(['--extcap-interface', 'buddyshark', '--extcap-dlts']).mode, 'dlts');
    assert.equal(parseExtcapArgs(['--extcap-interface', 'buddyshark', '--extcap-config']).mode, 'config');
    assert.equal(parseExtcapArgs(['--extcap-config', '--extcap-interface', 'buddyshark', '--extcap-reload-option', '--source']).mode, 'config');
    assert.equal(parseExtcapArgs(['--extcap-interface', 'buddyshark', '--extcap-capture-filter', 'tcp']).mode, 'filter-check');
    assert.equal(parseExtcapArgs([]).mode, 'none');
  });

  it('survives flags from future Wireshark versions, with or without values', () => {
    const a = parseExtcapArgs(['--extcap-config', '--new-flag', '--another=1', '--with-value', 'v', '--extcap-interface', 'buddyshark', 'stray', '--']);
    assert.equal(a.mode, 'config');
    assert.equal(a.iface, 'buddyshark');
    assert.deepEqual(a.ignored, ['--new-flag', '--another=1', '--with-value v', 'stray', '--']);
  });

  it('takes a valued flag\'s value even when it starts with dashes', () => {
    const a = parseExtcapArgs(['--extcap-config', '--extcap-reload-option', '--source', '--extcap-interface', 'buddyshark']);
    assert.equal(a.iface, 'buddyshark');
    assert.deepEqual(a.ignored, ['--extcap-reload-option --source']);
    assert.equal(a.source, 'tcp://127.0.0.1:7878');
  });

  it('reads booleans like Wireshark, and a bare flag as true', () => {
    for (const t of ['true', 'TRUE', 'yes', 'y', '1', '7']) assert.equal(extcapBoolean(t), true, t);
    for (const f of ['false', 'FALSE', 'no', 'n', '0', 'off', '']) assert.equal(extcapBoolean(f), false, f);
    assert.equal(parseExtcapArgs(['--raw', '--capture']).raw, true);
    assert.equal(parseExtcapArgs(['--raw=no']).raw, false);
    assert.equal(parseExtcapArgs(['--reconnect', '0']).reconnect, false);
    // A bare boolean does not swallow a following word that is not a boolean.
    const a = parseExtcapArgs(['--raw', 'stray']);
    assert.equal(a.raw, true);
    assert.deepEqual(a.ignored, ['stray']);
  });

  it('refuses a bad baud rate or a missing value, naming the flag', () => {
    for (const bad of [['--baud', 'fast'], ['--baud', '-3'], ['--baud=0'], ['--baud', '1.5'], ['--baud']]) {
      assert.throws(() => parseExtcapArgs(bad), (e: unknown) => e instanceof ExtcapArgError && /^extcap: --baud: expected a positive whole number/.test(e.message), bad.join(' '));
    }
    assert.throws(() => parseExtcapArgs(['--capture', '--fifo']), /extcap: --fifo needs a value/);
    assert.throws(() => parseExtcapArgs(['--source=']), /extcap: --source needs a value/);
  });
});
