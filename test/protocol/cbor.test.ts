/**
 * The protocol's CBOR profile: integers in their shortest RFC 8949 form (never a float for a
 * whole number), any integer width accepted on decode, no undefined, exactly one item per payload.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cborDecode, cborEncode } from '../../src/protocol/cbor.ts';
import { hex, unhex } from './reference.ts';

function decodeOk(h: string): unknown {
  const r = cborDecode(unhex(h));
  if (!r.ok) assert.fail(r.error.detail);
  return r.value;
}

describe('CBOR profile', () => {
  it('writes whole numbers as CBOR integers in their shortest form', () => {
    const cases: [number | bigint, string][] = [
      [0, '00'], [23, '17'], [24, '1818'], [255, '18ff'], [256, '190100'], [65536, '1a00010000'], [0xffffffff, '1affffffff'],
      [2 ** 32, '1b0000000100000000'], [Number.MAX_SAFE_INTEGER, '1b001fffffffffffff'],
      [-1, '20'], [-(2 ** 31), '3a7fffffff'], [-(2 ** 40), '3b000000ffffffffff'],
      [3n, '03'], [-3n, '22'], [2n ** 63n, '1b8000000000000000'], [2n ** 64n - 1n, '1bffffffffffffffff'],
    ];
    for (const [value, want] of cases) assert.equal(hex(cborEncode(value)), want, String(value));
  });

  it('writes fractions as floats', () => {
    assert.equal(hex(cborEncode(0.5)), 'fb3fe0000000000000');
  });

  it('reads every integer width, as a number while it is a safe integer and as a bigint beyond', () => {
    assert.equal(decodeOk('1b0000000000000003'), 3);
    assert.equal(decodeOk('1a00000003'), 3);
    assert.equal(decodeOk('1b001fffffffffffff'), Number.MAX_SAFE_INTEGER);
    assert.equal(decodeOk('1b0020000000000000'), 2n ** 53n);
    assert.equal(decodeOk('3b0000000000000002'), -3);
    assert.equal(decodeOk('3bffffffffffffffff'), -(2n ** 64n));
  });

  it('round-trips every 64-bit integer exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n - 1n }), (n) => {
        const r = cborDecode(cborEncode(n));
        assert.ok(r.ok);
        assert.equal(BigInt(r.value as number | bigint), n);
        assert.equal(typeof r.value, n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? 'number' : 'bigint');
      }),
      { numRuns: 1000 },
    );
  });

  it('leaves out object keys whose value is undefined', () => {
    assert.equal(hex(cborEncode({ a: 1, b: undefined })), 'a1616101');
  });

  it('writes byte strings as CBOR byte strings (no typed-array tag) and reads them back as Uint8Array', () => {
    assert.equal(hex(cborEncode(unhex('0102'))), '420102');
    assert.equal(hex(cborEncode(Buffer.from([1, 2]))), '420102');
    const v = decodeOk('420102');
    assert.ok(v instanceof Uint8Array);
    assert.equal(Object.getPrototypeOf(v), Uint8Array.prototype);
  });

  it('requires exactly one item filling the payload', () => {
    for (const h of ['', '0102', '82', 'a1']) {
      const r = cborDecode(unhex(h));
      assert.equal(r.ok, false, h);
      if (!r.ok) assert.equal(r.error.code, 'bad-cbor');
    }
  });
});
