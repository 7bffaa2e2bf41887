/**
 * The extcap's protocol text, exactly as Wireshark parses it, and the install helpers: which
 * personal extcap folder each Wireshark generation reads, and a wrapper that really runs the CLI.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { extcapDirFromFolders, extcapWrapper, installExtcapWrapper, parseFolders } from '../../src/extcap/install.ts';
import { configLines, dltLines, filterCheckLines, interfaceLines } from '../../src/extcap/protocol.ts';
import { serialPortCandidates } from '../../src/extcap/serial-ports.ts';
import { BIN, tempDir } from '../cli/helpers.ts';

const dir = tempDir('bs-extcap-');

describe('extcap protocol lines', () => {
  it('lists one interface with the version and help', () => {
    assert.deepEqual(interfaceLines('0.1.0', 'file:///x/README.md'), [
      'extcap {version=0.1.0}{help=file:///x/README.md}',
      'interface {value=buddyshark}{display=WiFi Buddy (buddyshark)}',
    ]);
  });

  it('names Ethernet as the one link type', () => {
    assert.deepEqual(dltLines(), ['dlt {number=1}{name=EN10MB}{display=Ethernet, with the buddy link, BLE, SPI and event interfaces}']);
  });

  it('offers source, baud, raw layer, reconnect and the link protocol', () => {
    assert.deepEqual(configLines([]), [
      'arg {number=0}{call=--source}{display=Source}{type=string}{default=tcp://127.0.0.1:7878}{required=true}' +
        '{tooltip=Bridge to capture from: tcp://host:port (a network bridge or buddyshark simulate --serve) or serial:PORT}',
      'arg {number=1}{call=--baud}{display=Baud rate}{type=unsigned}{default=921600}{range=1,100000000}{tooltip=Serial ports only; a USB CDC port ignores it}',
      'arg {number=2}{call=--raw}{display=Raw SPI layer}{type=boolean}{default=true}{tooltip=Also write every SPI transaction and READY/IRQ/RESET edge (buddy-spi interface)}',
      'arg {number=3}{call=--reconnect}{display=Reconnect}{type=boolean}{default=true}{tooltip=Retry a dropped bridge connection; the gap shows as a capture-gap event}',
      'arg {number=4}{call=--protocol}{display=Link protocol}{type=selector}{tooltip=The protocol on the SPI link; auto picks it from the first transactions by frame validity}',
      'value {arg=4}{value=buddy}{display=buddy link}{default=false}',
      'value {arg=4}{value=esp-hosted-fg}{display=ESP-Hosted-FG}{default=false}',
      'value {arg=4}{value=esp-hosted-ng}{display=ESP-Hosted-NG}{default=false}',
      'value {arg=4}{value=esp-hosted-mcu}{display=ESP-Hosted-MCU}{default=false}',
      'value {arg=4}{value=auto}{display=auto (detect)}{default=true}',
    ]);
  });

  it('names the serial ports found in the source tooltip', () => {
    const [source] = configLines(['/dev/ttyACM0', '/dev/ttyUSB1']);
    assert.match(source, /\{tooltip=[^}]*; serial ports here: serial:\/dev\/ttyACM0, serial:\/dev\/ttyUSB1\}$/);
  });

  it('keeps braces out of values, so a field cannot end early', () => {
    assert.deepEqual(interfaceLines('1.{2}', 'u'), ['extcap {version=1.2}{help=u}', 'interface {value=buddyshark}{display=WiFi Buddy (buddyshark)}']);
  });

  it('accepts only the empty capture filter, with a reason for any other', () => {
    assert.deepEqual(filterCheckLines(''), []);
    assert.deepEqual(filterCheckLines('  '), []);
    assert.deepEqual(filterCheckLines('tcp port 80'), ['buddyshark has no capture filters: capture everything and use a display filter']);
  });

  it('finds USB serial ports in a device folder, in numeric order', () => {
    const dev = join(dir, 'dev');
    mkdirSync(dev);
    for (const n of ['ttyACM10', 'ttyACM2', 'ttyUSB0', 'ttyS0', 'null', 'cu.usbmodem1101']) writeFileSync(join(dev, n), '');
    assert.deepEqual(serialPortCandidates(dev), ['cu.usbmodem1101', 'ttyACM2', 'ttyACM10', 'ttyUSB0'].map((n) => join(dev, n)));
    assert.deepEqual(serialPortCandidates(join(dir, 'no-such-dir')), []);
  });
});

describe('extcap install', () => {
  const tshark40 = 'Temp:                \t/tmp\nPersonal configuration:\t/home/u/.config/wireshark\nGlobal configuration:\t/usr/share/wireshark\n' +
    'Personal Plugins:    \t/home/u/.local/lib/wireshark/plugins/4.0\nExtcap path:         \t/usr/lib/x86_64-linux-gnu/wireshark/extcap\n' +
    'MaxMind database path:\t/usr/share/GeoIP\nMaxMind database path:\t/var/lib/GeoIP\n';
  const tshark44 = `${tshark40}Personal Extcap path:\t/home/u/.local/lib/wireshark/extcap\n`;

  it('reads tshark -G folders', () => {
    const f = parseFolders(tshark40);
    assert.equal(f.get('Personal configuration'), '/home/u/.config/wireshark');
    assert.equal(f.get('MaxMind database path'), '/usr/share/GeoIP');
  });

  it('uses the configuration folder before Wireshark 4.2 and the named extcap folder after', () => {
    assert.equal(extcapDirFromFolders(parseFolders(tshark40)).dir, '/home/u/.config/wireshark/extcap');
    assert.equal(extcapDirFromFolders(parseFolders(tshark44)).dir, '/home/u/.local/lib/wireshark/extcap');
    const guessed = extcapDirFromFolders(null, { HOME: '/home/v' }, 'linux');
    assert.equal(guessed.dir, '/home/v/.local/lib/wireshark/extcap');
    assert.match(guessed.how, /tshark not found/);
    assert.equal(extcapDirFromFolders(null, { APPDATA: 'C:\\Users\\v\\AppData\\Roaming' }, 'win32').dir, join('C:\\Users\\v\\AppData\\Roaming', 'Wireshark', 'extcap'));
  });

  it('quotes paths in the wrapper so odd folder names survive the shell', () => {
    const w = extcapWrapper('/opt/my node/bin/node', "/src/it's here/bin/buddyshark.js", 'linux');
    assert.equal(w.name, 'buddyshark');
    assert.match(w.text, /^#!\/bin\/sh\n/);
    assert.ok(w.text.endsWith(`exec '/opt/my node/bin/node' '/src/it'\\''s here/bin/buddyshark.js' extcap "$@"\n`));
    assert.equal(extcapWrapper('C:\\node.exe', 'C:\\b\\bin\\buddyshark.js', 'win32').name, 'buddyshark.bat');
  });

  it('installs an executable wrapper that answers like the CLI, and reports a replaced one', () => {
    const ext = join(dir, 'extcap');
    const first = installExtcapWrapper(ext, process.execPath, BIN, 'linux');
    assert.equal(first.replaced, false);
    assert.equal(statSync(first.path).mode & 0o777, 0o755);
    const r = spawnSync(first.path, ['--extcap-interfaces', '--extcap-version=4.0'], { encoding: 'utf8', env: { PATH: '/nonexistent' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^extcap \{version=[^}]+\}\{help=file:\/\/[^}]+README\.md\}\ninterface \{value=buddyshark\}\{display=WiFi Buddy \(buddyshark\)\}\n$/);
    assert.equal(installExtcapWrapper(ext, process.execPath, BIN, 'linux').replaced, false);
    assert.equal(installExtcapWrapper(ext, '/other/node', BIN, 'linux').replaced, true);
  });
});
