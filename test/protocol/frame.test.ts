/**
 * Frame codec: corruption is always detected (every single-bit flip of every vector), headers are
 * checked before their length is trusted, and bad input of any shape gives a typed error, never an
 * exception. Fixtures with deliberately wrong fields are assembled with the reference CRC.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeFrame, decodeHeader, encodeFrame, frameSize, isIdle, type FrameInit } from '../../src/protocol/frame.ts';
import type { ProtocolErrorCode, Result } from '../../src/protocol/errors.ts';
import { MAX_PAYLOAD } from '../../src/protocol/constants.ts';
import { VECTORS } from '../../src/protocol/vectors.ts';
import { assembleFrame, hex, unhex } from './reference.ts';

const FRAME_ERRORS: ReadonlySet<ProtocolErrorCode> = new Set([
  'truncated', 'bad-sync', 'bad-version', 'header-crc', 'oversized', 'payload-crc', 'reserved-flags',
]);

function errorOf<T>(r: Result<T>): { code: ProtocolErrorCode; offset: number; detail: string } {
  if (r.ok) assert.fail('expected a decode error, got ok');
  return r.error;
}

const initArb: fc.Arbitrary<FrameInit> = fc.record({
  channel: fc.integer({ min: 0, max: 255 }),
  flags: fc.integer({ min: 0, max: 7 }),
  seq: fc.integer({ min: 0, max: 0xffff }),
  ack: fc.integer({ min: 0, max: 0xffff }),
  credit: fc.integer({ min: 0, max: 255 }),
  epoch: fc.integer({ min: 0, max: 255 }),
});
const frameArb = fc.tuple(initArb, fc.uint8Array({ maxLength: 300 })).map(([init, payload]) => ({ init, payload, bytes: encodeFrame(init, payload) }));

describe('single-bit corruption', () => {
  for (const v of VECTORS) {
    it(`every one of the ${v.hex.length * 4} single-bit flips of ${v.name} is rejected by the right check`, () => {
      const frame = unhex(v.hex);
      for (let bit = 0; bit < frame.length * 8; bit++) {
        const bad = frame.slice();
        bad[bit >> 3] ^= 1 << (bit & 7);
        const r = decodeFrame(bad);
        const byte = bit >> 3;
        const want = byte === 0 ? 'bad-sync' : byte < 16 ? 'header-crc' : 'payload-crc';
        assert.equal(errorOf(r).code, want, `bit ${bit} (byte ${byte})`);
      }
    });
  }

  it('two or three flipped bits anywhere in a vector are never decoded', () => {
    const frames = VECTORS.map((v) => unhex(v.hex));
    fc.assert(
      fc.property(fc.nat(frames.length - 1), fc.array(fc.nat(), { minLength: 2, maxLength: 3 }), (which, positions) => {
        const frame = frames[which];
        const bits = new Set(positions.map((p) => p % (frame.length * 8)));
        fc.pre(bits.size === positions.length);
        const bad = frame.slice();
        for (const b of bits) bad[b >> 3] ^= 1 << (b & 7);
        assert.equal(decodeFrame(bad).ok, false);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('decodeHeader (the CPU deciding mid-transaction how many bytes to clock)', () => {
  it('rejects a corrupted length with a header-crc error before trusting it', () => {
    const frame = unhex(VECTORS.find((v) => v.name === 'scan-result')!.hex);
    for (const len of [0, 1, 130, 132, 1536, 0xffff]) {
      const bad = frame.slice(0, 16);
      bad[8] = len & 0xff;
      bad[9] = len >> 8;
      const e = errorOf(decodeHeader(bad));
      assert.equal(e.code, 'header-crc', `len ${len}`);
      assert.equal(e.offset, 12);
    }
  });

  it('needs only the first 16 bytes and reports the payload length', () => {
    const frame = unhex(VECTORS.find((v) => v.name === 'boot')!.hex);
    const r = decodeHeader(frame.subarray(0, 16));
    assert.ok(r.ok);
    assert.equal(r.value.length, 140);
    assert.equal(frameSize(r.value.length), frame.length);
  });

  it('rejects a length above MAX_PAYLOAD even when the header CRC is right', () => {
    const bad = assembleFrame({ channel: 2, flags: 0, seq: 0, ack: 0, credit: 0, epoch: 1, length: MAX_PAYLOAD + 1 });
    const e = errorOf(decodeHeader(bad));
    assert.equal(e.code, 'oversized');
    assert.equal(e.offset, 8);
    const okLen = assembleFrame({ channel: 2, flags: 0, seq: 0, ack: 0, credit: 0, epoch: 1, length: MAX_PAYLOAD });
    assert.ok(decodeHeader(okLen).ok);
  });

  it('rejects an unknown protocol version with a valid CRC as bad-version', () => {
    const bad = assembleFrame({ version: 2, channel: 0, flags: 0, seq: 0, ack: 0, credit: 0, epoch: 0 });
    const e = errorOf(decodeHeader(bad));
    assert.equal(e.code, 'bad-version');
    assert.equal(e.offset, 1);
  });

  it('rejects reserved flag bits with a valid CRC', () => {
    for (const flags of [0x10, 0x20, 0x80, 0xf0, 0xff]) {
      const bad = assembleFrame({ channel: 1, flags, seq: 0, ack: 0, credit: 0, epoch: 0 });
      assert.equal(errorOf(decodeHeader(bad)).code, 'reserved-flags', `flags 0x${flags.toString(16)}`);
    }
  });

  it('rejects a header that does not start with the sync byte, including idle-bus 0x00 and 0xFF', () => {
    for (const sync of [0x00, 0xff, 0xb4, 0x5b]) {
      const bad = assembleFrame({ sync, channel: 0, flags: 0, seq: 0, ack: 0, credit: 0, epoch: 0 });
      const e = errorOf(decodeHeader(bad));
      assert.equal(e.code, 'bad-sync');
      assert.equal(e.offset, 0);
    }
    assert.equal(errorOf(decodeHeader(new Uint8Array(16))).code, 'bad-sync');
    assert.equal(errorOf(decodeHeader(new Uint8Array(16).fill(0xff))).code, 'bad-sync');
  });

  it('reports truncated for fewer than 16 bytes, at the length it had', () => {
    for (let n = 0; n < 16; n++) {
      const e = errorOf(decodeHeader(unhex(VECTORS[0].hex).subarray(0, n)));
      assert.equal(e.code, 'truncated');
      assert.equal(e.offset, n);
    }
  });
});

describe('decodeFrame', () => {
  it('reports truncated for every cut of every vector, never a decode', () => {
    for (const v of VECTORS) {
      const frame = unhex(v.hex);
      for (let n = 0; n < frame.length; n++) assert.equal(errorOf(decodeFrame(frame.subarray(0, n))).code, 'truncated', `${v.name} cut at ${n}`);
    }
  });

  it('ignores bytes after the frame (transaction padding)', () => {
    for (const v of VECTORS) {
      const frame = unhex(v.hex);
      const padded = new Uint8Array(frame.length + 40).fill(0xff);
      padded.set(frame);
      const r = decodeFrame(padded);
      assert.ok(r.ok, v.name);
      assert.equal(r.value.payload.length, r.value.header.length);
      assert.equal(hex(encodeFrame(r.value.header, r.value.payload)), v.hex);
    }
  });

  it('reports the payload-crc error at the trailer offset', () => {
    const frame = unhex(VECTORS.find((v) => v.name === 'ok')!.hex);
    frame[frame.length - 1] ^= 0x80;
    const e = errorOf(decodeFrame(frame));
    assert.equal(e.code, 'payload-crc');
    assert.equal(e.offset, frame.length - 4);
  });

  it('treats channel 0 with no payload as idle, and nothing else', () => {
    assert.ok(isIdle({ version: 1, channel: 0, flags: 0, seq: 0, ack: 0, length: 0, credit: 0, epoch: 0 }));
    assert.ok(!isIdle({ version: 1, channel: 1, flags: 0, seq: 0, ack: 0, length: 0, credit: 0, epoch: 0 }));
    assert.ok(!isIdle({ version: 1, channel: 0, flags: 0, seq: 0, ack: 0, length: 3, credit: 0, epoch: 0 }));
  });

  it('round-trips any valid header and payload', () => {
    fc.assert(
      fc.property(frameArb, ({ init, payload, bytes }) => {
        assert.equal(bytes.length, frameSize(payload.length));
        const r = decodeFrame(bytes);
        assert.ok(r.ok);
        assert.deepEqual(r.value.header, { ...init, version: 1, length: payload.length });
        assert.equal(hex(r.value.payload), hex(payload));
      }),
      { numRuns: 1000 },
    );
  });

  it('gives only typed errors for random bytes, and anything it accepts re-encodes to the same bytes', () => {
    const anyBytes = fc.oneof(
      fc.uint8Array({ maxLength: 2000 }),
      // Random bytes behind a right sync byte, to get past the first check.
      fc.uint8Array({ minLength: 15, maxLength: 200 }).map((b) => Uint8Array.of(0xb5, ...b)),
    );
    fc.assert(
      fc.property(anyBytes, (bytes) => {
        const r = decodeFrame(bytes);
        if (!r.ok) {
          assert.ok(FRAME_ERRORS.has(r.error.code), r.error.code);
          assert.ok(r.error.offset >= 0 && r.error.offset <= bytes.length);
          assert.equal(typeof r.error.detail, 'string');
          return;
        }
        const size = frameSize(r.value.header.length);
        assert.equal(hex(encodeFrame(r.value.header, r.value.payload)), hex(bytes.subarray(0, size)));
      }),
      { numRuns: 5000 },
    );
  });

  it('random truncations of valid frames are truncated errors', () => {
    fc.assert(
      fc.property(frameArb, fc.nat(), ({ bytes }, cut) => {
        const n = cut % bytes.length;
        assert.equal(errorOf(decodeFrame(bytes.subarray(0, n))).code, 'truncated');
      }),
      { numRuns: 2000 },
    );
  });

  it('random byte corruption of valid frames is always detected', () => {
    fc.assert(
      fc.property(frameArb, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ bytes }, at, xor) => {
        const bad = bytes.slice();
        bad[at % bad.length] ^= xor;
        assert.equal(decodeFrame(bad).ok, false);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('encodeFrame', () => {
  const base: FrameInit = { channel: 1, flags: 0, seq: 0, ack: 0, credit: 0, epoch: 0 };

  it('throws RangeError for out-of-range fields (a programming error)', () => {
    for (const [field, value] of [['channel', 256], ['flags', -1], ['seq', 0x10000], ['ack', 1.5], ['credit', 300], ['epoch', Number.NaN]] as const) {
      assert.throws(() => encodeFrame({ ...base, [field]: value }), RangeError, field);
    }
  });

  it('throws RangeError for a payload above MAX_PAYLOAD and accepts exactly MAX_PAYLOAD', () => {
    assert.throws(() => encodeFrame(base, new Uint8Array(MAX_PAYLOAD + 1)), RangeError);
    assert.equal(encodeFrame(base, new Uint8Array(MAX_PAYLOAD)).length, 16 + MAX_PAYLOAD + 4);
  });
});
