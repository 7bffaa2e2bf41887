/**
 * Every command on bad input, through the real entry point (`node bin/buddyshark.js`, three at a
 * time), and every option that takes a value with bad values, in process (commandError, as main.ts
 * would run it). Faults found before a command prints anything run in process too, to keep the
 * file fast; whatever can fail while output flows (cut files, zip entries, streams) is spawned.
 * The error policy they check: no stack trace ever (no stderr line like `    at ...` or
 * `Node.js v20...`), an exit code of 0, 1 (replay divergence, an invalid frame) or 2 (bad input or
 * options), and for a file or option fault one line on stderr that names the file or the option.
 *
 * Hostile inputs are made here, in a temp dir: empty and random files, captures cut short, a pcapng
 * packet claiming 2^31 bytes, a zip entry lying about its size, a directory, a missing file,
 * scenarios with a 1,000,000-character SSID, and so on.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import type { CommandModule } from 'yargs';
import { exitCodeFor, messageFor } from '../../src/cli/errors.ts';
import { captureCommand } from '../../src/cli/commands/capture.ts';
import { decodeCommand } from '../../src/cli/commands/decode.ts';
import { infoCommand } from '../../src/cli/commands/info.ts';
import { protocolCommand } from '../../src/cli/commands/protocol.ts';
import { replayCommand } from '../../src/cli/commands/replay.ts';
import { simulateCommand } from '../../src/cli/commands/simulate.ts';
import { viewCommand } from '../../src/cli/commands/view.ts';
import { wiresharkCommand } from '../../src/cli/commands/wireshark.ts';
import { UserFacingError } from '../../src/errors.ts';
import { summarizePcapng } from '../../src/pcapng/summary.ts';
import { patchEntrySizes } from '../sources/zip-helpers.ts';
import { BIN, commandError, ROOT, tempDir } from './helpers.ts';

const dir = tempDir('bs-bad-');
const at = (name: string): string => join(dir, name);
const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A regex for an error line that starts with the file's name. */
const about = (file: string, rest = ''): RegExp => new RegExp(`^${esc(file)}: ${rest}`);

// ---------------- hostile inputs ----------------

/** Deterministic noise (an LCG), so a failure reproduces. */
function noise(n: number, seed = 7): Buffer {
  const b = Buffer.alloc(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    b[i] = x >>> 24;
  }
  return b;
}

function write(name: string, data: string | Buffer): string {
  writeFileSync(at(name), data);
  return at(name);
}

