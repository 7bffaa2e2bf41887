/**
 * pcapng options (draft-ietf-opsawg-pcapng section 3.5): code u16 | length u16 | value padded to 4
 * bytes (padding not counted in length), the list ended by opt_endofopt (0, 0).
 *
 * Encoding: `OptionWriter` collects options for one block and writes them little endian into a
 * `ByteBuffer`. Decoding: `parseOptions` walks an option area in either byte order and hands back
 * the raw values; it throws `SourceError` when an option runs past its block (structural damage),
 * never for an unknown option code (skipped by the caller).
 *
 * Example: new OptionWriter().text(OPT_COMMENT, 'hi').size  // 4 + 4 ('hi' padded) + 4 (end) = 12
 */
import { SourceError } from '../sources/errors.ts';
import type { ByteBuffer } from './bytes.ts';

export const OPT_ENDOFOPT = 0;
export const OPT_COMMENT = 1;
/** Custom option, binary, may be copied by tools that rewrite the file (tshark -w keeps it). */
export const OPT_CUSTOM_BINARY_COPY = 2989;
export const OPT_CUSTOM_BINARY_NOCOPY = 19373;

/**
 * `n` rounded up to a multiple of 4. In plain arithmetic, not bitwise: a length read from a file is
 * a u32, and `(n + 3) & ~3` turns one of 2^31 or more negative, which slips past bounds checks.
 */
export function pad4(n: number): number {
  const rest = n % 4;
  return rest === 0 ? n : n + 4 - rest;
}

export interface CustomOption {
  /** IANA Private Enterprise Number the data belongs to. */
  readonly pen: number;
  readonly data: Uint8Array;
}

type Pending =
  | { readonly code: number; readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly code: number; readonly kind: 'u32'; readonly value: number }
  | { readonly code: number; readonly kind: 'u64'; readonly value: bigint }
  | { readonly code: number; readonly kind: 'custom'; readonly pen: number; readonly value: Uint8Array };

/** Collects the options of one block; `size` includes opt_endofopt (0 when there are no options). */
export class OptionWriter {
  private readonly list: Pending[] = [];
  private bytes = 0;

  text(code: number, value: string | undefined): this {
    if (value === undefined) return this;
    return this.raw(code, Buffer.from(value, 'utf8'));
  }
  raw(code: number, value: Uint8Array): this {
    if (value.length > 0xffff) throw new RangeError(`option ${code} of ${value.length} bytes exceeds 65535`);
    this.list.push({ code, kind: 'bytes', value });
    this.bytes += 4 + pad4(value.length);
    return this;
  }
  u8(code: number, value: number): this {
    return this.raw(code, Uint8Array.of(value));
  }
  u32(code: number, value: number): this {
    this.list.push({ code, kind: 'u32', value });
    this.bytes += 8;
    return this;
  }
  u64(code: number, value: bigint): this {
    this.list.push({ code, kind: 'u64', value: BigInt.asUintN(64, value) });
    this.bytes += 12;
    return this;
  }
  custom(option: CustomOption, code = OPT_CUSTOM_BINARY_COPY): this {
    if (option.data.length + 4 > 0xffff) throw new RangeError(`custom option of ${option.data.length} bytes exceeds 65531`);
    this.list.push({ code, kind: 'custom', pen: option.pen, value: option.data });
    this.bytes += 4 + pad4(4 + option.data.length);
    return this;
  }

  get size(): number {
    return this.list.length === 0 ? 0 : this.bytes + 4;
  }

  writeTo(out: ByteBuffer): void {
    if (this.list.length === 0) return;
    for (const o of this.list) {
      switch (o.kind) {
        case 'bytes':
          out.u16(o.code).u16(o.value.length).bytes(o.value).pad(o.value.length);
          break;
        case 'u32':
          out.u16(o.code).u16(4).u32(o.value);
          break;
        case 'u64':
          out.u16(o.code).u16(8).u64(o.value);
          break;
        case 'custom':
          out.u16(o.code).u16(4 + o.value.length).u32(o.pen).bytes(o.value).pad(o.value.length);
          break;
      }
    }
    out.u32(0);
  }
}

export interface RawOption {
  readonly code: number;
  /** The value without padding; a view into the block's bytes. */
  readonly value: Buffer;
}

/**
 * Walks the options between `start` and `end` of `buf`. `fileOffset` is the file position of
 * `buf[0]`, for error messages. A missing opt_endofopt at the very end of the area is tolerated
 * (several writers omit it).
 */
export function parseOptions(buf: Buffer, start: number, end: number, le: boolean, source: string, fileOffset: number): RawOption[] {
  const out: RawOption[] = [];
  let at = start;
  while (at < end) {
    if (end - at < 4) throw new SourceError(source, `byte ${fileOffset + at}`, `option header cut by the end of its block`);
    const code = le ? buf.readUInt16LE(at) : buf.readUInt16BE(at);
    const len = le ? buf.readUInt16LE(at + 2) : buf.readUInt16BE(at + 2);
    if (code === OPT_ENDOFOPT) break;
    if (at + 4 + len > end) {
      throw new SourceError(source, `byte ${fileOffset + at}`, `option ${code} of ${len} bytes runs past the end of its block`);
    }
    out.push({ code, value: buf.subarray(at + 4, at + 4 + len) });
    at += 4 + pad4(len);
  }
  return out;
}
