/**
 * Test fixtures built without the code under test: a bitwise CRC-32C (straight from the
 * definition: reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF) and a frame assembler
 * that writes the byte layout of docs/protocol.md with a DataView. Slow on purpose, obvious on purpose.
 */

export function crc32cBitwise(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

export interface RawHeader {
  sync?: number;
  version?: number;
  channel: number;
  flags: number;
  seq: number;
  ack: number;
  /** Defaults to the payload length; set it to lie. */
  length?: number;
  credit: number;
  epoch: number;
}

/** Sync, version, channel, flags, seq, ack, len, credit, epoch, hcrc, payload, crc (if payload). */
export function assembleFrame(h: RawHeader, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const size = 16 + payload.length + (payload.length > 0 ? 4 : 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint8(0, h.sync ?? 0xb5);
  view.setUint8(1, h.version ?? 1);
  view.setUint8(2, h.channel);
  view.setUint8(3, h.flags);
  view.setUint16(4, h.seq, true);
  view.setUint16(6, h.ack, true);
  view.setUint16(8, h.length ?? payload.length, true);
  view.setUint8(10, h.credit);
  view.setUint8(11, h.epoch);
  view.setUint32(12, crc32cBitwise(out.subarray(0, 12)), true);
  if (payload.length > 0) {
    out.set(payload, 16);
    view.setUint32(16 + payload.length, crc32cBitwise(out.subarray(0, 16 + payload.length)), true);
  }
  return out;
}

export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

export function unhex(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'hex'));
}
