/**
 * Control codec: every catalogue message survives encode -> decode, schema violations are `schema`
 * errors that name the field, unknown type codes decode to `{ type: 'unknown' }`, and no payload of
 * any shape makes decodeControl throw.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { controlMessage, decodeControl, encodeControl, type ControlMessage } from '../../src/protocol/control.ts';
import { CONTROL_BY_CODE, CONTROL_CODES, controlBodies, controlRole, REPLY_TO, type ControlType } from '../../src/protocol/control-schema.ts';
import { cborEncode } from '../../src/protocol/cbor.ts';
import { unhex } from './reference.ts';

const mac = unhex('240ac4123456');
const bssid = unhex('a42bb0112233');

/** One or more valid bodies per type, optional fields both present and absent. */
const SAMPLES: { readonly [T in ControlType]: readonly ControlMessage[] } = {
  hello: [
    controlMessage('hello', 1, { protocol: 1, epoch: 7, max_frame: 1536, credit: 8, trace_level: 2, host: 'beepy' }),
    controlMessage('hello', 0xffffffff, { protocol: 1, epoch: 0, max_frame: 64, credit: 0, trace_level: null }),
  ],
  scan: [controlMessage('scan', 2, {}), controlMessage('scan', 2, { active: false, channel: 14 })],
  connect: [
    controlMessage('connect', 3, { ssid: 'open-net' }),
    controlMessage('connect', 3, { ssid: 'x'.repeat(32), passphrase: 'p'.repeat(63), bssid }),
    controlMessage('connect', 3, { ssid: 'café ☕', passphrase: '12345678' }),
  ],
  disconnect: [controlMessage('disconnect', 4, {})],
  get_status: [controlMessage('get_status', 5, {})],
  set_trace_level: [controlMessage('set_trace_level', 6, { level: 4 }), controlMessage('set_trace_level', 6, { level: null })],
  reset: [controlMessage('reset', 7, {})],
  echo: [controlMessage('echo', 8, { data: new Uint8Array(0) }), controlMessage('echo', 8, { data: unhex('00ff10') })],
  ok: [controlMessage('ok', 1, {})],
  scan_result: [
    controlMessage('scan_result', 2, { aps: [] }),
    controlMessage('scan_result', 2, { aps: [{ ssid: '', bssid, channel: 1, rssi: -127, security: 'wpa2-wpa3' }] }),
  ],
  connected: [controlMessage('connected', 3, { ssid: 'mnemos-lab', bssid, channel: 6, rssi: 0 })],
  status: [
    controlMessage('status', 5, {
      state: 'idle', mac, uptime_ms: 0, tx_frames: 0, rx_frames: 0, tx_dropped: 0, rx_dropped: 0, trace_dropped: 0,
    }),
    controlMessage('status', 5, {
      state: 'connected', mac, uptime_ms: 2 ** 40, ssid: 'mnemos-lab', bssid, channel: 11, rssi: -60,
      tx_frames: 0xffffffff, rx_frames: 12, tx_dropped: 1, rx_dropped: 2, trace_dropped: 3,
    }),
  ],
  echo_reply: [controlMessage('echo_reply', 8, { data: unhex('00ff10') })],
  error: [controlMessage('error', 3, { code: 'auth-failed', text: '' }), controlMessage('error', 9, { code: 'some-future-code', text: 'new' })],
  boot: [
    controlMessage('boot', 0, {
      protocol: 1, epoch: 255, fw_version: '0.1.0', mac, mtu: 1500, max_frame: 1536, max_requests: 4, credit: 4, caps: [], reset_reason: 'panic',
    }),
  ],
  link_up: [controlMessage('link_up', 0, { ssid: 'mnemos-lab', bssid, channel: 6, rssi: -48 })],
  link_down: [controlMessage('link_down', 0, { reason: 'beacon-loss' })],
  heartbeat: [
    controlMessage('heartbeat', 0, { uptime_ms: 5, state: 'idle', tx_queue: 0, rx_queue: 0, trace_dropped: 0 }),
    controlMessage('heartbeat', 0, { uptime_ms: 0xffffffff + 1, state: 'connected', rssi: -1, tx_queue: 0xffff, rx_queue: 1, trace_dropped: 0xffffffff }),
  ],
};

