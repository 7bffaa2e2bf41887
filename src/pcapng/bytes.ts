/**
 * A growable little-endian byte buffer for building blocks in batches: one allocation serves many
 * blocks, so a batch of packets becomes one `write` call. No bounds checks beyond `ensure`: block
 * encoders compute their size first and reserve it in one go.
 *
 * Example: const b = new ByteBuffer(); b.ensure(8); b.u32(6).u32(32); b.view() // 8 bytes
 */
export class ByteBuffer {
  buf: Buffer;
  pos = 0;
  /** Writes go through a DataView: Buffer's writeUInt32LE and friends range-check every call. */
  private dv: DataView;

  constructor(initial = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(initial);
    this.dv = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }

  /** Makes room for `n` more bytes. */
  ensure(n: number): this {
    const need = this.pos + n;
    if (need > this.buf.length) {
      let size = this.buf.length * 2;
      while (size < need) size *= 2;
      const next = Buffer.allocUnsafe(size);
      this.buf.copy(next, 0, 0, this.pos);
      this.buf = next;
      this.dv = new DataView(next.buffer, next.byteOffset, next.byteLength);
    }
    return this;
  }

  u8(v: number): this {
    this.buf[this.pos++] = v;
    return this;
  }
  u16(v: number): this {
    this.dv.setUint16(this.pos, v, true);
    this.pos += 2;
    return this;
  }
  u32(v: number): this {
    this.dv.setUint32(this.pos, v, true);
    this.pos += 4;
    return this;
  }
  /** A u64 from a BigInt or a non-negative safe integer, as low then high u32 (little endian). */
  u64(v: bigint | number): this {
    const [hi, lo] = splitU64(v);
    return this.u32(lo).u32(hi);
  }
  f64(v: number): this {
    this.dv.setFloat64(this.pos, v, true);
    this.pos += 8;
    return this;
  }
  bytes(b: Uint8Array): this {
    const n = b.length;
    if (n < 16) {
      // TypedArray#set has a fixed cost that dominates for a handful of bytes.
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < n; i++) buf[p++] = b[i];
    } else this.buf.set(b, this.pos);
    this.pos += n;
    return this;
  }
  /** Zero padding after a field of `len` bytes, up to the next multiple of 4. */
  pad(len: number): this {
    const n = (4 - (len & 3)) & 3;
    for (let i = 0; i < n; i++) this.buf[this.pos++] = 0;
    return this;
  }

  /** The bytes written so far (a view: copy it before the next `reset` if it must outlive it). */
  view(): Buffer {
    return this.buf.subarray(0, this.pos);
  }
  reset(): void {
    this.pos = 0;
  }
}

const TWO32 = 0x1_0000_0000;

/** Splits a u64 into [high, low] u32 halves. Numbers must be non-negative integers (exact below 2^53). */
export function splitU64(v: bigint | number): [number, number] {
  if (typeof v === 'bigint') {
    const u = BigInt.asUintN(64, v);
    return [Number(u >> 32n), Number(u & 0xffff_ffffn)];
  }
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`u64 value ${v} is not a non-negative integer`);
  const hi = Math.floor(v / TWO32);
  return [hi, v - hi * TWO32];
}