function pcapngBlock(type: number, body: Buffer): Buffer {
  const padded = Buffer.concat([body, Buffer.alloc((4 - (body.length % 4)) % 4)]);
  const head = Buffer.alloc(8);
  head.writeUInt32LE(type, 0);
  head.writeUInt32LE(padded.length + 12, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt32LE(padded.length + 12, 0);
  return Buffer.concat([head, padded, tail]);
}

/** SHB, IDB and one EPB whose captured length says 2^31 - 2 (the bug: pad4 turned it negative). */
function hugeCaptureLength(): Buffer {
  const shb = Buffer.alloc(16);
  shb.writeUInt32LE(0x1a2b3c4d, 0);
  shb.writeUInt16LE(1, 4);
  shb.writeBigInt64LE(-1n, 8);
  const idb = Buffer.alloc(8);
  idb.writeUInt16LE(1, 0);
  const epb = Buffer.alloc(24);
  epb.writeUInt32LE(0x7ffffffe, 12);
  epb.writeUInt32LE(4, 16);
  return Buffer.concat([pcapngBlock(0x0a0d0d0a, shb), pcapngBlock(1, idb), pcapngBlock(6, Buffer.concat([epb, Buffer.from('abcd')]))]);
}

const demoPcapng = readFileSync(join(ROOT, 'captures/demo.pcapng'));
const demoGz = readFileSync(join(ROOT, 'captures/golden/demo.pcapng.gz'));
const sr = readFileSync(join(ROOT, 'test/fixtures/real/sigrok-dumps-spi/spi-count-msb.sr'));
const vcd = readFileSync(join(ROOT, 'test/fixtures/sources/sigrok.vcd'), 'utf8');
const csv = readFileSync(join(ROOT, 'test/fixtures/sources/logic2-digital.csv'), 'utf8');
const demoScenario = JSON.parse(readFileSync(join(ROOT, 'captures/scenarios/demo.json'), 'utf8')) as {
  world: { aps: { ssid: string }[] };
  steps: Record<string, unknown>[];
};

const F = {
  missing: at('missing.sr'),
  dir: at('a-directory'),
  empty: write('empty', ''),
  random: write('random.bin', noise(8192)),
  cutPcapng: write('cut.pcapng', demoPcapng.subarray(0, Math.floor(demoPcapng.length * 0.6))),
  hugePcapng: write('huge-caplen.pcapng', hugeCaptureLength()),
  hugeGz: write('huge-caplen.pcapng.gz', gzipSync(hugeCaptureLength())),
  cutGz: write('cut.pcapng.gz', demoGz.subarray(0, Math.floor(demoGz.length / 2))),
  garbageGz: write('garbage.pcapng.gz', Buffer.concat([Buffer.of(0x1f, 0x8b), noise(4096, 3)])),
  cutSr: write('cut.sr', sr.subarray(0, Math.floor(sr.length / 2))),
  zipNoise: write('noise.sr', Buffer.concat([Buffer.from('PK\x03\x04'), noise(2048, 5)])),
  badSizeSr: write('bad-size.sr', sr),
  cutVcd: write('cut.vcd', vcd.slice(0, vcd.indexOf('$enddefinitions') + 5)),
  garbageVcd: write('garbage.vcd', `${vcd.slice(0, vcd.indexOf('#0'))}#0 0! 1"\n#x zz\n#3 1!`),
  noSck: write('no-sck.vcd', vcd.replace('CLK', 'D9')),
  noData: write('no-data.vcd', vcd.replace('$var wire 1 " MOSI $end', '$var wire 1 " D5 $end').replace('$var wire 1 # MISO $end', '$var wire 1 # D6 $end')),
  cutCsv: write('cut.csv', csv.slice(0, Math.floor(csv.length * 0.7))),
  headerCsv: write('header-only.csv', `${csv.split('\n')[0]}\n`),
  badNdjson: write('bad.ndjson', '{"kind":"txn","startNs":"soon","endNs":1,"txn":0,"mosi":"","miso":""}\n'),
  cutNdjson: write('cut.ndjson', '{"kind":"txn","startNs":0,"endNs":1,"txn":0,"mos'),
  hugeSsid: write('huge-ssid.json', JSON.stringify({ ...demoScenario, world: { ...demoScenario.world, aps: [{ ...demoScenario.world.aps[0], ssid: 'x'.repeat(1_000_000) }] } }, null, 2)),
  ssid33: write('ssid33.json', JSON.stringify({ ...demoScenario, steps: [{ do: 'connect', ssid: 'y'.repeat(33) }] }, null, 2)),
  syntax: write('syntax.json', '{\n  "name": "demo",\n  "seed": 1\n  "steps": []\n}\n'),
  existingVcd: write('existing.vcd', 'already here\n'),
  plainFile: write('plain-file', 'not a folder\n'),
};
mkdirSync(F.dir);
// The entry holding the samples claims fewer compressed bytes than it has: its inflater fails mid-stream.
patchEntrySizes(F.badSizeSr, 'logic-1-1', { compressed: 40 });
copyFileSync(F.existingVcd, at('existing-too.vcd'));

// ---------------- the real entry point, a few at a time ----------------

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const SPAWN_TIMEOUT_MS = 60_000;

function run(args: readonly string[], stdin: string | Buffer = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: dir, env: { ...process.env, NO_COLOR: '1', HOME: dir, XDG_CONFIG_HOME: join(dir, '.config') }, stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: signal ? null : code, stdout, stderr: signal ? `${stderr}\n(killed by ${signal}: a hang)` : stderr });
    });
    child.stdin.on('error', () => undefined); // a command that never reads stdin closes it early
    child.stdin.end(stdin);
  });
}

