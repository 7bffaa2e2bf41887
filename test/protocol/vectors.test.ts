/**
 * The spec's test vectors (src/protocol/vectors.ts): each frozen frame decodes to its documented
 * header and message, and the encoder reproduces it byte for byte. A failure here means the wire
 * format changed: update docs/protocol.md and the vectors together, on purpose.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeControl, type ControlMessage } from '../../src/protocol/control.ts';
import { encodeTrace, type TraceEvent } from '../../src/protocol/trace.ts';
import { decodeFrame, encodeFrame, isIdle, type Frame } from '../../src/protocol/frame.ts';
import { decodeMessage, type DecodedMessage } from '../../src/protocol/message.ts';
import { Reassembler, fragment } from '../../src/protocol/fragment.ts';
import { VECTORS, findVector, formatVector, type ProtocolVector } from '../../src/protocol/vectors.ts';
import { describeValue, formatFrameDump } from '../../src/protocol/dump.ts';
import { Channel, Flag } from '../../src/protocol/constants.ts';
import { hex, unhex } from './reference.ts';

function decoded(v: ProtocolVector): Frame {
  const r = decodeFrame(unhex(v.hex));
  if (!r.ok) assert.fail(`${v.name}: ${r.error.code} at ${r.error.offset}: ${r.error.detail}`);
  return r.value;
}

function encodeDecoded(m: DecodedMessage): Uint8Array {
  if (m.kind === 'control') {
    assert.notEqual(m.msg.type, 'unknown');
    return encodeControl(m.msg as ControlMessage);
  }
  assert.notEqual(m.event.type, 'unknown');
  return encodeTrace(m.event as TraceEvent);
}

/** The payload the encoder makes from a vector's documented message. */
function payloadOf(v: ProtocolVector): Uint8Array {
  const m = v.expected.message;
  switch (m.kind) {
    case 'idle':
      return new Uint8Array(0);
    case 'control':
    case 'trace':
      return encodeDecoded(m);
    case 'raw':
      return m.bytes;
    case 'fragment':
      return m.bytes;
  }
}

