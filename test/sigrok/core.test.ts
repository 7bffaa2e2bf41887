/**
 * The Python core that the sigrok decoder and the Saleae analyzer share follows the link rules of
 * src/link/buddy/decoder.ts: fed the same transactions, it emits the same frames, messages and anomalies
 * in the same order. Cases: the spec's test vectors, every shipped scenario but flood (whose
 * transactions add time, not rules), those scenarios with wire faults, with payloads rewritten
 * inside valid frames (CBOR and schema checks), synthetic fragmented sessions with losses, and
 * crafted credit and epoch cases.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { cborEncode } from '../../src/protocol/cbor.ts';
import { Channel, Flag } from '../../src/protocol/constants.ts';
import { controlMessage, encodeControl } from '../../src/protocol/control.ts';
import { encodeFrame, type FrameInit } from '../../src/protocol/frame.ts';
import { VECTORS } from '../../src/protocol/vectors.ts';
import { fromHex } from '../../src/protocol/bytes.ts';
import type { TxnRecord } from '../../src/records/types.ts';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { runScenario } from '../../src/sim/index.ts';
import { collect } from '../cli/helpers.ts';
import { CORE_PARENT, pythonLink, typescriptLink, type LinkOut } from './core-harness.ts';
import { damageCbor, dropSome, rewritePayloads, Session, wireFaults } from './mutate.ts';

const SCENARIOS = ['demo', 'buddy-reset', 'noisy-bus', 'wrong-passphrase'];

async function simulate(name: string): Promise<TxnRecord[]> {
  return (await collect(runScenario(openScenario(name)).records)).filter((r): r is TxnRecord => r.kind === 'txn');
}
function scenarioTxns(name: string): Promise<TxnRecord[]> {
  if (!cached.has(name)) cached.set(name, simulate(name));
  return cached.get(name) as Promise<TxnRecord[]>;
}

/** Each labelled capture decodes the same in both; returns the reference outputs. */
function sameAsReference(cases: readonly (readonly [string, readonly TxnRecord[]])[]): LinkOut[][] {
  const got = pythonLink(cases.map(([, txns]) => txns));
  return cases.map(([label, txns], k) => {
    const want = typescriptLink(txns);
    for (let i = 0; i < Math.max(want.length, got[k].length); i++) {
      assert.deepEqual(got[k][i], want[i], `${label}: output ${i} differs (txn ${String(want[i]?.txn ?? got[k][i]?.txn)})`);
    }
    return want;
  });
}

const cached = new Map<string, Promise<TxnRecord[]>>();

const codes = (runs: readonly (readonly LinkOut[])[]): Set<string> => new Set(runs.flat().flatMap((o) => (o.kind === 'anomaly' ? [o.code] : [])));
const seeds = (n: number, from = 1): number[] => Array.from({ length: n }, (_, i) => from + i);

