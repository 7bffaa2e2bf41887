/**
 * Trace codec: every trace-proto variant round-trips, ids beyond 2^53 stay exact as bigint,
 * schema violations name the field, unknown variants decode to `{ type: 'unknown' }`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeTrace, encodeTrace, traceBodies, TRACE_VARIANTS, type TraceEvent, type TraceType } from '../../src/protocol/trace.ts';
import { cborEncode } from '../../src/protocol/cbor.ts';
import { hex } from './reference.ts';

const SAMPLES: { readonly [T in TraceType]: readonly TraceEvent[] } = {
  heartbeat: [{ type: 'heartbeat', body: {} }, { type: 'heartbeat', body: { max_level: 3 } }, { type: 'heartbeat', body: { max_level: null } }],
  register_meta: [
    { type: 'register_meta', body: { id: 1, name: 'event src/wifi.rs:42', target: 'buddy::wifi', level: 2, kind: 'event', fields: [] } },
    {
      type: 'register_meta',
      body: { id: 2n ** 63n, name: 'connect', target: 'buddy', level: 0, kind: 'span', file: 'src/main.rs', line: 0, fields: ['ssid', 'attempt'] },
    },
  ],
  event: [
    { type: 'event', body: { meta: 1, fields: {} } },
    { type: 'event', body: { meta: 9, parent: 2n ** 60n, fields: { message: 'hi', n: -3, big: 2n ** 62n, f: 0.5, yes: true, none: null } } },
  ],
  new_span: [{ type: 'new_span', body: { id: 5, meta: 2, is_root: true, fields: { ssid: 'mnemos-lab' } } }],
  enter: [{ type: 'enter', body: { id: 5 } }],
  exit: [{ type: 'exit', body: { id: 5 } }],
  clone_span: [{ type: 'clone_span', body: { id: 5 } }],
  drop_span: [{ type: 'drop_span', body: { id: 0xffff_ffff_ffff_ffffn } }],
  discarded: [{ type: 'discarded', body: { new_spans: 0, span_activity: 2, events: 17, metas: 0 } }],
};

function decodeOk(bytes: Uint8Array): unknown {
  const r = decodeTrace(bytes);
  if (!r.ok) assert.fail(`${r.error.code}: ${r.error.detail}`);
  return r.value;
}

function schemaError(value: unknown): string {
  const r = decodeTrace(cborEncode(value));
  if (r.ok) assert.fail(`expected a schema error, decoded ${r.value.type}`);
  assert.equal(r.error.code, 'schema', r.error.detail);
  return r.error.detail;
}

describe('trace round trip', () => {
  it('has a sample for every variant, numbered as trace-proto discriminants', () => {
    assert.deepEqual(Object.keys(SAMPLES).sort(), Object.keys(traceBodies).sort());
    assert.deepEqual(TRACE_VARIANTS, ['heartbeat', 'register_meta', 'event', 'new_span', 'enter', 'exit', 'clone_span', 'drop_span', 'discarded']);
  });

  for (const [type, samples] of Object.entries(SAMPLES)) {
    it(`${type}: encode then decode gives the same event`, () => {
      for (const ev of samples) assert.deepEqual(decodeOk(encodeTrace(ev)), ev);
    });
  }

  it('writes [variant, body] with the variant number first', () => {
    assert.equal(hex(encodeTrace({ type: 'enter', body: { id: 5 } })), '8204a1626964' + '05');
    assert.equal(hex(encodeTrace({ type: 'drop_span', body: { id: 0xffff_ffff_ffff_ffffn } })), '8207a16269641bffffffffffffffff');
  });

  it('gives ids as numbers up to 2^53 and as exact bigints beyond, whatever type the sender used', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 2n ** 64n - 1n }), (id) => {
        const canonical = id <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(id) : id;
        assert.deepEqual(decodeOk(encodeTrace({ type: 'enter', body: { id } })), { type: 'enter', body: { id: canonical } });
        if (typeof canonical === 'number') {
          assert.deepEqual(decodeOk(encodeTrace({ type: 'enter', body: { id: canonical } })), { type: 'enter', body: { id: canonical } });
        }
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips generated events with any mix of field values', () => {
    // -0 is written as the integer 0 (CBOR has one zero integer), so it comes back as 0.
    const double = fc.double().map((d) => (Object.is(d, -0) ? 0 : d));
    const value = fc.oneof(fc.string(), fc.integer(), double, fc.boolean(), fc.constant(null), fc.bigInt({ min: 2n ** 53n, max: 2n ** 64n - 1n }));
    // cbor-x renames a decoded "__proto__" key (a prototype-pollution guard), so field names avoid it.
    const name = fc.string().filter((s) => s !== '__proto__');
    const ev = fc.record({ meta: fc.integer({ min: 1, max: 2 ** 32 }), fields: fc.dictionary(name, value, { noNullPrototype: true }) }, { noNullPrototype: true });
    fc.assert(
      fc.property(ev, (body) => {
        assert.deepEqual(decodeOk(encodeTrace({ type: 'event', body })), { type: 'event', body });
      }),
      { numRuns: 500 },
    );
  });
});

describe('trace decoding of bad input', () => {
  it('names the field of a schema violation', () => {
    assert.match(schemaError([1, { id: 1, name: 'x', target: 't', level: 5, kind: 'event', fields: [] }]), /register_meta: level/);
    assert.match(schemaError([1, { id: 1, name: 'x', target: 't', level: 1, kind: 'thing', fields: [] }]), /kind/);
    assert.match(schemaError([4, { id: 0 }]), /enter: id/);
    assert.match(schemaError([2, { meta: 1, fields: { nested: [1] } }]), /fields\.nested/);
    assert.match(schemaError([8, { new_spans: 0, span_activity: 0, events: -1, metas: 0 }]), /events/);
  });

  it('rejects a trace message that is not [variant, body]', () => {
    assert.match(schemaError({ variant: 1 }), /2-element array/);
    assert.match(schemaError([1]), /2-element array/);
    assert.match(schemaError([-1, {}]), /variant/);
    assert.match(schemaError(['event', {}]), /variant/);
  });

  it('decodes unknown variants to { type: unknown } with the variant and body', () => {
    assert.deepEqual(decodeOk(cborEncode([9, { x: 1 }])), { type: 'unknown', variant: 9, body: { x: 1 } });
    assert.deepEqual(decodeOk(cborEncode([200, 'anything'])), { type: 'unknown', variant: 200, body: 'anything' });
  });

  it('keeps a field named __proto__ as data on both sides, never as a prototype', () => {
    const bytes = encodeTrace({ type: 'event', body: { meta: 1, fields: JSON.parse('{"__proto__": "x", "a": 1}') } });
    assert.ok(Buffer.from(bytes).includes(Buffer.from('__proto__')), 'the key is on the wire');
    const ev = decodeOk(bytes) as { body: { fields: Record<string, unknown> } };
    assert.equal(Object.getPrototypeOf(ev.body.fields), Object.prototype);
    assert.equal(ev.body.fields.a, 1);
  });

  it('accepts NaN and infinite field values, which a firmware may log', () => {
    const ev: TraceEvent = { type: 'event', body: { meta: 1, fields: { a: Number.NaN, b: Number.POSITIVE_INFINITY, c: Number.NEGATIVE_INFINITY } } };
    assert.deepEqual(decodeOk(encodeTrace(ev)), ev);
  });

  it('refuses to encode an id of zero or beyond u64 (a programming error)', () => {
    assert.throws(() => encodeTrace({ type: 'enter', body: { id: 0 } }), TypeError);
    assert.throws(() => encodeTrace({ type: 'enter', body: { id: 2n ** 64n } }), TypeError);
  });
});

describe('trace key order', () => {
  it('writes a body\'s keys in the spec table\'s order, however the body was built', () => {
    const a = encodeTrace({ type: 'register_meta', body: { id: 3, name: 'n', target: 't', level: 2, kind: 'event', fields: ['message'] } });
    const b = encodeTrace({ type: 'register_meta', body: { fields: ['message'], kind: 'event', level: 2, target: 't', name: 'n', id: 3 } });
    assert.deepEqual(b, a);
  });
});