/** Runs `jobs` with at most `width` at once (the machine's cores are shared). */
async function pool<T, R>(jobs: readonly T[], width: number, work: (job: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await work(jobs[i]);
    }
  }));
  return out;
}

/** Lines a command may print besides its one error (notes that say what it does instead). */
const NOTES = [
  /^buddyshark: note: /,
  /^buddyshark: view needs a terminal .*; printing the summary instead$/,
  /^buddyshark: .*: no CS channel: transactions framed by clock gaps/,
  /^buddyshark: reading a (bridge stream|VCD) from standard input$/,
];
const TRACE = [/^\s+at /, /Node\.js v\d/];

interface Case {
  readonly args: readonly string[];
  /**
   * Run in this process with this command module (as main.ts would: its one line and exit code,
   * or the stack of an error that is not user-facing). Only for faults found before any output.
   */
  readonly via?: unknown;
  /** Expected exit code (2: bad input or option; 1: replay divergence or an invalid frame). */
  readonly code: 0 | 1 | 2;
  /** The one error line (after "buddyshark: "), naming the file or option; absent for exit 0. */
  readonly error?: RegExp;
  readonly stdin?: string | Buffer;
}

function check(c: Case, r: Run): void {
  const what = `buddyshark ${c.args.join(' ')}`;
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  for (const l of lines) for (const t of TRACE) assert.doesNotMatch(l, t, `${what}: a stack trace:\n${r.stderr}`);
  assert.ok(r.code === 0 || r.code === 1 || r.code === 2, `${what}: exit ${r.code}\n${r.stderr}`);
  assert.equal(r.code, c.code, `${what}: exit ${r.code}\n${r.stderr}`);
  if (!c.error) return;
  const errors = lines.filter((l) => !NOTES.some((n) => n.test(l)));
  assert.equal(errors.length, 1, `${what}: expected one error line, got:\n${r.stderr}`);
  assert.match(errors[0].replace(/^buddyshark: /, ''), c.error, what);
}

async function runInProcess(command: unknown, args: readonly string[]): Promise<Run> {
  const err = await commandError(command as CommandModule<object, never>, args);
  const code = process.exitCode;
  process.exitCode = undefined;
  if (err === null) return { code: typeof code === 'number' ? code : 0, stdout: '', stderr: '' };
  const message = messageFor(err);
  if (message === null) return { code: null, stdout: '', stderr: err instanceof Error ? (err.stack ?? String(err)) : String(err) };
  return { code: exitCodeFor(err), stdout: '', stderr: `buddyshark: ${message}\n` };
}

const out = (name: string): string => at(`out-${name}`);
const DEMO_GZ = join(ROOT, 'captures/golden/demo.pcapng.gz');

