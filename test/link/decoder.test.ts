import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Channel, Flag } from '../../src/protocol/constants.ts';
import { controlMessage, encodeControl } from '../../src/protocol/control.ts';
import { cborEncode } from '../../src/protocol/cbor.ts';
import { fragment, fragmentFlags } from '../../src/protocol/fragment.ts';
import { LinkDecoder } from '../../src/link/buddy/decoder.ts';
import type { AnomalyRecord, BuddyRecord, FrameRecord } from '../../src/records/types.ts';
import { frame, IDLE_BUDDY, IDLE_CPU, txn } from './helpers.ts';

const frames = (rs: BuddyRecord[]): FrameRecord[] => rs.filter((r): r is FrameRecord => r.kind === 'frame');
const anomalies = (rs: BuddyRecord[]): AnomalyRecord[] => rs.filter((r): r is AnomalyRecord => r.kind === 'anomaly');
const idleBuddy = (init: Parameters<typeof frame>[0] = {}): Uint8Array => frame(init, undefined, IDLE_BUDDY);

describe('LinkDecoder', () => {
  it('emits the transaction, then one frame per direction with the control message decoded', () => {
    const scan = encodeControl(controlMessage('scan', 7, {}));
    const out = new LinkDecoder().push([txn(0, frame({ channel: Channel.control }, scan), idleBuddy())]);
    assert.deepEqual(out.map((r) => r.kind), ['txn', 'frame', 'frame']);
    const [mosi, miso] = frames(out);
    assert.equal(mosi.dir, 'cpu-to-buddy');
    assert.equal(miso.dir, 'buddy-to-cpu');
    assert.equal(mosi.decoded?.kind, 'control');
    assert.deepEqual(mosi.decoded?.kind === 'control' ? mosi.decoded.msg : null, { type: 'scan', id: 7, body: {} });
    assert.equal(mosi.fragments, 1);
    assert.equal(miso.channel, 0);
    assert.equal(anomalies(out).length, 0);
  });

  it('reports a MISO header CRC error at its transaction, direction and byte, and still decodes MOSI', () => {
    const bad = idleBuddy();
    bad[9] ^= 0x01; // corrupt the length
    const out = new LinkDecoder().push([txn(3, frame({}), bad)]);
    const [a] = anomalies(out);
    assert.equal(a.code, 'header-crc');
    assert.equal(a.txn, 3);
    assert.equal(a.dir, 'buddy-to-cpu');
    assert.equal(a.offset, 12);
    assert.equal(frames(out).length, 1);
    assert.equal(frames(out)[0].dir, 'cpu-to-buddy');
  });

  it('says the line is undriven when MISO is all 0xFF', () => {
    const out = new LinkDecoder().push([txn(0, frame({}), new Uint8Array(16).fill(0xff))]);
    const [a] = anomalies(out);
    assert.equal(a.code, 'bad-sync');
    assert.match(a.detail, /all 0xff/);
  });

  it('counts a frame whose payload CRC fails once: its intact header keeps the sequence', () => {
    const d = new LinkDecoder();
    const eth = new Uint8Array(60);
    d.push([txn(0, frame({}), frame({ channel: Channel.ethernet, seq: 10 }, eth, IDLE_BUDDY))]);
    const bad = frame({ channel: Channel.ethernet, seq: 11 }, eth, IDLE_BUDDY);
    bad[40] ^= 0x10;
    const corrupt = d.push([txn(1, frame({}), bad)]);
    assert.deepEqual(anomalies(corrupt).map((a) => a.code), ['payload-crc']);
    assert.equal(frames(corrupt).filter((f) => f.dir === 'buddy-to-cpu').length, 0);
    const next = d.push([txn(2, frame({}), frame({ channel: Channel.ethernet, seq: 12 }, eth, IDLE_BUDDY))]);
    assert.deepEqual(anomalies(next).map((a) => a.code), []);
    // A real loss after it is still a gap of exactly the frames missing.
    const later = d.push([txn(3, frame({}), frame({ channel: Channel.ethernet, seq: 15 }, eth, IDLE_BUDDY))]);
    assert.deepEqual(anomalies(later).map((a) => [a.code, a.count]), [['lost-frames', 2]]);
  });

  it('abandons a message whose fragment arrives with a bad payload CRC', () => {
    const d = new LinkDecoder();
    const msg = encodeControl(controlMessage('echo', 9, { data: new Uint8Array(100).fill(7) }));
    const parts = fragment(msg, 48);
    d.push([txn(0, frame({ channel: Channel.control, seq: 0, flags: fragmentFlags(0, parts.length) }, parts[0]), idleBuddy())]);
    const bad = frame({ channel: Channel.control, seq: 1, flags: fragmentFlags(1, parts.length) }, parts[1]);
    bad[20] ^= 0x01;
    const out = d.push([txn(1, bad, idleBuddy())]);
    assert.deepEqual(anomalies(out).map((a) => a.code), ['payload-crc', 'fragment-abandoned']);
    assert.match(anomalies(out)[1].detail, /seq 1 arrived corrupt/);
  });

  it('stands for another device\'s traffic with one no-link-frames anomaly, naming the context', () => {
    const d = new LinkDecoder({ context: () => 'SPI mode 3' });
    const out: BuddyRecord[] = [];
    for (let k = 0; k < 10; k++) out.push(...d.push([txn(k, Uint8Array.of(0x9f, 0, 0), Uint8Array.of(0xc2, 0x20, 0x15))]));
    out.push(...d.finish());
    assert.deepEqual(anomalies(out).map((a) => a.code), ['no-link-frames']);
    assert.match(anomalies(out)[0].detail, /first 4 transaction\(s\) \(SPI mode 3\)/);
    assert.equal(out.filter((r) => r.kind === 'txn').length, 10);
    assert.equal(out[0].kind, 'anomaly');
    assert.equal(anomalies(out)[0].txn, 0, 'it points at the first transaction it stands for');
    assert.deepEqual(d.stats.anomaliesPerCode, { 'no-link-frames': 1 });
  });

  it('says it once for a capture shorter than the probe, too', () => {
    const d = new LinkDecoder();
    const out = [...d.push([txn(0, Uint8Array.of(0x5a), Uint8Array.of(0))]), ...d.finish()];
    assert.deepEqual(out.map((r) => (r.kind === 'anomaly' ? r.code : r.kind)), ['no-link-frames', 'txn']);
  });

  it('reports frame errors one by one once a valid frame shows it is the buddy link', () => {
    const d = new LinkDecoder();
    const out = [
      ...d.push([txn(0, new Uint8Array(16), new Uint8Array(16).fill(0xff))]),
      ...d.push([txn(1, frame({}), idleBuddy())]),
      ...d.push([txn(2, new Uint8Array(16), idleBuddy())]),
    ];
    assert.deepEqual(anomalies(out).map((a) => [a.code, a.txn]), [['bad-sync', 0], ['bad-sync', 0], ['bad-sync', 2]]);
    assert.deepEqual(out.map((r) => r.kind), ['txn', 'anomaly', 'anomaly', 'txn', 'frame', 'frame', 'txn', 'anomaly', 'frame']);
  });

  it('counts lost frames from a sequence gap', () => {
    const d = new LinkDecoder();
    const eth = new Uint8Array(60);
    d.push([txn(0, frame({}), frame({ channel: Channel.ethernet, seq: 10 }, eth, IDLE_BUDDY))]);
    const out = d.push([txn(1, frame({}), frame({ channel: Channel.ethernet, seq: 14 }, eth, IDLE_BUDDY))]);
    const [a] = anomalies(out);
    assert.equal(a.code, 'lost-frames');
    assert.equal(a.count, 3);
    assert.equal(a.dir, 'buddy-to-cpu');
  });

  it('treats idle frames as carrying the next sequence number without consuming it', () => {
    const d = new LinkDecoder();
    const eth = new Uint8Array(60);
    d.push([txn(0, frame({}), frame({ channel: Channel.ethernet, seq: 5 }, eth, IDLE_BUDDY))]);
    d.push([txn(1, frame({}), idleBuddy({ seq: 6 }))]);
    d.push([txn(2, frame({}), idleBuddy({ seq: 6 }))]);
    const out = d.push([txn(3, frame({}), frame({ channel: Channel.ethernet, seq: 6 }, eth, IDLE_BUDDY))]);
    assert.equal(anomalies(out).length, 0);
  });

  it('reports a new buddy epoch as a reset and restarts sequence tracking', () => {
    const d = new LinkDecoder();
    d.push([txn(0, frame({ epoch: 42, seq: 100 }), idleBuddy({ seq: 500 }))]);
    const out = d.push([txn(1, frame({ epoch: 42, seq: 100 }), idleBuddy({ epoch: 43, seq: 0 }))]);
    const codes = anomalies(out).map((a) => a.code);
    assert.deepEqual(codes, ['buddy-reset', 'stale-epoch']);
    assert.match(anomalies(out)[0].detail, /42 -> 43/);
    assert.equal(d.stats.buddyResets, 1);
  });

  it('accepts epoch 0 from the CPU before the handshake', () => {
    const out = new LinkDecoder().push([txn(0, frame({ epoch: 0 }), idleBuddy())]);
    assert.equal(anomalies(out).length, 0);
  });

  it('reassembles a fragmented control message and decodes it on the last fragment', () => {
    const msg = encodeControl(controlMessage('error', 9, { code: 'internal', text: 'x'.repeat(300) }));
    const parts = fragment(msg, 128);
    assert.ok(parts.length >= 3);
    const d = new LinkDecoder();
    const out: BuddyRecord[] = [];
    parts.forEach((p, i) => {
      const flags = Flag.ackValid | fragmentFlags(i, parts.length);
      out.push(...d.push([txn(i, frame({}), frame({ channel: Channel.control, seq: 65534 + i > 65535 ? i - 2 : 65534 + i, flags }, p, IDLE_BUDDY))]));
    });
    const buddyFrames = frames(out).filter((f) => f.dir === 'buddy-to-cpu');
    assert.equal(buddyFrames.filter((f) => f.decoded).length, 1);
    const last = buddyFrames[buddyFrames.length - 1];
    assert.equal(last.fragments, parts.length);
    assert.deepEqual(Array.from(last.message ?? []), Array.from(msg));
    assert.equal(anomalies(out).length, 0);
  });

  it('abandons a fragmented message when a fragment is lost, and says so before the next frame', () => {
    const parts = fragment(new Uint8Array(300).fill(7), 128);
    const d = new LinkDecoder();
    d.push([txn(0, frame({}), frame({ channel: Channel.control, seq: 1, flags: Flag.more }, parts[0], IDLE_BUDDY))]);
    const out = d.push([txn(1, frame({}), frame({ channel: Channel.control, seq: 3, flags: Flag.cont }, parts[2], IDLE_BUDDY))]);
    // The open message is abandoned for the gap, and the orphaned tail is not taken for a message.
    assert.deepEqual(anomalies(out).map((a) => a.code), ['lost-frames', 'fragment-abandoned', 'fragment-abandoned']);
    assert.equal(frames(out).filter((f) => f.message).length, 0);
  });

  it('reports a message still in reassembly when the capture ends', () => {
    const d = new LinkDecoder();
    d.push([txn(0, frame({}), frame({ channel: Channel.control, seq: 1, flags: Flag.more }, new Uint8Array(10), IDLE_BUDDY))]);
    const tail = d.finish();
    assert.equal(tail.length, 1);
    assert.equal(tail[0].kind === 'anomaly' ? tail[0].code : '', 'fragment-abandoned');
  });

  it('flags a credited frame sent beyond the peer window', () => {
    const d = new LinkDecoder();
    const eth = new Uint8Array(60);
    // The buddy advertises credit 1 with nothing acked yet.
    d.push([txn(0, frame({}), idleBuddy({ credit: 1 }))]);
    const first = d.push([txn(1, frame({ channel: Channel.ethernet, seq: 0, epoch: 42 }, eth), idleBuddy({ credit: 1 }))]);
    assert.equal(anomalies(first).length, 0);
    const second = d.push([txn(2, frame({ channel: Channel.ethernet, seq: 1, epoch: 42 }, eth), idleBuddy({ credit: 1 }))]);
    assert.deepEqual(anomalies(second).map((a) => a.code), ['credit-overrun']);
    // Once the buddy acks seq 1 the window reopens for the CPU's next transaction (not this one:
    // both headers cross at once).
    d.push([txn(3, frame({ seq: 2, epoch: 42 }), idleBuddy({ credit: 1, ack: 1, flags: Flag.ackValid }))]);
    const fourth = d.push([txn(4, frame({ channel: Channel.ethernet, seq: 2, epoch: 42 }, eth), idleBuddy({ credit: 1, ack: 1, flags: Flag.ackValid }))]);
    assert.equal(anomalies(fourth).length, 0);
  });

  it('keeps frames on reserved channels raw, without an anomaly (a newer peer may use them)', () => {
    const out = new LinkDecoder().push([txn(0, frame({ channel: 7 }, new Uint8Array([1, 2, 3])), idleBuddy())]);
    assert.deepEqual(anomalies(out).map((a) => a.code), []);
    const f = frames(out).find((x) => x.channel === 7);
    assert.deepEqual(f?.message, new Uint8Array([1, 2, 3]));
  });

  it('reports an unknown control type code without failing the frame', () => {
    const out = new LinkDecoder().push([txn(0, frame({ channel: Channel.control }, cborEncode([0x3e, 5, {}])), idleBuddy())]);
    assert.deepEqual(anomalies(out).map((a) => a.code), ['unknown-message']);
    assert.equal(frames(out)[0].decoded?.kind, 'control');
  });

  it('reports a control message that fails its schema with the field at fault', () => {
    const out = new LinkDecoder().push([txn(0, frame({ channel: Channel.control }, cborEncode([0x03, 5, { ssid: 5 }])), idleBuddy())]);
    const [a] = anomalies(out);
    assert.equal(a.code, 'schema');
    assert.match(a.detail, /ssid/);
  });

  it('passes line and anomaly records from the SPI stage through in order', () => {
    const line: BuddyRecord = { kind: 'line', startNs: 5, endNs: 5, line: 'irq', level: 1 };
    const glitch: BuddyRecord = { kind: 'anomaly', startNs: 6, endNs: 7, code: 'cs-glitch', detail: 'x' };
    const out = new LinkDecoder().push([line, glitch, txn(0, frame({}), idleBuddy())]);
    assert.deepEqual(out.map((r) => r.kind), ['line', 'anomaly', 'txn', 'frame', 'frame']);
    void IDLE_CPU;
  });
});