function decodeOk(bytes: Uint8Array): unknown {
  const r = decodeControl(bytes);
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.detail}`);
  return r.value;
}

function schemaError(payload: unknown): string {
  const r = decodeControl(cborEncode(payload));
  if (r.ok) assert.fail(`expected a schema error, decoded ${JSON.stringify(r.value.type)}`);
  assert.equal(r.error.code, 'schema', r.error.detail);
  return r.error.detail;
}

describe('control catalogue', () => {
  it('has one unique wire code per message type, in the range its role says', () => {
    const types = Object.keys(controlBodies) as ControlType[];
    assert.deepEqual(Object.keys(CONTROL_CODES).sort(), [...types].sort());
    assert.equal(CONTROL_BY_CODE.size, types.length);
    for (const t of types) assert.equal(CONTROL_BY_CODE.get(CONTROL_CODES[t]), t);
    for (const [req, reply] of Object.entries(REPLY_TO)) {
      assert.equal(controlRole(CONTROL_CODES[req as ControlType]), 'request', req);
      assert.equal(controlRole(CONTROL_CODES[reply]), 'reply', reply);
    }
    for (const t of ['boot', 'link_up', 'link_down', 'heartbeat'] as const) assert.equal(controlRole(CONTROL_CODES[t]), 'event');
    assert.equal(controlRole(0), 'reserved');
    assert.equal(controlRole(0x60), 'reserved');
  });

  it('has a round-trip sample for every message type', () => {
    assert.deepEqual(Object.keys(SAMPLES).sort(), Object.keys(controlBodies).sort());
  });
});

describe('control round trip', () => {
  for (const [type, samples] of Object.entries(SAMPLES)) {
    it(`${type}: encode then decode gives the same message`, () => {
      for (const msg of samples) {
        const bytes = encodeControl(msg);
        assert.deepEqual(decodeOk(bytes), msg);
      }
    });
  }

  it('encodes as the CBOR array [code, id, body] with a text-keyed map', () => {
    // 83 = array(3), 18 41 = 0x41, 02 = id, a1 = map(1), 64 "aps", 80 = [].
    assert.equal(Buffer.from(encodeControl(controlMessage('scan_result', 2, { aps: [] }))).toString('hex'), '83184102a163617073' + '80');
    assert.equal(Buffer.from(encodeControl(controlMessage('ok', 1, {}))).toString('hex'), '83184001a0');
  });

  it('leaves absent optional fields out of the wire form instead of writing undefined', () => {
    const msg = controlMessage('hello', 1, { protocol: 1, epoch: 7, max_frame: 1536, credit: 8, trace_level: null, host: undefined });
    const decoded = decodeOk(encodeControl(msg)) as { body: Record<string, unknown> };
    assert.ok(!('host' in decoded.body));
    assert.ok(!Buffer.from(encodeControl(msg)).includes(0xf7), 'no CBOR undefined (0xf7)');
  });

  it('round-trips generated heartbeat, scan_result and echo bodies', () => {
    const heartbeat = fc.record({
      uptime_ms: fc.maxSafeNat(), state: fc.string(), rssi: fc.integer({ min: -127, max: 0 }),
      tx_queue: fc.integer({ min: 0, max: 0xffff }), rx_queue: fc.integer({ min: 0, max: 0xffff }), trace_dropped: fc.integer({ min: 0, max: 0xffffffff }),
    }, { requiredKeys: ['uptime_ms', 'state', 'tx_queue', 'rx_queue', 'trace_dropped'], noNullPrototype: true });
    const ap = fc.record({
      ssid: fc.string({ maxLength: 32 }), bssid: fc.uint8Array({ minLength: 6, maxLength: 6 }), channel: fc.integer({ min: 1, max: 14 }),
      rssi: fc.integer({ min: -127, max: 0 }), security: fc.constantFrom('open', 'wpa2', 'future'),
    }, { noNullPrototype: true });
    const msg = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), heartbeat).map(([id, b]) => controlMessage('heartbeat', id, b)),
      fc.tuple(fc.integer({ min: 1, max: 0xffffffff }), fc.array(ap, { maxLength: 64 })).map(([id, aps]) => controlMessage('scan_result', id, { aps })),
      fc.tuple(fc.integer({ min: 1, max: 0xffffffff }), fc.uint8Array({ maxLength: 1400 })).map(([id, data]) => controlMessage('echo', id, { data })),
    );
    fc.assert(fc.property(msg, (m) => {
      assert.deepEqual(decodeOk(encodeControl(m)), m);
    }), { numRuns: 500 });
  });
});

describe('control encoding refuses bad messages (programming errors)', () => {
  it('throws TypeError naming the field for a body that breaks its schema', () => {
    assert.throws(() => encodeControl(controlMessage('connected', 1, { ssid: 'x', bssid: new Uint8Array(5), channel: 6, rssi: -4 })), /bssid/);
    assert.throws(() => encodeControl(controlMessage('connect', 1, { ssid: 'x', passphrase: 'short' })), TypeError);
  });

  it('throws TypeError for a request id outside u32', () => {
    assert.throws(() => encodeControl(controlMessage('ok', -1, {})), TypeError);
    assert.throws(() => encodeControl(controlMessage('ok', 2 ** 32, {})), TypeError);
  });
});

describe('control decoding of bad input', () => {
  it('names the field of a schema violation', () => {
    assert.match(schemaError([0x42, 3, { ssid: 'x', bssid: new Uint8Array(5), channel: 6, rssi: -4 }]), /connected: bssid: must be 6 bytes/);
    assert.match(schemaError([0x41, 2, { aps: [{ ssid: 'a', bssid, channel: 15, rssi: -1, security: 'open' }] }]), /aps\.0\.channel/);
    assert.match(schemaError([0x01, 1, { protocol: 1, max_frame: 1536, credit: 8, trace_level: 2 }]), /hello: epoch/);
    assert.match(schemaError([0x53, 0, { uptime_ms: -1, state: 'idle', tx_queue: 0, rx_queue: 0, trace_dropped: 0 }]), /uptime_ms/);
    assert.match(schemaError([0x40, 1, { surprise: 1 }]), /surprise/);
    assert.match(schemaError([0x40, 1, null]), /ok: body/);
  });

  it('rejects a message that is not [code, id, body] as schema errors', () => {
    assert.match(schemaError({ type: 1 }), /3-element array/);
    assert.match(schemaError([0x40, 1]), /3-element array/);
    assert.match(schemaError([0x40, 1, {}, 0]), /3-element array/);
    assert.match(schemaError([256, 1, {}]), /type code/);
    assert.match(schemaError([-1, 1, {}]), /type code/);
    assert.match(schemaError(['ok', 1, {}]), /type code/);
    assert.match(schemaError([0x40, -1, {}]), /request id/);
    assert.match(schemaError([0x40, 2 ** 32, {}]), /request id/);
    assert.match(schemaError([0x40, 1.5, {}]), /request id/);
  });

  it('decodes unassigned and reserved type codes to { type: unknown } with code, id and body', () => {
    for (const code of [0x00, 0x09, 0x3f, 0x45, 0x54, 0x60, 0xff]) {
      assert.deepEqual(decodeOk(cborEncode([code, 7, { anything: [1, 'x'] }])), { type: 'unknown', code, id: 7, body: { anything: [1, 'x'] } });
    }
  });

  it('gives bad-cbor for an empty payload, trailing bytes and broken CBOR', () => {
    for (const h of ['', '83184001a000', '83184001', 'ff', '5f', '9f01']) {
      const r = decodeControl(unhex(h));
      assert.equal(r.ok, false, h);
      if (!r.ok) assert.equal(r.error.code, 'bad-cbor', h);
    }
  });

  it('accepts body keys in any order (the vectors fix one order, decoders must not rely on it)', () => {
    const reversed = { rssi: -48, channel: 6, bssid, ssid: 'mnemos-lab' };
    assert.deepEqual(decodeOk(cborEncode([0x51, 0, reversed])), controlMessage('link_up', 0, { ssid: 'mnemos-lab', bssid, channel: 6, rssi: -48 }));
  });

  it('accepts integers in any CBOR width a sender chooses (a firmware may always write u64)', () => {
    // [0x40 as u64, 1 as u32, {}]
    assert.deepEqual(decodeOk(unhex('83' + '1b0000000000000040' + '1a00000001' + 'a0')), { type: 'ok', id: 1, body: {} });
  });
});

describe('CBOR key order', () => {
  it('encodes a body in the spec tables\' key order whatever order it was built in, and decodes any order', () => {
    const inOrder = encodeControl(controlMessage('hello', 1, { protocol: 1, epoch: 7, max_frame: 1536, credit: 8, trace_level: 2, host: 'mnemos' }));
    const shuffled = encodeControl(controlMessage('hello', 1, { host: 'mnemos', credit: 8, trace_level: 2, epoch: 7, max_frame: 1536, protocol: 1 }));
    assert.deepEqual(shuffled, inOrder);
    // A peer that writes the keys in another order is still understood.
    const foreign = cborEncode([0x01, 1, { host: 'mnemos', trace_level: 2, credit: 8, max_frame: 1536, epoch: 7, protocol: 1 }]);
    assert.notDeepEqual(foreign, inOrder);
    const d = decodeControl(foreign);
    assert.ok(d.ok);
    assert.deepEqual(d.value, { type: 'hello', id: 1, body: { protocol: 1, epoch: 7, max_frame: 1536, credit: 8, trace_level: 2, host: 'mnemos' } });
  });
});
