/**
 * Exact bytes of hand-built blocks. The expected hex is written out field by field from the
 * pcapng draft, not produced by the encoder under test.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteBuffer, splitU64 } from '../../src/pcapng/bytes.ts';
import { DIR_OUTBOUND, encodeEpb, encodeIdb, encodeShb } from '../../src/pcapng/blocks.ts';

const hex = (s: string) => s.replace(/[\s|]/g, '');

function bytesOf(fill: (b: ByteBuffer) => void): string {
  const b = new ByteBuffer(16);
  fill(b);
  return b.view().toString('hex');
}

describe('pcapng block encoders', () => {
  it('encodes an SHB with shb_userappl, little endian, version 1.0, section length -1', () => {
    const expected = hex(`
      0a0d0d0a 28000000 | 4d3c2b1a 0100 0000 ffffffff ffffffff
      0400 0400 62732031 | 0000 0000 | 28000000`);
    assert.equal(bytesOf((b) => encodeShb(b, { userappl: 'bs 1' })), expected);
  });

  it('encodes an IDB with if_name and if_tsresol 9 (nanoseconds)', () => {
    const expected = hex(`
      01000000 28000000 | 0100 0000 00000000
      0200 0200 6530 0000 | 0900 0100 09 000000 | 0000 0000 | 28000000`);
    assert.equal(bytesOf((b) => encodeIdb(b, { linkType: 1, name: 'e0' })), expected);
  });

  it('encodes an EPB with split timestamp, padded data, comment, flags and packet id', () => {
    const expected = hex(`
      06000000 48000000 | 00000000 | 01000000 02000000 | 05000000 05000000
      0102030405 000000
      0100 0200 6869 0000 | 0200 0400 02000000 | 0500 0800 07000000 00000000 | 0000 0000
      48000000`);
    const got = bytesOf((b) =>
      encodeEpb(b, { interfaceId: 0, timestamp: 0x1_0000_0002n, data: Uint8Array.of(1, 2, 3, 4, 5), flags: DIR_OUTBOUND, packetId: 7, comments: ['hi'] }),
    );
    assert.equal(got, expected);
  });

  it('writes the same block for a timestamp given as a number or a BigInt, and for data in parts', () => {
    const a = bytesOf((b) => encodeEpb(b, { interfaceId: 2, timestamp: 2 ** 40 + 3, data: Uint8Array.of(9, 8, 7) }));
    const c = bytesOf((b) => encodeEpb(b, { interfaceId: 2, timestamp: 2n ** 40n + 3n, data: [Uint8Array.of(9), Uint8Array.of(8, 7)] }));
    assert.equal(a, c);
    assert.equal(a, hex('06000000 24000000 02000000 00010000 03000000 03000000 03000000 090807 00 24000000'));
  });

  it('encodes a custom option as code 2989, length incl. the PEN, PEN, data, padding', () => {
    const got = bytesOf((b) => encodeEpb(b, { interfaceId: 0, timestamp: 0, data: new Uint8Array(0), custom: [{ pen: 32473, data: Uint8Array.of(0xaa) }] }));
    assert.equal(got, hex('06000000 30000000 00000000 00000000 00000000 00000000 00000000 | ad0b 0500 d97e0000 aa000000 | 00000000 | 30000000'));
  });

  it('splits u64 values into high and low halves and rejects negatives', () => {
    assert.deepEqual(splitU64(0x1234_5678_9abcn), [0x1234, 0x5678_9abc]);
    assert.deepEqual(splitU64(2 ** 52 + 1), [2 ** 20, 1]);
    assert.throws(() => splitU64(-1), RangeError);
  });
});
