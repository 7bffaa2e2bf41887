import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { drainScenario } from '../../src/sim/run.ts';
import { loadScenario, MAX_ECHO_BYTES, MAX_VIRTUAL_MS, parseScenario, type ScenarioInput } from '../../src/sim/scenario.ts';
import { SourceError } from '../../src/sources/errors.ts';

const minimal = { name: 't', seed: 1, steps: [{ do: 'wait', ms: 1 }] };
const dir = mkdtempSync(join(tmpdir(), 'sim-'));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The SourceError loadScenario throws for `text`, checked to name the path exactly as given. */
function loadError(text: string, name = 'bad.json'): SourceError {
  const path = file(name, text);
  try {
    loadScenario(path);
  } catch (e) {
    assert.ok(e instanceof SourceError, String(e));
    assert.equal(e.source, path);
    assert.equal(e.message.split('\n').length, 1, e.message);
    return e;
  }
  assert.fail(`${text.slice(0, 80)}: accepted`);
}

test('fills defaults for a minimal scenario', () => {
  const s = parseScenario(minimal);
  assert.deepEqual(s.world.aps, []);
  assert.equal(s.tailMs, 100);
  assert.deepEqual(s.faults, {});
});

test('names the file as given, the line and column of the bad value, and its field', () => {
  const text = JSON.stringify({ ...minimal, steps: [{ do: 'wait', ms: 1 }, { do: 'ping', count: 'three' }] }, null, 2);
  const e = loadError(text, 'broken.json');
  // "count": "three" is on line 11 of the pretty-printed file, its key at column 7.
  assert.equal(text.split('\n')[10], '      "count": "three"');
  assert.equal(e.where, 'line 11, column 7');
  assert.equal(e.reason, 'steps.1.count: expected number, got "three"');
  // A relative path stays relative in the message.
  const rel = relative(process.cwd(), join(dir, 'broken.json'));
  assert.throws(() => loadScenario(rel), (err: unknown) => err instanceof SourceError && err.message.startsWith(`${rel}: line 11, column 7: `));
});

test('points a missing field at the object that lacks it, and an unknown field at its key', () => {
  const missing = loadError('{\n  "name": "t",\n  "steps": [{ "do": "wait" }]\n}');
  assert.equal(missing.where, 'line 1, column 1');
  assert.equal(missing.reason, 'seed: missing (expected number)');
  const noMs = loadError('{\n  "name": "t", "seed": 1,\n  "steps": [\n    { "do": "wait" }\n  ]\n}');
  assert.equal(noMs.where, 'line 4, column 5');
  assert.equal(noMs.reason, 'steps.0.ms: missing (expected number)');
  const extra = loadError('{ "name": "t", "seed": 1, "steps": [{ "do": "scan" }],\n\n    "colour": "red" }');
  assert.equal(extra.where, 'line 3, column 5');
  assert.equal(extra.reason, 'colour: unknown field');
});

test('rejects an unknown step kind and unknown keys', () => {
  assert.throws(() => parseScenario({ ...minimal, steps: [{ do: 'teleport' }] }), (e: unknown) => e instanceof SourceError && e.where.startsWith('steps.0'));
  assert.throws(() => parseScenario({ ...minimal, colour: 'red' }), (e: unknown) => e instanceof SourceError && e.where === 'colour' && /unknown field/.test(e.message));
});