describe('protocol test vectors', () => {
  it('has unique names and lower-case hex without separators', () => {
    const names = VECTORS.map((v) => v.name);
    assert.equal(new Set(names).size, names.length);
    for (const v of VECTORS) assert.match(v.hex, /^(?:[0-9a-f]{2})+$/, v.name);
  });

  it('covers every case the spec promises', () => {
    const need = [
      'idle-cpu', 'idle-buddy', 'boot', 'hello', 'ok', 'scan', 'scan-result', 'connect', 'connected', 'error-auth-failed',
      'link-up', 'heartbeat', 'ethernet-arp', 'scan-result-fragment-0', 'scan-result-fragment-1', 'trace-register-meta',
      'trace-event', 'trace-discarded', 'ble-hci-reset', 'reserved-channel',
    ];
    for (const name of need) assert.ok(findVector(name), `missing vector ${name}`);
    assert.equal(findVector('nope'), undefined);
  });

  for (const v of VECTORS) {
    describe(v.name, () => {
      it('decodes to the documented header', () => {
        assert.deepEqual(decoded(v).header, v.expected.header);
      });

      it('decodes to the documented message', () => {
        const f = decoded(v);
        const m = v.expected.message;
        switch (m.kind) {
          case 'idle':
            assert.ok(isIdle(f.header));
            assert.equal(f.payload.length, 0);
            break;
          case 'control':
          case 'trace': {
            const r = decodeMessage(f.header.channel, f.payload);
            assert.ok(r && r.ok, r && !r.ok ? r.error.detail : 'no decoder for channel');
            assert.deepEqual(r.value, m);
            break;
          }
          case 'raw':
            assert.equal(decodeMessage(f.header.channel, f.payload), null);
            assert.equal(hex(f.payload), hex(m.bytes));
            break;
          case 'fragment':
            assert.equal(hex(f.payload), hex(m.bytes));
            assert.equal((f.header.flags & Flag.more) !== 0, m.completes === undefined, 'only the last fragment lacks the more flag');
            break;
        }
      });

      it('is reproduced byte for byte by the encoder', () => {
        const { length, version, ...init } = v.expected.header;
        const payload = payloadOf(v);
        assert.equal(payload.length, length);
        assert.equal(version, 1);
        const bytes = encodeFrame(init, payload);
        assert.equal(hex(bytes), v.hex, `the encoder now writes ${hex(bytes)}`);
      });

      it('prints an annotated dump naming every header field and every byte', () => {
        const text = formatVector(v);
        for (const field of ['sync', 'version', 'channel', 'flags', 'seq', 'ack', 'len', 'credit', 'epoch', 'hcrc']) {
          assert.match(text, new RegExp(`\\b${field}\\b`), field);
        }
        const f = decoded(v);
        if (f.payload.length) assert.match(text, /\bpayload\b[^\n]*\n(?:.|\n)*\bcrc\b/);
        const dumped = text.split('\n').slice(1, -1).map((l) => l.slice(8, 56).replace(/ /g, '')).join('');
        assert.equal(dumped, v.hex);
        assert.match(text.split('\n').at(-1) ?? '', /^decoded: /);
      });
    });
  }

  it('reassembles the two scan_result fragments into the documented message', () => {
    const parts = VECTORS.filter((v) => v.expected.message.kind === 'fragment');
    assert.equal(parts.length, 2);
    const r = new Reassembler();
    const first = r.push(decoded(parts[0]));
    assert.deepEqual(first, [{ kind: 'pending' }]);
    const [done] = r.push(decoded(parts[1]));
    assert.equal(done.kind, 'complete');
    if (done.kind !== 'complete') return;
    assert.equal(done.fragments, 2);
    assert.equal(done.channel, Channel.control);
    assert.equal(done.firstSeq, parts[0].expected.header.seq);
    const last = parts[1].expected.message;
    assert.ok(last.kind === 'fragment' && last.completes);
    assert.deepEqual(decodeMessage(done.channel, done.message), { ok: true, value: last.completes });
    // And the sender side splits the encoded message at the same place.
    const again = fragment(encodeDecoded(last.completes), parts[0].expected.header.length);
    assert.deepEqual(again.map(hex), parts.map((p) => hex(decoded(p).payload)));
  });

  it('dumps short, truncated and flag-laden frames without throwing, naming what is there', () => {
    assert.match(formatFrameDump(unhex('b501')).join('\n'), /short +2 bytes/);
    const boot = unhex(findVector('boot')!.hex);
    const cut = formatFrameDump(boot.subarray(0, 40)).join('\n');
    assert.match(cut, /payload +140 bytes/);
    assert.doesNotMatch(cut, /\bcrc\b/);
    const flags = unhex(findVector('scan-result-fragment-0')!.hex);
    assert.match(formatFrameDump(flags).join('\n'), /flags +0x05 \(more, ack-valid\)/);
    const reserved = flags.slice();
    reserved[3] = 0xff;
    assert.match(formatFrameDump(reserved).join('\n'), /0xff \(more, cont, pending, ack-valid, RESERVED\)/);
  });

  it('renders values for the dump: byte strings as h\'..\', bigints with n, text quoted', () => {
    assert.equal(describeValue({ a: unhex('00ff'), b: 2n ** 60n, c: 'x', d: [1, null, true] }), `{a: h'00ff', b: 1152921504606846976n, c: "x", d: [1, null, true]}`);
  });

  it('keeps the ARP request exactly as captured on the wire', () => {
    const v = findVector('ethernet-arp');
    assert.ok(v);
    assert.equal(
      hex(decoded(v).payload),
      'ffffffffffff020000000001080600010800060400010200000000010a0000020000000000000a000001',
    );
    assert.equal(decoded(v).payload.length, 42);
  });
});
