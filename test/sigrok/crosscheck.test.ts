/**
 * The sigrok decoder inside the real tool: for every shipped scenario, sigrok-cli stacks the
 * buddylink decoder (SIGROKDECODE_DIR at the checkout's sigrok/) on its own spi decoder over the
 * simulator's .sr export, and its annotations name the same messages (per direction: control type
 * and request id, trace event type, Ethernet...), Ethernet frames (the payload's bytes, in the
 * longest text of its field annotation) and anomalies (code and transaction) as
 * `buddyshark decode x.sr --json`. Its pcap binary output holds the same Ethernet frames: checked
 * on the shortest capture, since sigrok-cli prints either annotations or binary output and
 * each run re-decodes SPI (about 2 s per 100 M samples).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { hasTool, ROOT, tempDir } from '../cli/helpers.ts';
import {
  anomalyOrder, exec, execBytes, exportScenario, inPool, reference, SCENARIOS, txnAt, type MessageKey, type Reference, type TimedAnomaly,
} from './scenarios.ts';

const skip = hasTool('sigrok-cli') ? false : 'sigrok-cli not installed';
const dir = tempDir('bs-sigrok-pd-');
const ENV = { SIGROKDECODE_DIR: join(ROOT, 'sigrok'), PYTHONDONTWRITEBYTECODE: '1' };
const STACK = ['-P', 'spi:clk=SCK:mosi=MOSI:miso=MISO:cs=CS,buddylink'];

interface Annotation {
  ns: number;
  row: string;
  text: string;
}

/**
 * sigrok-cli's --protocol-decoder-jsontrace, read line by line: it does not escape quotes inside
 * annotation texts, so the output is not always valid JSON. Each annotation is a B line then an E line.
 */
function annotations(trace: string): Annotation[] {
  const out: Annotation[] = [];
  for (const line of trace.split('\n')) {
    const m = /^\{"ph": "B", "ts": ([\d.]+), "pid": "buddylink-1", "tid": "([^"]*)", "name": "(.*)"\},?$/.exec(line);
    if (m) out.push({ ns: Math.round(Number(m[1]) * 1000), row: m[2], text: m[3] });
  }
  return out;
}

const ROW_DIR: Readonly<Record<string, string>> = { 'CPU to buddy messages': 'cpu-to-buddy', 'buddy to CPU messages': 'buddy-to-cpu' };
const FIELDS_DIR: Readonly<Record<string, string>> = { 'CPU to buddy fields': 'cpu-to-buddy', 'buddy to CPU fields': 'buddy-to-cpu' };
const PCAP_SCENARIOS = ['demo'];

/** The message an annotation of a messages row names, or null for idle frames, fragments and lost payloads. */
function messageOf(a: Annotation, ref: Reference): MessageKey | null {
  const text = a.text.replace(/^stale epoch, dropped by the buddy: /, '');
  if (/^(idle|\S+ frame) /.test(text)) return null;
  const base = { txn: txnAt(ref.txns, a.ns), dir: ROW_DIR[a.row] };
  const control = /^control (\S+) #(\d+)/.exec(text);
  if (control) return { ...base, kind: 'control', type: control[1] === 'unknown' ? 'unknown' : control[1], id: Number(control[2]) };
  if (/^control message, /.test(text)) return { ...base, kind: 'control', type: 'invalid' };
  const trace = /^trace (\S+):/.exec(text);
  if (trace) return { ...base, kind: 'trace', type: trace[1] };
  if (/^trace message, /.test(text)) return { ...base, kind: 'trace', type: 'invalid' };
  return { ...base, kind: text.split(' ')[0] };
}

/** The Ethernet frames of a classic pcap stream (either byte order, either time resolution). */
function pcapFrames(bytes: Buffer): string[] {
  const magic = bytes.readUInt32LE(0);
  assert.ok([0xa1b2c3d4, 0xa1b23c4d].includes(magic), `pcap magic 0x${magic.toString(16)}`);
  assert.equal(bytes.readUInt32LE(20), 1, 'LINKTYPE_ETHERNET');
  const out: string[] = [];
  for (let at = 24; at < bytes.length; ) {
    const n = bytes.readUInt32LE(at + 8);
    out.push(bytes.subarray(at + 16, at + 16 + n).toString('hex'));
    at += 16 + n;
  }
  return out;
}