const FILE_CASES: Case[] = [
  // decode: every hostile file.
  { args: ['decode', F.missing], code: 2, error: about(F.missing, 'open: no such file'), via: decodeCommand },
  { args: ['decode', F.dir], code: 2, error: about(F.dir), via: decodeCommand },
  { args: ['decode', F.empty], code: 2, error: about(F.empty), via: decodeCommand },
  { args: ['decode', F.random], code: 2, error: about(F.random, 'byte 0: '), via: decodeCommand },
  { args: ['decode', F.cutPcapng], code: 2, error: about(F.cutPcapng, 'byte \\d+: .*cut short') },
  { args: ['decode', F.hugePcapng], code: 2, error: about(F.hugePcapng, 'byte 68: captured length 2147483646 runs past the end of its block') },
  { args: ['decode', F.hugeGz], code: 2, error: about(F.hugeGz, 'byte 68: captured length 2147483646') },
  { args: ['decode', F.cutGz], code: 2, error: about(F.cutGz, 'byte \\d+: ') },
  { args: ['decode', F.garbageGz], code: 2, error: about(F.garbageGz) },
  { args: ['decode', F.cutSr], code: 2, error: about(F.cutSr) },
  { args: ['decode', F.zipNoise], code: 2, error: about(F.zipNoise) },
  { args: ['decode', F.badSizeSr, '--channels', 'sck=0,mosi=1,miso=2'], code: 2, error: about(F.badSizeSr, 'entry logic-1-1: ') },
  { args: ['decode', F.cutVcd], code: 2, error: about(F.cutVcd) },
  { args: ['decode', F.garbageVcd], code: 2, error: about(F.garbageVcd, 'line \\d+') },
  { args: ['decode', F.noSck], code: 2, error: about(F.noSck, 'channels: no SCK channel: none of 0:"D9", 1:"MOSI", 2:"MISO", 3:"CS#"') },
  { args: ['decode', F.noData, '--channels', 'sck=0'], code: 2, error: about(F.noData, 'channels: no MOSI or MISO channel') },
  { args: ['decode', F.cutCsv], code: 2, error: about(F.cutCsv) },
  // A header and no rows is an empty capture, not a broken one.
  { args: ['decode', F.headerCsv], code: 0 },
  { args: ['decode', F.badNdjson], code: 2, error: about(F.badNdjson, 'line 1: field startNs is not a number') },
  { args: ['decode', F.cutNdjson], code: 2, error: about(F.cutNdjson, 'line 1') },
  { args: ['decode', F.hugeSsid], code: 2, error: about(F.hugeSsid, 'line 11, column 9: world\\.aps\\.0\\.ssid: longer than 32 bytes'), via: decodeCommand },
  { args: ['decode', F.dir, '--format', 'pcapng'], code: 2, error: about(F.dir, 'read: is a directory'), via: decodeCommand },
  { args: ['decode', '-'], code: 2, error: /^<stdin>: byte 0: empty input/ },
  { args: ['decode', '-'], stdin: noise(4096, 11), code: 2, error: /^<stdin>: / },
  { args: ['decode', '-', '--channels', 'miso=9'], stdin: vcd, code: 2, error: /^<stdin>: --channels: miso=9: no such channel/ },
  { args: ['decode', '-'], stdin: readFileSync(F.noSck), code: 2, error: /^<stdin>: channels: no SCK channel/ },
  // decode: the channel map and option faults, named with the capture (docs/protocol.md roles).
  { args: ['decode', join(ROOT, 'test/fixtures/sources/sigrok.vcd'), '--channels', 'miso=9'], code: 2, error: /sigrok\.vcd: --channels: miso=9: no such channel; the file has 0:"CLK", 1:"MOSI", 2:"MISO", 3:"CS#"$/ },
  { args: ['decode', join(ROOT, 'test/fixtures/sources/sigrok.vcd'), '--glitch', '-1'], code: 2, error: /^--glitch must be a number of ns >= 0 \(got -1\)$/ },
  { args: ['decode', F.cutPcapng, '--format', 'tiff'], code: 2, error: /format/ },
  { args: ['decode', F.random, '--format', 'vcd'], code: 2, error: about(F.random), via: decodeCommand },
  { args: ['decode', F.random, '--format', 'sigrok-sr'], code: 2, error: about(F.random), via: decodeCommand },
  { args: ['decode', F.random, '--format', 'ndjson'], code: 2, error: about(F.random), via: decodeCommand },
  // info: pcapng summaries.
  { args: ['info', F.missing], code: 2, error: about(F.missing), via: infoCommand },
  { args: ['info', F.dir], code: 2, error: about(F.dir), via: infoCommand },
  { args: ['info', F.empty], code: 0 },
  { args: ['info', F.random], code: 2, error: about(F.random, 'byte 0: ') },
  { args: ['info', F.hugePcapng], code: 2, error: about(F.hugePcapng, 'byte 68: ') },
  // capture: what was decoded before a fault is written, the fault is one line.
  { args: ['capture', F.hugePcapng, '-w', out('huge.pcapng')], code: 2, error: about(F.hugePcapng, 'byte 68: ') },
  { args: ['capture', F.noSck, '-w', out('no-sck.pcapng')], code: 2, error: about(F.noSck, 'channels: no SCK channel') },
  { args: ['capture', F.cutPcapng, '-w', out('cut.pcapng')], code: 2, error: about(F.cutPcapng, 'byte \\d+: .*cut short') },
  { args: ['capture', 'demo', '-w', F.existingVcd], code: 2, error: new RegExp(`${esc(F.existingVcd)}.*exists`), via: captureCommand },
  { args: ['capture', 'demo', '-w', F.dir], code: 2, error: new RegExp(`^${esc(F.dir)} already exists`), via: captureCommand },
  { args: ['capture', 'demo', '-w', F.dir, '--force'], code: 2, error: about(F.dir, 'is a directory'), via: captureCommand },
  { args: ['capture', 'demo', '-w', join(F.missing, 'x.pcapng')], code: 2, error: new RegExp(esc(join(F.missing, 'x.pcapng'))), via: captureCommand },
  { args: ['capture', '--live', 'ftp://127.0.0.1:9', '-w', out('ftp.pcapng')], code: 2, error: /^ftp:\/\/127\.0\.0\.1:9: / },
  { args: ['capture', '--live', '-', '-w', out('stdin.pcapng')], stdin: noise(4096, 13), code: 2, error: /^<stdin>: / },
  // view: not on a terminal it prints the summary; faults are still one line.
  { args: ['view', F.missing], code: 2, error: about(F.missing) },
  { args: ['view', F.noSck], code: 2, error: about(F.noSck, 'channels: no SCK channel') },
  { args: ['view', '--live', 'tcp://127.0.0.1:9'], code: 2, error: /^view --live needs a terminal/ },
  // replay.
  { args: ['replay', F.missing], code: 2, error: about(F.missing), via: replayCommand },
  { args: ['replay', DEMO_GZ, '--level', 'bits'], code: 2, error: /Invalid values: Argument: level/ },
  { args: ['replay', F.hugePcapng], code: 2, error: about(F.hugePcapng) },
  { args: ['replay', F.cutGz], code: 2, error: about(F.cutGz) },
  { args: ['replay', F.badNdjson], code: 2, error: about(F.badNdjson, 'line 1: ') },
  { args: ['replay', DEMO_GZ, '--world', F.syntax], code: 2, error: /syntax\.json: /, via: replayCommand },
  { args: ['replay', DEMO_GZ, '--world', F.hugeSsid], code: 2, error: about(F.hugeSsid, 'line 11, column 9: world\\.aps\\.0\\.ssid: longer than 32 bytes'), via: replayCommand },
  // simulate: scenario files, named as given, with the line and column.
  { args: ['simulate', F.hugeSsid], code: 2, error: about(F.hugeSsid, 'line 11, column 9: world\\.aps\\.0\\.ssid: longer than 32 bytes') },
  { args: ['simulate', F.ssid33], code: 2, error: about(F.ssid33, 'line \\d+, column \\d+: steps\\.0\\.ssid: longer than 32 bytes'), via: simulateCommand },
  { args: ['simulate', F.syntax], code: 2, error: about(F.syntax, "line 4, column 3: not valid JSON: expected ',' or '}'"), via: simulateCommand },
  { args: ['simulate', F.dir], code: 2, error: about(F.dir), via: simulateCommand },
  { args: ['simulate', F.missing], code: 2, error: new RegExp(`^${esc(F.missing)}: no such scenario`), via: simulateCommand },
  { args: ['simulate', F.random], code: 2, error: about(F.random), via: simulateCommand },
  { args: ['simulate', 'demo', '-o', F.existingVcd], code: 2, error: new RegExp(`^${esc(F.existingVcd)} exists`) },
  { args: ['simulate', 'demo', '-o', at('existing-too.vcd'), '-o', out('sim.bogus')], code: 2, error: /sim\.bogus/, via: simulateCommand },
  { args: ['simulate', 'demo', '-o', join(F.missing, 'x.pcapng')], code: 2, error: new RegExp(esc(join(F.missing, 'x.pcapng'))), via: simulateCommand },
  // protocol.
  { args: ['protocol', 'decode', 'zz'], code: 2, error: /^argument is not hex/ },
  { args: ['protocol', 'decode', 'b5'], code: 1, error: /^not a valid frame: / },
  // Near the kernel's limit for one argument (128 KiB).
  { args: ['protocol', 'decode', 'ff'.repeat(60_000)], code: 1, error: /^not a valid frame: / },
  { args: ['protocol', 'vectors', '--json'], code: 0 },
  // wireshark: a folder that is a file.
  { args: ['wireshark', 'install', '--dir', F.plainFile, '--no-extcap'], code: 2, error: new RegExp(esc(F.plainFile)) },
  { args: ['wireshark', 'install', '--dir', at('plugins'), '--extcap-dir', F.plainFile], code: 2, error: new RegExp(esc(F.plainFile)), via: wiresharkCommand },
  // extcap: Wireshark's questions with bad values.
  { args: ['extcap', '--capture', '--fifo', out('x'), '--baud', 'fast'], code: 2, error: /^extcap: --baud: / },
  { args: ['extcap'], code: 2, error: /^extcap: nothing asked/ },
  { args: ['extcap', '--extcap-dlts', '--extcap-interface', 'nope'], code: 2, error: /^extcap: unknown interface "nope"/ },
  { args: ['extcap', '--capture', '--extcap-interface', 'buddyshark', '--fifo', join(F.missing, 'f'), '--source', 'tcp://127.0.0.1:1', '--reconnect', 'false'], code: 2, error: about(join(F.missing, 'f'), 'no such file') },
  { args: ['extcap', '--capture', '--extcap-interface', 'buddyshark', '--fifo', out('extcap.pcapng'), '--source', 'ftp://x', '--reconnect', 'false'], code: 2, error: /^ftp:\/\/x: address: / },
  // yargs' own refusals are one line too.
  { args: ['decode'], code: 2, error: /Not enough non-option arguments/ },
  { args: ['nonsense'], code: 2, error: /Unknown argument|Did you mean/ },
];