describe('the Python core (sigrok/buddylink/buddylink_core)', () => {
  it('computes CRC-32C with the check value of docs/protocol.md', () => {
    const r = spawnSync('python3', ['-B', '-c', 'import sys; sys.path.insert(0, sys.argv[1]); from buddylink_core.crc32c import crc32c; print(hex(crc32c(b"123456789")))', CORE_PARENT], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '0xe3069283', r.stderr);
  });

  it('decodes every test vector of the spec to the message the spec names', () => {
    const txns: TxnRecord[] = VECTORS.map((v, i) => {
      const frame = fromHex(v.hex) ?? new Uint8Array(0);
      const idle = new Uint8Array(frame.length);
      return { kind: 'txn', txn: i, startNs: i * 1000, endNs: i * 1000 + 500, mosi: v.direction === 'cpu-to-buddy' ? frame : idle, miso: v.direction === 'cpu-to-buddy' ? idle : frame };
    });
    const [outs] = sameAsReference([['vectors', txns]]);
    VECTORS.forEach((v, i) => {
      const f = outs.find((o) => o.kind === 'frame' && o.txn === i && o.dir === v.direction);
      assert.ok(f && f.kind === 'frame', `${v.name}: a frame`);
      assert.equal(f.seq, v.expected.header.seq, v.name);
      const m = v.expected.message;
      const named = m.kind === 'control' ? m.msg.type : m.kind === 'trace' ? m.event.type : m.kind === 'fragment' && m.completes?.kind === 'control' ? m.completes.msg.type : undefined;
      assert.equal(f.decoded?.type, named, v.name);
    });
  });

  for (const name of SCENARIOS) {
    it(`matches the TypeScript decoder on ${name}, as simulated and with wire faults`, async () => {
      const txns = await scenarioTxns(name);
      const [clean, ...faulty] = sameAsReference([[name, txns], ...seeds(6).map((seed) => [`${name} wire faults seed ${seed}`, wireFaults(txns, seed)] as const)]);
      assert.ok(clean.some((o) => o.kind === 'frame' && o.decoded), `${name} has messages`);
      const seen = codes(faulty);
      for (const c of ['lost-frames', 'repeat-frame', 'header-crc', 'truncated']) assert.ok(seen.has(c), `${name}: the faults reached ${c} (saw ${[...seen].join(', ')})`);
    });
  }

  it('matches it on damaged CBOR inside valid frames (bad-cbor, schema)', async () => {
    const cases: (readonly [string, TxnRecord[]])[] = [];
    for (const name of ['demo', 'wrong-passphrase']) {
      const txns = await scenarioTxns(name);
      for (const seed of seeds(12)) cases.push([`${name} CBOR damage seed ${seed}`, rewritePayloads(txns, seed, damageCbor)]);
    }
    const seen = codes(sameAsReference(cases));
    for (const c of ['bad-cbor', 'schema']) assert.ok(seen.has(c), `reached ${c} (saw ${[...seen].join(', ')})`);
  });

  it('matches it on hand-made CBOR edge cases', () => {
    const items = [
      '1b1000000000000000', '3b1000000000000000', 'c2420100', 'f97e00', 'f7', 'a1016178', 'a1f56178', '7f6161ff', '62c328', 'd8186161',
      'c11a00000001', 'a2616101616102', '0000', 'f8ff', 'e0', 'd9d9f700', 'd84043010203', '5f4101ff', '9f0102ff', 'bf616101ff', '1c', 'ff',
      'a1430102036178', '1800', 'fa3fc00000', 'f93c00', 'f97c00', 'f9fc00', 'f90001', 'f94000', 'fa47c35000', 'fb4000000000000000', 'fb7ff8000000000000',
    ];
    const s = new Session();
    for (const h of items) {
      const item = fromHex(h) ?? new Uint8Array(0);
      const wrap = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => Array.from(p)));
      // As a whole message, as a control body, as a control type code and as a trace event's fields.
      s.send('buddy-to-cpu', Channel.control, item);
      s.send('buddy-to-cpu', Channel.control, wrap(Uint8Array.of(0x83, 0x18, 0x40, 0x01), item));
      s.send('buddy-to-cpu', Channel.control, wrap(Uint8Array.of(0x83), item, Uint8Array.of(0x01, 0xa0)));
      s.send('buddy-to-cpu', Channel.trace, wrap(Uint8Array.of(0x82, 0x02, 0xa2, 0x64), new TextEncoder().encode('meta'), Uint8Array.of(0x01, 0x66), new TextEncoder().encode('fields'), Uint8Array.of(0xa1, 0x61, 0x78), item));
    }
    const seen = codes(sameAsReference([['CBOR edge cases', s.txns()]]));
    for (const c of ['bad-cbor', 'schema', 'unknown-message']) assert.ok(seen.has(c), `reached ${c}`);
  });

  it('matches it on fragmented messages with lost, corrupt and orphaned fragments', () => {
    const big = encodeControl(controlMessage('echo_reply', 4, { data: new Uint8Array(300).map((_, i) => i) }));
    const huge = cborEncode([0x44, 5, { data: new Uint8Array(17000) }]);
    const cases: (readonly [string, TxnRecord[]])[] = [];
    for (const seed of seeds(10)) {
      const s = new Session();
      for (let k = 0; k < 6; k++) {
        s.send('buddy-to-cpu', Channel.control, big, 40 + seed);
        s.send('cpu-to-buddy', Channel.control, encodeControl(controlMessage('echo', k + 1, { data: new Uint8Array(90) })), 32);
        if (k === 2) s.send('buddy-to-cpu', Channel.trace, cborEncode([8, { new_spans: 0, span_activity: 0, events: 1, metas: 0 }]), 16);
      }
      if (seed === 1) s.send('buddy-to-cpu', Channel.control, huge, 1536);
      cases.push([`fragments seed ${seed}`, dropSome(s.txns(), seed, 0.06)], [`fragments with faults seed ${seed}`, wireFaults(s.txns(), 100 + seed, 0.06)]);
    }
    const seen = codes(sameAsReference(cases));
    assert.ok(seen.has('fragment-abandoned'), `saw ${[...seen].join(', ')}`);
  });

  it('matches it on credit overruns, idle frames on reserved channels and a CPU that resyncs its epoch', () => {
    const eth = new Uint8Array(60).fill(0x42);
    const buddy = (init: Partial<FrameInit>, payload?: Uint8Array): Uint8Array =>
      encodeFrame({ channel: 0, flags: Flag.ackValid, seq: 0, ack: 0, credit: 1, epoch: 9, ...init }, payload);
    const cpu = (init: Partial<FrameInit>, payload?: Uint8Array): Uint8Array =>
      encodeFrame({ channel: 0, flags: 0, seq: 0, ack: 0, credit: 8, epoch: 9, ...init }, payload);
    const s = new Session(9, 1)
      .raw('buddy-to-cpu', buddy({}))
      .raw('cpu-to-buddy', cpu({ channel: Channel.ethernet, seq: 0 }, eth))
      .raw('cpu-to-buddy', cpu({ channel: Channel.ethernet, seq: 1 }, eth))
      .raw('cpu-to-buddy', cpu({ channel: Channel.ethernet, seq: 2 }, eth))
      .raw('buddy-to-cpu', buddy({ ack: 2 }))
      .raw('cpu-to-buddy', cpu({ channel: 9, seq: 3 }, Uint8Array.of(1, 2, 3)))
      .raw('cpu-to-buddy', cpu({ channel: Channel.control, seq: 40, epoch: 0 }, encodeControl(controlMessage('get_status', 3, {}))))
      .raw('cpu-to-buddy', cpu({ channel: Channel.control, seq: 41, epoch: 9 }, encodeControl(controlMessage('get_status', 4, {}))))
      .raw('cpu-to-buddy', cpu({ channel: Channel.control, seq: 7, epoch: 5 }, encodeControl(controlMessage('get_status', 5, {}))));
    const seen = codes(sameAsReference([['credit and epoch', s.txns()]]));
    for (const c of ['credit-overrun', 'stale-epoch']) assert.ok(seen.has(c), `reached ${c} (saw ${[...seen].join(', ')})`);
  });
});
