/**
 * The two TLV shapes esp-hosted uses. The private/boot-up events carry u8 tag, u8 length; the
 * serial (control) interface wraps each message in u8 tag, u16 little-endian length. Both parsers
 * stop at the first element that runs past the buffer and say where.
 */
export interface Tlv {
  readonly tag: number;
  /** Offset of the value in the parsed buffer. */
  readonly at: number;
  readonly value: Uint8Array;
}

export type TlvList = { readonly ok: true; readonly items: readonly Tlv[] } | { readonly ok: false; readonly items: readonly Tlv[]; readonly detail: string; readonly offset: number };

export function parseTlvs(b: Uint8Array, lengthBytes: 1 | 2, start = 0, end = b.length): TlvList {
  const items: Tlv[] = [];
  let at = start;
  while (at < end) {
    if (at + 1 + lengthBytes > end) return { ok: false, items, detail: `TLV header at byte ${at} cut short`, offset: at };
    const tag = b[at];
    const len = lengthBytes === 1 ? b[at + 1] : b[at + 1] | (b[at + 2] << 8);
    const v = at + 1 + lengthBytes;
    if (v + len > end) return { ok: false, items, detail: `TLV tag 0x${tag.toString(16)} at byte ${at} says ${len} bytes, ${end - v} left`, offset: at };
    items.push({ tag, at: v, value: b.subarray(v, v + len) });
    at = v + len;
  }
  return { ok: true, items };
}

/** Little-endian unsigned value of up to 4 bytes. */
export function leUint(v: Uint8Array): number {
  let n = 0;
  for (let i = Math.min(v.length, 4) - 1; i >= 0; i--) n = n * 256 + v[i];
  return n;
}