describe('every command on bad input, through bin/buddyshark.js', { concurrency: 1 }, () => {
  it('all cases, three processes at a time (and faults found before any output in process)', async (t) => {
    const runs = new Map<Case, Run>();
    const spawned = FILE_CASES.filter((c) => c.via === undefined);
    (await pool(spawned, 3, (c) => run(c.args, c.stdin))).forEach((r, i) => runs.set(spawned[i], r));
    for (const c of FILE_CASES) if (c.via !== undefined) runs.set(c, await runInProcess(c.via, c.args));
    for (const c of FILE_CASES) {
      const name = `${c.via ? '(in process) ' : ''}${c.args.map((a) => a.replace(`${dir}/`, '').slice(0, 40)).join(' ')}`;
      await t.test(name, () => check(c, runs.get(c) as Run));
    }
    // What was decoded before a fault is still a valid file: every block complete, none cut.
    const kept = await summarizePcapng(out('cut.pcapng'));
    assert.ok(kept.packets > 0 && !kept.truncated, JSON.stringify(kept));
  });
});

// ---------------- every option that takes a value, in process ----------------

type AnyCommand = CommandModule<object, never>;
const DEMO = join(ROOT, 'captures/demo.pcapng');
const VCD = join(ROOT, 'test/fixtures/sources/sigrok.vcd');

