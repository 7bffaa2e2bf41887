/**
 * CRC-32C against a bitwise reference written from the definition, so the frame tests do not
 * trust src/protocol/crc.ts (a native binding) alone.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { crc32c } from '../../src/protocol/crc.ts';
import { encodeFrame, decodeFrame } from '../../src/protocol/frame.ts';
import { assembleFrame, crc32cBitwise, hex, unhex } from './reference.ts';
import { findVector } from '../../src/protocol/vectors.ts';

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('CRC-32C', () => {
  it('the bitwise reference gives the catalogue check value 0xE3069283 for "123456789"', () => {
    assert.equal(crc32cBitwise(ascii('123456789')), 0xe3069283);
  });

  it('crc.ts gives the catalogue check value 0xE3069283 for "123456789"', () => {
    assert.equal(crc32c(ascii('123456789')), 0xe3069283);
  });

  it('crc.ts gives 0 for no bytes and an unsigned 32-bit number for any input', () => {
    assert.equal(crc32c(new Uint8Array(0)), 0);
    assert.equal(crc32c(new Uint8Array(32).fill(0xff)), crc32cBitwise(new Uint8Array(32).fill(0xff)));
  });

  it('crc.ts agrees with the bitwise reference on random inputs, including subarrays', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(8), (bytes, skip) => {
        const view = bytes.subarray(Math.min(skip, bytes.length));
        const got = crc32c(view);
        assert.equal(got, crc32cBitwise(view));
        assert.ok(got >= 0 && got <= 0xffffffff);
      }),
      { numRuns: 500 },
    );
  });
});

describe('a hand-assembled frame', () => {
  // H4 HCI_Reset from the CPU, laid out field by field with the reference CRC.
  const header = { channel: 4, flags: 0x04, seq: 4, ack: 11, credit: 8, epoch: 7 };
  const payload = unhex('01030c00');
  const frame = assembleFrame(header, payload);

  it('matches the layout byte by byte: sync, version, fields, header CRC, payload, CRC', () => {
    assert.equal(
      hex(frame),
      'b5' + '01' + '04' + '04' + '0400' + '0b00' + '0400' + '08' + '07' +
        crc32cBitwise(frame.subarray(0, 12)).toString(16).padStart(8, '0').match(/../g)!.reverse().join('') +
        '01030c00' +
        crc32cBitwise(frame.subarray(0, 20)).toString(16).padStart(8, '0').match(/../g)!.reverse().join(''),
    );
  });

  it('is what encodeFrame writes and what the ble-hci-reset vector holds', () => {
    assert.equal(hex(encodeFrame(header, payload)), hex(frame));
    assert.equal(findVector('ble-hci-reset')?.hex, hex(frame));
  });

  it('decodes to the fields it was assembled from', () => {
    const r = decodeFrame(frame);
    assert.ok(r.ok);
    assert.deepEqual(r.value.header, { version: 1, length: 4, ...header });
    assert.equal(hex(r.value.payload), '01030c00');
  });

  it('an idle frame has no trailer: 16 bytes, header CRC only', () => {
    const idle = assembleFrame({ channel: 0, flags: 0, seq: 0, ack: 0, credit: 0, epoch: 0 });
    assert.equal(idle.length, 16);
    assert.equal(hex(idle), findVector('idle-cpu')?.hex);
    assert.equal(hex(encodeFrame({ channel: 0, flags: 0, seq: 0, ack: 0, credit: 0, epoch: 0 })), hex(idle));
  });
});
