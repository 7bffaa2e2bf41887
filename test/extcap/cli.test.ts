/**
 * `buddyshark extcap` as Wireshark runs it: exact protocol text on stdout for each question, with
 * the extra flags Wireshark passes; errors as one stderr line with exit 2; --help. Most answers
 * are checked in-process (extcapAnswer); a few runs of the real CLI check the wiring.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { extcapAnswer, extcapArgs } from '../../src/cli/commands/extcap.ts';
import { UserError } from '../../src/cli/output.ts';
import { configLines, dltLines, interfaceLines } from '../../src/extcap/protocol.ts';
import { ROOT } from '../cli/helpers.ts';
import { cliResult } from './helpers.ts';

const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version;
const HELP_URL = pathToFileURL(join(ROOT, 'README.md')).href;
const WIRESHARK_EXTRAS = ['--extcap-version=4.0', '--debug-file', '/dev/null', '--extcap-control-in', '/tmp/ws-in', '--future-flag', '--future-valued', 'v'];

function answer(argv: string[]): string[] {
  return extcapAnswer(extcapArgs(argv), ['/dev/ttyACM0']);
}

function userError(fn: () => unknown, re: RegExp): void {
  assert.throws(fn, (e: unknown) => e instanceof UserError && re.test(e.message));
}

describe('buddyshark extcap answers', () => {
  it('answers each question exactly, whatever extra flags come with it', () => {
    assert.deepEqual(answer(['--extcap-interfaces', ...WIRESHARK_EXTRAS]), interfaceLines(VERSION, HELP_URL));
    assert.deepEqual(answer(['--extcap-interface', 'buddyshark', '--extcap-dlts', ...WIRESHARK_EXTRAS]), dltLines());
    assert.deepEqual(answer(['--extcap-interface', 'buddyshark', '--extcap-config', ...WIRESHARK_EXTRAS]), configLines(['/dev/ttyACM0']));
    assert.deepEqual(answer(['--extcap-config', '--extcap-interface', 'buddyshark', '--extcap-reload-option', '--source']), configLines(['/dev/ttyACM0']));
    assert.deepEqual(answer(['--extcap-interface', 'buddyshark', '--extcap-capture-filter', '']), []);
    assert.deepEqual(answer(['--extcap-interface', 'buddyshark', '--extcap-capture-filter', 'tcp port 80']),
      ['buddyshark has no capture filters: capture everything and use a display filter']);
  });

  it('refuses another interface, an empty question and bad values, as user errors', () => {
    userError(() => answer(['--extcap-interface', 'eth0', '--extcap-dlts']), /^extcap: unknown interface "eth0" \(this extcap provides buddyshark\)$/);
    userError(() => answer(['--debug']), /^extcap: nothing asked; Wireshark runs this with --extcap-interfaces/);
    userError(() => extcapArgs(['--capture', '--fifo', '/f', '--baud', 'fast']), /^extcap: --baud: expected a positive whole number, got "fast"$/);
  });
});

describe('buddyshark extcap (CLI)', { concurrency: true }, () => {
  it('prints the protocol text on stdout and nothing on stderr', async () => {
    const ifaces = await cliResult(['extcap', '--extcap-interfaces', ...WIRESHARK_EXTRAS]);
    assert.equal(ifaces.status, 0, ifaces.stderr);
    assert.equal(ifaces.stderr, '');
    assert.equal(ifaces.stdout, `${interfaceLines(VERSION, HELP_URL).join('\n')}\n`);
  });

  it('fails with one stderr line and exit 2, never a stack trace, and documents itself', async () => {
    const [bad, help] = await Promise.all([
      cliResult(['extcap', '--capture', '--fifo', '/tmp/unused-fifo', '--source', 'tcp://nowhere']),
      cliResult(['extcap', '--help']),
    ]);
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /^buddyshark: tcp:\/\/nowhere: address: [^\n]*needs a host and a port\n$/);
    assert.equal(help.status, 0);
    for (const flag of ['--extcap-interfaces', '--extcap-config', '--capture', '--fifo', '--source', '--baud', '--raw', '--reconnect', 'extcap.buddyshark.source']) {
      assert.ok(help.stdout.includes(flag), flag);
    }
  });
});
