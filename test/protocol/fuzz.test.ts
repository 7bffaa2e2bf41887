/**
 * Hostile payloads: decodeControl, decodeTrace and decodeMessage return typed errors for anything
 * and never throw, whether the input is random bytes, random CBOR token soup, arbitrary CBOR
 * values, mutated valid messages, or any of those inside a valid frame. And a failed decode must
 * not leave the shared CBOR decoder in a state that spoils the next, valid, payload.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { encode as rawCborEncode } from 'cbor-x';
import { decodeControl } from '../../src/protocol/control.ts';
import { decodeTrace } from '../../src/protocol/trace.ts';
import { decodeMessage } from '../../src/protocol/message.ts';
import { decodeFrame, encodeFrame } from '../../src/protocol/frame.ts';
import { Channel, MAX_PAYLOAD } from '../../src/protocol/constants.ts';
import type { Result } from '../../src/protocol/errors.ts';
import { VECTORS } from '../../src/protocol/vectors.ts';
import { unhex } from './reference.ts';

/** Control and trace payloads of the vectors, with what they decode to. */
const GOOD = VECTORS.flatMap((v) => {
  const m = v.expected.message;
  if (m.kind !== 'control' && m.kind !== 'trace') return [];
  const r = decodeFrame(unhex(v.hex));
  assert.ok(r.ok);
  return [{ channel: r.value.header.channel, payload: r.value.payload.slice(), expected: m }];
});

function assertTyped(r: Result<unknown>): void {
  if (!r.ok) {
    assert.ok(r.error.code === 'bad-cbor' || r.error.code === 'schema', r.error.code);
    assert.equal(typeof r.error.detail, 'string');
  }
}

function decodeAll(payload: Uint8Array, goodIndex: number): void {
  assertTyped(decodeControl(payload));
  assertTyped(decodeTrace(payload));
  for (const ch of [Channel.control, Channel.trace]) {
    const r = decodeMessage(ch, payload);
    assert.ok(r !== null);
    assertTyped(r);
  }
  // The shared decoder still works after whatever that was.
  const good = GOOD[goodIndex % GOOD.length];
  assert.deepEqual(decodeMessage(good.channel, good.payload), { ok: true, value: good.expected });
}

/** CBOR initial bytes that stress a decoder: containers, indefinite lengths, breaks, tags, shared refs, floats. */
const token = fc.oneof(
  fc.integer({ min: 0, max: 255 }),
  fc.constantFrom(0x80, 0x81, 0x83, 0x9f, 0xa0, 0xa1, 0xbf, 0xff, 0x5f, 0x7f, 0x40, 0x60, 0x61, 0xf4, 0xf5, 0xf6, 0xf7, 0xf9, 0xfa, 0xfb),
  fc.constantFrom(0xc0, 0xc1, 0xc2, 0xc3, 0xd8, 0xd9, 0xda, 0xdb, 0x1b, 0x3b, 0x1a, 0x19, 0x18),
  // tag 28 (shareable) and tag 29 (shared reference), which can build cycles
  fc.constantFrom(0x1c, 0x1d),
);
const tokenSoup = fc.array(token, { maxLength: 64 }).map((a) => Uint8Array.from(a));

/** Arbitrary JS values through cbor-x's own encoder (tags, Maps, Sets, Dates, typed arrays and all). */
const anyValue = fc.anything({
  withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true,
  withBoxedValues: true, withSparseArray: true, maxDepth: 4,
});
function rawEncode(value: unknown): Uint8Array | null {
  try {
    return rawCborEncode(value);
  } catch {
    return null; // values cbor-x itself cannot write are not payloads
  }
}
const cborValues = fc
  .oneof(
    anyValue,
    fc.tuple(fc.integer({ min: -2, max: 300 }), fc.oneof(fc.integer({ min: -1, max: 2 ** 33 }), anyValue), anyValue),
    fc.tuple(fc.integer({ min: -2, max: 12 }), anyValue),
  )
  .map(rawEncode)
  .filter((b): b is Uint8Array => b !== null && b.length > 0);

/** A valid payload, mutated: bytes changed, cut, or inserted. */
const mutated = fc
  .tuple(fc.nat(GOOD.length - 1), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('set', 'cut', 'insert')), { minLength: 1, maxLength: 4 }))
  .map(([i, edits]) => {
    let b = Array.from(GOOD[i].payload);
    for (const [at, value, op] of edits) {
      const pos = b.length ? at % b.length : 0;
      if (op === 'set') b[pos] = value;
      else if (op === 'cut') b = b.slice(0, pos);
      else b.splice(pos, 0, value);
    }
    return Uint8Array.from(b);
  });

describe('message decoders on hostile payloads', () => {
  it('never throw on thousands of random byte arrays', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(), (b, g) => decodeAll(b, g)), { numRuns: 5000 });
  });

  it('never throw on random CBOR token soup', () => {
    fc.assert(fc.property(tokenSoup, fc.nat(), (b, g) => decodeAll(b, g)), { numRuns: 5000 });
  });

  it('never throw on arbitrary CBOR values, bare or shaped like [code, id, body] and [variant, body]', () => {
    fc.assert(fc.property(cborValues, fc.nat(), (b, g) => decodeAll(b, g)), { numRuns: 3000 });
  });

  it('never throw on mutated valid control and trace messages', () => {
    fc.assert(fc.property(mutated, fc.nat(), (b, g) => decodeAll(b, g)), { numRuns: 3000 });
  });

  it('never throw on any of those carried inside a valid frame', () => {
    const payload = fc.oneof(fc.uint8Array({ minLength: 1, maxLength: 300 }), tokenSoup, cborValues, mutated).filter((b) => b.length > 0 && b.length <= MAX_PAYLOAD);
    fc.assert(
      fc.property(payload, fc.constantFrom(Channel.control, Channel.trace), fc.nat(), (p, channel, g) => {
        const frame = decodeFrame(encodeFrame({ channel, flags: 0, seq: 1, ack: 0, credit: 0, epoch: 1 }, p));
        assert.ok(frame.ok);
        const r = decodeMessage(frame.value.header.channel, frame.value.payload);
        assert.ok(r !== null);
        assertTyped(r);
        decodeAll(frame.value.payload, g);
      }),
      { numRuns: 2000 },
    );
  });

  it('returns a typed error for self-referencing CBOR (shared-value tags building a cycle)', () => {
    // tag 28 [ tag 29 (0) ]: an array that contains itself
    const cyclic = unhex('d81c81d81d00');
    decodeAll(cyclic, 0);
    decodeAll(unhex('83 01 01 d81ca1 61 61 d81d00'.replace(/ /g, '')), 1);
  });

  it('returns a typed error for deeply nested CBOR', () => {
    decodeAll(new Uint8Array(MAX_PAYLOAD).fill(0x81), 0);
    decodeAll(new Uint8Array(MAX_PAYLOAD).fill(0x9f), 1);
    decodeAll(Uint8Array.from([0x83, 0x01, 0x01, ...Array.from({ length: 1000 }).flatMap(() => [0xa1, 0x61, 0x61]), 0x00]), 2);
  });
});