/** [command module, argv, the option it is about, what the one-line error must say]. */
const OPTION_CASES: [AnyCommand, string[], string, RegExp][] = [];
function bad(command: unknown, base: readonly string[], option: string, values: readonly string[]): void {
  for (const v of values) OPTION_CASES.push([command as AnyCommand, [...base, `--${option}`, v], option, new RegExp(`^--${esc(option)} `)]);
  // Given twice, a single-valued option is refused too (yargs would hand over an array).
  if (values.length) OPTION_CASES.push([command as AnyCommand, [...base, `--${option}`, values[0], `--${option}`, values[0]], option, new RegExp(`^--${esc(option)} `)]);
}
/** An option whose value is checked against the file or the source it is about. */
function badFor(command: unknown, args: string[], option: string, error: RegExp): void {
  OPTION_CASES.push([command as AnyCommand, args, option, error]);
}

const NUMBER_GARBAGE = ['-1', 'abc', 'Infinity', 'NaN'];
for (const [command, base] of [[decodeCommand, ['decode', VCD]], [captureCommand, ['capture', VCD, '-w', out('opt.pcapng')]], [viewCommand, ['view', VCD]]] as const) {
  bad(command, base, 'format', ['tiff', '']);
  bad(command, base, 'mode', ['4', '-1', '1.5', 'fast']);
  bad(command, base, 'cs-active', ['sideways']);
  bad(command, base, 'bit-order', ['middle']);
  bad(command, base, 'glitch', NUMBER_GARBAGE);
}
OPTION_CASES.push([decodeCommand as unknown as AnyCommand, ['decode', VCD, '--channels', 'a=0', '--channels', 'b=1'], 'channels', /^--channels given more than once/]);
for (const [spec, error] of [
  ['garbage', '"garbage": expected role=channel'], ['sck=a', 'sck=a: no such channel; the file has 0:"CLK", 1:"MOSI", 2:"MISO", 3:"CS#"'],
  ['miso=9', 'miso=9: no such channel'], ['sck=0,mosi=0', 'channel 0 given to both sck and mosi'], ['clock=0', 'unknown role "clock"'],
  ['sck=0,sck=0', 'sck given twice'], ['sck=', 'sck=: no such channel'], [',', '"": expected role=channel'],
] as const) {
  for (const command of [decodeCommand, captureCommand, viewCommand]) {
    const args = command === captureCommand ? ['capture', VCD, '-w', out('channels.pcapng')] : [command === decodeCommand ? 'decode' : 'view', VCD];
    badFor(command, [...args, '--channels', spec], 'channels', new RegExp(`^${esc(VCD)}: --channels: ${esc(error)}`));
  }
}
for (const [spec, error] of [['ftp://127.0.0.1:9', 'address: expected'], ['tcp://127.0.0.1:99999', 'address: port 99999 is out of range'], ['tcp://:1', 'address: '], ['serial:', 'address: '], ['serial:/dev/x@0', 'address: baud rate 0']] as const) {
  badFor(captureCommand, ['capture', '--live', spec, '-w', out('live.pcapng')], 'live', new RegExp(`^${esc(spec)}: ${esc(error)}`));
}
bad(captureCommand, ['capture', '-w', out('live.pcapng'), '--live', 'tcp://127.0.0.1:9'], 'duration', ['0', ...NUMBER_GARBAGE]);
bad(captureCommand, ['capture', '-w', out('live.pcapng'), '--live', 'tcp://127.0.0.1:9'], 'count', ['0', '1.5', ...NUMBER_GARBAGE]);
bad(captureCommand, ['capture', '-w', out('live.pcapng'), '--live', 'tcp://127.0.0.1:9', '--size', '1'], 'ring', ['0', '2.5', ...NUMBER_GARBAGE]);
bad(captureCommand, ['capture', '-w', out('live.pcapng'), '--live', 'tcp://127.0.0.1:9', '--ring', '2'], 'size', ['0', ...NUMBER_GARBAGE]);
bad(captureCommand, ['capture', '-w', out('live.pcapng'), '--live', 'tcp://127.0.0.1:9'], 'baud', ['0', '1.5', '1e12', ...NUMBER_GARBAGE]);
bad(captureCommand, ['capture', VCD], 'write', ['']);
bad(viewCommand, ['view', '--live', 'tcp://127.0.0.1:9'], 'window', ['0', '2.5', ...NUMBER_GARBAGE]);
bad(viewCommand, ['view', '--live', 'tcp://127.0.0.1:9'], 'baud', ['0', ...NUMBER_GARBAGE]);
// 1 kHz is a sample rate, but too slow for the scenario's 20 MHz bus: the renderer needs 4 samples a bit.
bad(simulateCommand, ['simulate', 'demo'], 'rate', ['0', '1.5', '1e12', '1000', ...NUMBER_GARBAGE]);
bad(simulateCommand, ['simulate', 'demo'], 'seed', ['1.5', '4294967296', ...NUMBER_GARBAGE]);
bad(simulateCommand, ['simulate', 'demo'], 'serve', ['garbage', '99999', 'tcp://127.0.0.1:', '', '10.1.2.3:7878']);
bad(simulateCommand, ['simulate', 'demo', '--serve', '0'], 'speed', ['0', '-2', 'fast', '']);
bad(replayCommand, ['replay', DEMO], 'against', ['nobody']);
bad(replayCommand, ['replay', DEMO], 'level', ['bits']);
bad(replayCommand, ['replay', DEMO], 'speed', ['0', 'fast', '']);
bad(replayCommand, ['replay', DEMO], 'show', ['-1', '1.5', ...NUMBER_GARBAGE]);
bad(replayCommand, ['replay', DEMO], 'world', ['']);
bad(replayCommand, ['replay', DEMO], 'junit', ['']);
bad(wiresharkCommand, ['wireshark', 'install', '--no-extcap'], 'dir', ['']);
// An empty argument where a file goes is named as the argument it is.
badFor(decodeCommand, ['decode', ''], 'input', /^<input> must be a non-empty value/);
badFor(captureCommand, ['capture', '', '-w', out('empty-arg.pcapng')], 'input', /^<input> must be a non-empty value/);
badFor(viewCommand, ['view', ''], 'input', /^<input> must be a non-empty value/);
badFor(infoCommand, ['info', ''], 'file', /^<file> must be a non-empty value/);
badFor(simulateCommand, ['simulate', ''], 'scenario', /^<scenario> must be a non-empty value/);
bad(wiresharkCommand, ['wireshark', 'install', '--dir', at('plugins')], 'extcap-dir', ['']);

describe('every option that takes a value, with bad values, in process', () => {
  for (const [command, args, option, error] of OPTION_CASES) {
    it(`${args.join(' ').replaceAll(`${dir}/`, '').replace(`${ROOT}`, '')}: one line about --${option}, exit 2`, async () => {
      const err = await commandError(command, args);
      process.exitCode = undefined;
      // yargs refuses a value outside an option's choices itself: main.ts's fail handler prints
      // that as one line (the real-entry cases above check it).
      if (err instanceof Error && !(err instanceof UserFacingError) && /^Invalid values:/.test(err.message)) {
        assert.match(err.message, new RegExp(`Argument: ${esc(option)}, Given`));
        return;
      }
      assert.ok(err instanceof UserFacingError, `not a user-facing error: ${String(err)}`);
      assert.equal(err.exitCode, 2);
      const message = messageFor(err);
      assert.ok(message !== null && !message.includes('\n'), String(message));
      assert.match(message, error);
    });
  }
});