describe('LinkDecoder across a buddy reset', () => {
  it('does not track stale-epoch CPU frames, and restarts CPU sequence tracking when the CPU resyncs', () => {
    const d = new LinkDecoder();
    d.push([txn(0, frame({ epoch: 42, seq: 30, channel: Channel.control }, encodeControl(controlMessage('get_status', 1, {}))), idleBuddy({ seq: 500 }))]);
    // The buddy rebooted (epoch 43); the CPU's frame in the same transaction is stale.
    const reset = d.push([txn(1, frame({ epoch: 42, seq: 31, channel: Channel.control }, encodeControl(controlMessage('get_status', 1, {}))), idleBuddy({ epoch: 43, seq: 0 }))]);
    assert.deepEqual(anomalies(reset).map((a) => a.code), ['buddy-reset', 'stale-epoch']);
    // The CPU resyncs and restarts at seq 0: no repeats, no gaps.
    const after: BuddyRecord[] = [];
    for (let i = 0; i < 5; i++) after.push(...d.push([txn(2 + i, frame({ epoch: 43, seq: i, channel: Channel.control }, encodeControl(controlMessage('get_status', 1, {}))), idleBuddy({ epoch: 43, seq: 0 }))]));
    assert.deepEqual(anomalies(after), []);
  });
});