test('reports malformed JSON at its line and column instead of a stack trace', () => {
  for (const [text, where, reason] of [
    ['{ "name": ', 'line 1, column 11', /ends where a value should be/],
    ['{ "name": }', 'line 1, column 11', /expected a value, found "}"/],
    ['{\n  "name": "t",\n  "seed": 1\n  "steps": []\n}', 'line 4, column 3', /expected ',' or '}', found "\\""/],
    ['{\n  "name": "t",\n}', 'line 3, column 1', /expected a quoted property name/],
    ['{ "name": "a\nb" }', 'line 1, column 13', /control character/],
    ['{ "name": "t', 'line 1, column 11', /ends inside a string/],
    ['[1, 2] 3', 'line 1, column 8', /after the JSON value/],
    ['', 'line 1, column 1', /ends where a value should be/],
  ] as const) {
    const e = loadError(text);
    assert.equal(e.where, where, JSON.stringify(text));
    assert.match(e.reason, /^not valid JSON: /);
    assert.match(e.reason, reason, JSON.stringify(text));
  }
});

test('a missing file, a directory and an oversized file are one-line errors naming the path', () => {
  assert.throws(() => loadScenario(join(dir, 'nope.json')), (e: unknown) => e instanceof SourceError && e.message === `${join(dir, 'nope.json')}: open: no such file`);
  assert.throws(() => loadScenario(dir), (e: unknown) => e instanceof SourceError && e.message === `${dir}: open: is a directory`);
  const big = file('big.json', `{"name":"t","seed":1,"description":"${'x'.repeat(17 * 1024 * 1024)}","steps":[{"do":"scan"}]}`);
  assert.throws(() => loadScenario(big), (e: unknown) => e instanceof SourceError && /larger than 16777216 bytes/.test(e.message));
});

test('accepts a byte-order mark, as editors write one', () => {
  assert.equal(loadScenario(file('bom.json', `\uFEFF${JSON.stringify(minimal)}`)).name, 't');
});

/** A scenario with one field replaced: `at` is a path of keys and indexes into `minimalish`. */
const minimalish: ScenarioInput = {
  name: 't', seed: 1,
  world: { aps: [{ ssid: 'lab', channel: 6, rssi: -50, passphrase: 'correct horse' }], names: { 'buddy.local': '10.0.0.7' } },
  faults: { csGlitches: { count: 1, fromMs: 10, toMs: 20 } },
  steps: [{ do: 'connect', ssid: 'lab', passphrase: 'correct horse' }, { do: 'wait', ms: 1 }],
};

function withField(path: readonly (string | number)[], value: unknown): unknown {
  const copy = structuredClone(minimalish) as Record<string | number, unknown>;
  let o = copy;
  for (const k of path.slice(0, -1)) o = o[k] as Record<string | number, unknown>;
  o[path[path.length - 1]] = value;
  return copy;
}

test('bounds every field by what the protocol and WiFi allow', () => {
  const ok: [readonly (string | number)[], unknown][] = [
    [['steps', 0, 'ssid'], 'x'.repeat(32)],
    [['world', 'aps', 0, 'ssid'], `${'€'.repeat(10)}ab`], // 32 bytes of UTF-8
    [['steps', 0, 'passphrase'], 'p'.repeat(8)],
    [['steps', 0, 'passphrase'], 'p'.repeat(63)],
    [['world', 'aps', 0, 'channel'], 14],
    [['world', 'aps', 0, 'rssi'], -127],
    [['world', 'aps', 0, 'security'], 'wpa2-wpa3'],
    [['world', 'names'], { [`${'a'.repeat(63)}.${'b'.repeat(63)}`]: '255.255.255.255' }],
    [['steps', 1], { do: 'echo', hex: 'ab'.repeat(MAX_ECHO_BYTES) }],
    [['steps', 1], { do: 'send_raw', hex: 'ff'.repeat(1536) }],
    [['steps', 1], { do: 'wait', ms: MAX_VIRTUAL_MS }],
    [['bus'], { clockHz: 40e6 }],
  ];
  for (const [path, value] of ok) assert.doesNotThrow(() => parseScenario(withField(path, value)), `${path.join('.')} = ${String(value).slice(0, 40)}`);

  const bad: [readonly (string | number)[], unknown, RegExp][] = [
    [['steps', 0, 'ssid'], 'x'.repeat(33), /^steps\.0\.ssid: longer than 32 bytes/],
    [['steps', 0, 'ssid'], 'x'.repeat(1_000_000), /^steps\.0\.ssid: longer than 32 bytes/],
    [['world', 'aps', 0, 'ssid'], 'x'.repeat(1_000_000), /^world\.aps\.0\.ssid: longer than 32 bytes/],
    [['world', 'aps', 0, 'ssid'], '€'.repeat(11), /^world\.aps\.0\.ssid: longer than 32 bytes/], // 11 characters, 33 bytes
    [['steps', 0, 'ssid'], '', /^steps\.0\.ssid: /],
    [['faults', 'linkLoss'], { atMs: 1, ssid: 'x'.repeat(33) }, /^faults\.linkLoss\.ssid: longer than 32 bytes/],
    [['steps', 0, 'passphrase'], 'p'.repeat(7), /^steps\.0\.passphrase: /],
    [['steps', 0, 'passphrase'], 'p'.repeat(64), /^steps\.0\.passphrase: /],
    [['world', 'aps', 0, 'passphrase'], 'short', /^world\.aps\.0\.passphrase: /],
    [['world', 'aps', 0, 'channel'], 15, /^world\.aps\.0\.channel: /],
    [['world', 'aps', 0, 'channel'], 0, /^world\.aps\.0\.channel: /],
    [['world', 'aps', 0, 'security'], 'wpa9', /^world\.aps\.0\.security: must be one of open, wep/],
    [['world', 'aps', 0, 'bssid'], '02:11:22:33:44', /^world\.aps\.0\.bssid: must be a MAC address/],
    [['world', 'aps'], Array.from({ length: 65 }, (_, i) => ({ ssid: `ap${i}`, channel: 1, rssi: -50 })), /^world\.aps: /],
    [['world', 'names'], { 'buddy.local': '999.0.0.1' }, /^world\.names\.buddy\.local: must be an IPv4 address/],
    [['world', 'names'], { [`${'a'.repeat(64)}.local`]: '10.0.0.1' }, /^world\.names\.a+\.local: key must be a DNS name/],
    [['steps', 1], { do: 'resolve', name: 'bad name' }, /^steps\.1\.name: must be a DNS name/],
    [['steps', 1], { do: 'ping', target: '10.0.0.256' }, /^steps\.1\.target: must be an IPv4 address/],
    [['steps', 1], { do: 'ping', count: 1001 }, /^steps\.1\.count: /],
    [['steps', 1], { do: 'echo', hex: 'ab'.repeat(MAX_ECHO_BYTES + 1) }, /^steps\.1\.hex: must hold at most \d+ bytes/],
    [['steps', 1], { do: 'echo', hex: 'abc' }, /^steps\.1\.hex: must be hex/],
    [['steps', 1], { do: 'send_raw', hex: 'ff'.repeat(1537) }, /^steps\.1\.hex: must hold at most 1536 bytes/],
    [['steps', 1], { do: 'send_raw', hex: '' }, /^steps\.1\.hex: must hold at least 1 byte/],
    [['steps', 1], { do: 'wait', ms: MAX_VIRTUAL_MS + 1 }, /^steps\.1\.ms: /],
    [['steps', 1], { do: 'wait', ms: -1 }, /^steps\.1\.ms: /],
    [['steps', 1], { do: 'flood', direction: 'tx', frames: 100_001 }, /^steps\.1\.frames: /],
    [['steps', 1], { do: 'wait', ms: 1, label: 'two\nlines' }, /^steps\.1\.label: must be one line/],
    [['faults', 'csGlitches'], { count: 1, fromMs: 20, toMs: 10 }, /^faults\.csGlitches\.toMs: must not be before fromMs/],
    [['faults', 'csGlitches'], { count: 1e9 }, /^faults\.csGlitches\.count: /],
    [['faults', 'buddyResets'], [{ atMs: MAX_VIRTUAL_MS * 2 }], /^faults\.buddyResets\.0\.atMs: /],
    [['faults', 'linkLoss'], { atMs: 100, restoreMs: 50 }, /^faults\.linkLoss\.restoreMs: must not be before atMs/],
    [['world', 'mediumBusy'], { meanIntervalMs: 0.000001, minMs: 1, maxMs: 2 }, /^world\.mediumBusy\.meanIntervalMs: /],
    [['world', 'mediumBusy'], { meanIntervalMs: 100, minMs: 5, maxMs: 2 }, /^world\.mediumBusy\.maxMs: must not be below minMs/],
    [['world', 'airRateMbps'], 1e-9, /^world\.airRateMbps: /],
    [['world', 'backgroundMs'], 1e-9, /^world\.backgroundMs: /],
    [['bus'], { clockHz: 1e12 }, /^bus\.clockHz: /],
    [['bus'], { clockHz: 100 }, /^bus\.clockHz: /],
    [['bus'], { turnaroundNs: 1e300 }, /^bus\.turnaroundNs: /],
    [['buddy'], { bootDelayMs: 1e300 }, /^buddy\.bootDelayMs: /],
    [['buddy'], { rxQueueCapacity: 1e9 }, /^buddy\.rxQueueCapacity: /],
    [['tailMs'], 1e300, /^tailMs: /],
    [['name'], 'two\nlines', /^name: must be 1-64 letters/],
    [['seed'], 2 ** 32, /^seed: /],
  ];
  for (const [path, value, message] of bad) {
    assert.throws(() => parseScenario(withField(path, value)), (e: unknown) => {
      assert.ok(e instanceof SourceError, String(e));
      assert.match(`${e.where}: ${e.reason}`, message);
      return true;
    }, `${path.join('.')} = ${String(value).slice(0, 40)}`);
  }
});

test('a scenario at the limits of every field runs to its end without an exception anywhere', async () => {
  const ssidOf = (i: number): string => `${'€'.repeat(10)}${String(i).padStart(2, '0')}`; // 32 bytes
  const label = 'a'.repeat(63);
  const longName = [label, label, label, 'b'.repeat(61)].join('.'); // 253 characters
  const sc = parseScenario({
    name: 'limits', seed: 0xffffffff,
    bus: { clockHz: 40e6, turnaroundNs: 0, csGapNs: 0 },
    buddy: { maxRequests: 16, wifiTxCapacity: 255, rxQueueCapacity: 4096, traceQueueCapacity: 1, processingDelayUs: 0 },
    driver: { traceLevel: 0, cpuCredit: 255 },
    world: {
      aps: Array.from({ length: 64 }, (_, i) => ({ ssid: ssidOf(i), channel: 1 + (i % 14), rssi: i === 0 ? 0 : -127, security: 'wpa2', passphrase: 'p'.repeat(63) })),
      names: { [longName]: '255.255.255.255' },
      airRateMbps: 150, mediumBusy: { meanIntervalMs: 1, minMs: 0, maxMs: 1 }, backgroundMs: 1,
    },
    faults: { bitFlips: { rate: 0, fromMs: 0, toMs: 0 }, csGlitches: { count: 50, fromMs: 0, toMs: 50 }, buddyResets: [{ atMs: MAX_VIRTUAL_MS }] },
    steps: [
      { do: 'scan' },
      { do: 'connect', ssid: ssidOf(0), passphrase: 'p'.repeat(63) },
      { do: 'dhcp' },
      { do: 'echo', hex: 'ab'.repeat(MAX_ECHO_BYTES) },
      { do: 'echo', hex: '' },
      { do: 'send_raw', hex: 'ff'.repeat(1536) },
      { do: 'send_raw', hex: '00' },
      { do: 'resolve', name: longName },
      { do: 'ping', target: '255.255.255.255', count: 2, intervalMs: 0 },
      { do: 'set_trace_level', level: null },
      { do: 'flood', direction: 'both', frames: 5, size: 60 },
      { do: 'status', label: 'l'.repeat(128), expect: { ok: false, code: 'c'.repeat(64) } },
    ],
    tailMs: 0,
  });
  const { report } = await drainScenario(sc);
  assert.equal(report.steps.length, sc.steps.length);
  // Steps may fail (a step's outcome is the scenario's business); none may end in an exception.
  assert.deepEqual(report.steps.filter((s) => s.code === 'exception').map((s) => s.detail), []);
  assert.deepEqual(report.failures.filter((f) => /script error|deadlock/.test(f)), []);
});
