/**
 * The Logic 2 High Level Analyzer, run by test/saleae/hla_runner.py under a stand-in for Logic 2's
 * `saleae.analyzers` (Logic 2 itself does not run here): installed with `buddyshark saleae install`,
 * fed the frames of every scenario's Saleae SPI analyzer export (`simulate NAME -o x.analyzer.csv`),
 * it shows the same messages (per direction: control type and request id, trace event type,
 * Ethernet...), anomalies (code and transaction) and Ethernet frames as
 * `buddyshark decode x.analyzer.csv --json`, each bubble within its transaction's time; and its
 * settings filter what it shows. The runner itself fails on a broken declaration or frame.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { cli, ROOT, tempDir } from '../cli/helpers.ts';
import { anomalyOrder, exportScenario, inPool, reference, SCENARIOS, type MessageKey, type Reference } from '../sigrok/scenarios.ts';

const dir = tempDir('bs-saleae-');
const RUNNER = join(ROOT, 'test', 'saleae', 'hla_runner.py');

interface Bubble {
  type: string;
  start: number;
  end: number;
  data: Record<string, string | number | boolean>;
  text: string;
}

const DIRS: Readonly<Record<string, string>> = { 'CPU→buddy': 'cpu-to-buddy', 'buddy→CPU': 'buddy-to-cpu' };

function runHla(extension: string, csv: string, settings: Record<string, string> = {}): Bubble[] {
  const r = spawnSync('python3', ['-B', RUNNER, extension, csv, JSON.stringify(settings)], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Bubble);
}

const KIND: Readonly<Record<string, string>> = { control: 'control', trace: 'trace', ethernet: 'ethernet', ble: 'bleHci' };

/** The message a bubble names, as the reference keys them; null for frame, anomaly and notice bubbles. */
function messageOf(b: Bubble): MessageKey | null {
  const base = { txn: Number(b.data.txn), dir: DIRS[String(b.data.dir)] };
  const name = String(b.data.name);
  if (b.type === 'control') return { ...base, kind: 'control', type: name.startsWith('unknown ') ? 'unknown' : name, id: Number(b.data.id) };
  if (b.type === 'trace') return { ...base, kind: 'trace', type: name.startsWith('variant ') ? 'unknown' : name };
  if (b.type === 'invalid') return { ...base, kind: String(b.data.channel), type: 'invalid' };
  if (b.type === 'raw') return { ...base, kind: String(b.data.channel) };
  return b.type in KIND ? { ...base, kind: KIND[b.type] } : null;
}

interface Run {
  ref: Reference;
  csv: string;
  bubbles: Bubble[];
}
const runs = new Map<string, Run>();
let extension = '';

describe('the Logic 2 analyzer, under a stand-in for Logic 2, on every scenario like buddyshark decode', () => {
  before(async () => {
    const installed = cli(['saleae', 'install', '--dir', join(dir, 'extensions'), '--json']);
    assert.equal(installed.status, 0, installed.stderr);
    extension = (JSON.parse(installed.stdout) as { installed: string }).installed;
    await inPool(2, SCENARIOS.map((name) => async (): Promise<void> => {
      const csv = (await exportScenario(name, dir, ['analyzer.csv']))['analyzer.csv'];
      runs.set(name, { ref: await reference(csv), csv, bubbles: runHla(extension, csv) });
    }));
  });

  for (const name of SCENARIOS) {
    describe(name, () => {
      it('names the same messages, per direction and transaction', () => {
        const { ref, bubbles } = runs.get(name) as Run;
        assert.ok(ref.messages.length > 10, 'the scenario has messages');
        assert.deepEqual(bubbles.map(messageOf).filter((m): m is MessageKey => m !== null), ref.messages);
      });

      it('reports the same anomalies at the same transactions', () => {
        const { ref, bubbles } = runs.get(name) as Run;
        const got = bubbles.filter((b) => b.type === 'anomaly').map((b) => ({ code: String(b.data.code), txn: Number(b.data.txn), ns: b.start }));
        assert.deepEqual(anomalyOrder(ref.txns, got), anomalyOrder(ref.txns, ref.anomalies));
      });

      it('carries the same Ethernet frames', () => {
        const { ref, bubbles } = runs.get(name) as Run;
        assert.deepEqual(bubbles.filter((b) => b.type === 'ethernet').map((b) => b.data.bytes), ref.ethernet);
      });

      it('places every bubble within the transaction it describes', () => {
        const { ref, bubbles } = runs.get(name) as Run;
        for (const b of bubbles) {
          const t = ref.txns[Number(b.data.txn)];
          assert.ok(t && b.start >= t.startNs - 1 && b.end <= t.endNs + 1, `${b.text} (${b.start}..${b.end} ns) outside txn ${String(b.data.txn)}`);
        }
      });
    });
  }

  it('shows what its settings ask: one direction, idle frames, no trace, no frame headers', () => {
    const { ref, csv, bubbles } = runs.get('demo') as Run;
    const idleFromBuddy = bubbles.filter((b) => b.type === 'frame' && b.data.channel === 'idle').length;
    assert.equal(idleFromBuddy, 0, 'idle frames are hidden by default');
    const miso = runHla(extension, csv, { direction: 'buddy→CPU only (MISO)', idle_frames: 'show', trace: 'hide' });
    assert.ok(miso.length > 0);
    assert.deepEqual([...new Set(miso.map((b) => b.data.dir))], ['buddy→CPU']);
    assert.equal(miso.filter((b) => b.type === 'trace' || (b.type === 'frame' && b.data.channel === 'trace')).length, 0);
    const idle = miso.filter((b) => b.type === 'frame' && b.data.channel === 'idle').length;
    assert.ok(idle > 0);
    assert.equal(idle, ref.idle['buddy-to-cpu'], 'one bubble per idle MISO frame');
    const messagesOnly = runHla(extension, csv, { frame_headers: 'hide' });
    assert.equal(messagesOnly.filter((b) => b.type === 'frame').length, 0);
    assert.deepEqual(messagesOnly.map(messageOf).filter((m) => m !== null), ref.messages);
  });
});