/** The Ethernet frames the annotations show: each Ethernet message's payload bytes, in message order. */
function annotatedEthernet(notes: readonly Annotation[], ref: Reference): string[] {
  const payloads = new Map<string, string>();
  for (const a of notes) {
    const m = /^payload \d+ bytes: ([0-9a-f]+)$/.exec(a.text);
    if (m && a.row in FIELDS_DIR) payloads.set(`${txnAt(ref.txns, a.ns)}/${FIELDS_DIR[a.row]}`, m[1]);
  }
  return notes
    .filter((a) => a.row in ROW_DIR)
    .map((a) => messageOf(a, ref))
    .filter((m): m is MessageKey => m?.kind === 'ethernet')
    .map((m) => payloads.get(`${m.txn}/${m.dir}`) ?? `no payload annotation at txn ${m.txn}`);
}

interface Run {
  ref: Reference;
  notes: Annotation[];
  pcap: Buffer | null;
}

const runs = new Map<string, Run>();

describe('sigrok-cli runs the buddylink decoder on every scenario like buddyshark decode', { skip }, () => {
  before(async () => {
    const jobs = SCENARIOS.map((name) => async (): Promise<void> => {
      const { sr } = await exportScenario(name, dir, ['sr']);
      const [ref, trace, pcap] = await Promise.all([
        reference(sr),
        exec('sigrok-cli', ['-i', sr, ...STACK, '-A', 'buddylink=cpu-field:buddy-field:cpu-message:buddy-message:warning', '--protocol-decoder-jsontrace'], ENV),
        PCAP_SCENARIOS.includes(name) ? execBytes('sigrok-cli', ['-i', sr, ...STACK, '-B', 'buddylink=pcap'], ENV) : null,
      ]);
      runs.set(name, { ref, notes: annotations(trace), pcap });
    });
    await inPool(2, jobs);
  });

  for (const name of SCENARIOS) {
    describe(name, () => {
      it('names the same messages, per direction and transaction', () => {
        const { ref, notes } = runs.get(name) as Run;
        const got = notes.filter((a) => a.row in ROW_DIR).map((a) => messageOf(a, ref)).filter((m): m is MessageKey => m !== null);
        const order = (m: MessageKey): number => m.txn * 2 + (m.dir === 'buddy-to-cpu' ? 1 : 0);
        assert.ok(ref.messages.length > 10, 'the scenario has messages');
        assert.deepEqual([...got].sort((a, b) => order(a) - order(b)), ref.messages);
      });

      it('reports the same anomalies at the same transactions', () => {
        const { ref, notes } = runs.get(name) as Run;
        const got: TimedAnomaly[] = notes.filter((a) => a.row === 'Warnings').map((a) => {
          const code = /^([a-z-]+)/.exec(a.text)?.[1] ?? '';
          const txn = txnAt(ref.txns, a.ns);
          return txn < 0 ? { code, ns: a.ns } : { code, txn, ns: a.ns };
        });
        assert.deepEqual(anomalyOrder(ref.txns, got), anomalyOrder(ref.txns, ref.anomalies));
      });

      it('shows the same Ethernet frames', () => {
        const { ref, notes } = runs.get(name) as Run;
        assert.deepEqual(annotatedEthernet(notes, ref), ref.ethernet);
      });

      if (PCAP_SCENARIOS.includes(name)) {
        it('writes the same Ethernet frames to its pcap output', () => {
          const { ref, pcap } = runs.get(name) as Run;
          assert.ok(ref.ethernet.length > 0, 'the scenario carries Ethernet frames');
          assert.deepEqual(pcapFrames(pcap ?? Buffer.alloc(0)), ref.ethernet);
        });
      }
    });
  }
});
