/**
 * The command line as a user meets it: help, version, exit codes, one-line errors that name the
 * file and the place (never a stack trace), partial output kept, and --json for scripts.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { findVector } from '../../src/protocol/vectors.ts';
import { cli, ROOT, tempDir } from './helpers.ts';

const dir = tempDir('bs-cli-');
const DEMO = join(ROOT, 'captures/demo.pcapng');

function oneLineError(stderr: string): string {
  const lines = stderr.trim().split('\n');
  assert.equal(lines.length, 1, `expected one line on stderr, got:\n${stderr}`);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
  return lines[0];
}

describe('buddyshark CLI', () => {
  it('lists every command in --help and prints the version', () => {
    const help = cli(['--help']);
    assert.equal(help.status, 0);
    for (const c of ['decode', 'view', 'capture', 'info', 'simulate', 'replay', 'protocol', 'wireshark', 'extcap']) assert.match(help.stdout, new RegExp(`buddyshark ${c}`));
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    assert.equal(cli(['--version']).stdout.trim(), pkg.version);
  });

  it('reads standard input when the input is -', () => {
    const vcd = cli(['simulate', 'demo', '-o', join(dir, 'stdin-demo.vcd')]);
    assert.equal(vcd.status, 0, vcd.stderr);
    const r = cli(['decode', '-', '--json'], { input: readFileSync(join(dir, 'stdin-demo.vcd'), 'utf8') });
    assert.equal(r.status, 0, r.stderr);
    const summary = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { input: string; kinds: { txn: number } };
    assert.equal(summary.kinds.txn, 34);
  });

  it('rejects an unknown option with one line and exit 2', () => {
    const r = cli(['decode', DEMO, '--bogus']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /Unknown argument: bogus/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  it('names a missing file in one line with exit 2', () => {
    const r = cli(['decode', join(dir, 'nope.sr')]);
    assert.equal(r.status, 2);
    assert.match(oneLineError(r.stderr), /nope\.sr: open: no such file$/);
  });

  it('names garbage input and the place in it', () => {
    const f = join(dir, 'garbage.bin');
    writeFileSync(f, Buffer.from([0x13, 0x37, 0, 0xff, 0x42, 0x99, 0x10, 0x01]));
    const r = cli(['decode', f]);
    assert.equal(r.status, 2);
    assert.match(oneLineError(r.stderr), /garbage\.bin: byte 0: unknown format/);
  });

  it('keeps the records decoded before a fault in a VCD, then names the line', () => {
    const vcd = join(dir, 'demo.vcd');
    assert.equal(cli(['simulate', 'demo', '-o', vcd]).status, 0);
    const text = readFileSync(vcd, 'utf8').split('\n');
    // Time going backwards two thirds of the way in.
    const at = Math.floor(text.length * 0.66);
    text.splice(at, 0, '#5');
    const bad = join(dir, 'backwards.vcd');
    writeFileSync(bad, text.join('\n'));
    const r = cli(['decode', bad, '--json']);
    assert.equal(r.status, 2);
    assert.match(oneLineError(r.stderr), new RegExp(`backwards\\.vcd: line ${at + 1}: `));
    const records = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string });
    assert.ok(records.filter((x) => x.kind === 'frame').length > 20, 'frames before the fault are output');
  });

  it('reads a cut pcapng up to the cut, then fails naming the byte', () => {
    const cut = join(dir, 'cut.pcapng');
    writeFileSync(cut, readFileSync(DEMO).subarray(0, 15000));
    const r = cli(['decode', cut]);
    assert.equal(r.status, 2);
    assert.match(oneLineError(r.stderr), /cut\.pcapng: byte \d+: the file ends inside a block/);
    assert.match(r.stdout, /transactions \d+/);
  });

  it('decode --json gives one record per line and a summary line last', () => {
    const r = cli(['decode', DEMO, '--json']);
    assert.equal(r.status, 0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { kind: string; records?: number });
    const summary = lines[lines.length - 1];
    assert.equal(summary.kind, 'summary');
    assert.equal(summary.records, lines.length - 1);
    assert.ok(lines.some((l) => l.kind === 'frame'));
  });

  it('decode prints plain text (no escape codes) when piped', () => {
    const r = cli(['decode', DEMO]);
    assert.equal(r.status, 0);
    assert.doesNotMatch(r.stdout, /\x1b\[/);
    assert.match(r.stdout, /scan_result #2 2 APs: mnemos-lab/);
  });

  it('capture refuses to overwrite without --force, and info summarises what it wrote', () => {
    const out = join(dir, 'cap.pcapng');
    assert.equal(cli(['capture', 'demo', '-w', out]).status, 0);
    const again = cli(['capture', 'demo', '-w', out]);
    assert.equal(again.status, 2);
    assert.match(oneLineError(again.stderr), /cap\.pcapng already exists/);
    assert.equal(cli(['capture', 'demo', '-w', out, '--force', '--no-raw']).status, 0);
    const info = cli(['info', out, '--json']);
    assert.equal(info.status, 0);
    const s = JSON.parse(info.stdout) as { records: Record<string, number>; truncated: boolean };
    assert.equal(s.records.txn, 0, '--no-raw leaves transactions out');
    assert.ok(s.records.frame > 0);
    assert.equal(s.truncated, false);
  });

  it('info reads a .pcapng.gz like decode does, and reports a cut one as truncated', () => {
    const gz = join(ROOT, 'captures/golden/demo.pcapng.gz');
    const whole = JSON.parse(cli(['info', gz, '--json']).stdout) as { packets: number; truncated: boolean };
    assert.equal(whole.truncated, false);
    assert.equal(whole.packets, 199);
    const cut = join(dir, 'cut.pcapng.gz');
    writeFileSync(cut, readFileSync(gz).subarray(0, 3000));
    const r = cli(['info', cut, '--json']);
    assert.equal(r.status, 0, r.stderr);
    const s = JSON.parse(r.stdout) as { packets: number; truncated: boolean };
    assert.equal(s.truncated, true);
    assert.ok(s.packets > 0 && s.packets < 199);
  });

  it('simulate exits 0 when the scenario expectations hold and reports them as JSON', () => {
    const r = cli(['simulate', 'wrong-passphrase', '--json']);
    assert.equal(r.status, 0);
    const report = JSON.parse(r.stdout) as { passed: boolean; steps: { code?: string }[] };
    assert.equal(report.passed, true);
    assert.ok(report.steps.some((s) => s.code === 'auth-failed'));
  });

  it('simulate names an unknown scenario and lists the shipped ones', () => {
    const r = cli(['simulate', 'nope']);
    assert.equal(r.status, 2);
    assert.match(oneLineError(r.stderr), /nope: no such scenario .*demo.*flood/);
  });

  it('simulate rejects an unknown output type before doing any work', () => {
    const r = cli(['simulate', 'demo', '-o', join(dir, 'x.txt')]);
    assert.equal(r.status, 2);
    assert.match(oneLineError(r.stderr), /unknown output type "\.txt"/);
  });

  it('protocol decode decodes a vector, and says what is wrong with a bad frame', () => {
    const v = findVector('scan');
    assert.ok(v);
    const ok = cli(['protocol', 'decode', v.hex, '--json']);
    assert.equal(ok.status, 0);
    assert.equal((JSON.parse(ok.stdout) as { decoded: { msg: { type: string } } }).decoded.msg.type, 'scan');
    const flipped = v.hex.slice(0, 10) + (v.hex[10] === '0' ? '1' : '0') + v.hex.slice(11);
    const bad = cli(['protocol', 'decode', flipped]);
    assert.equal(bad.status, 1);
    assert.match(oneLineError(bad.stderr), /header-crc at byte 12/);
  });

  it('view prints the summary instead of hanging when not on a terminal', () => {
    const r = cli(['view', DEMO]);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /needs a terminal/);
    assert.match(r.stdout, /transactions 34/);
  });

  it('wireshark install puts the plugin in the folder given', () => {
    const plugins = join(dir, 'plugins');
    const r = cli(['wireshark', 'install', '--dir', plugins, '--no-extcap', '--json']);
    assert.equal(r.status, 0);
    const { installed } = JSON.parse(r.stdout) as { installed: string };
    assert.equal(readFileSync(installed, 'utf8'), readFileSync(join(ROOT, 'wireshark/buddyshark.lua'), 'utf8'));
  });
});
