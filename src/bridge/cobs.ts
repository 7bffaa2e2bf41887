/**
 * COBS (Consistent Overhead Byte Stuffing) for the bridge stream: a packet is stuffed so it holds
 * no 0x00, then sent followed by one 0x00 delimiter. A reader that lands in the middle of a packet
 * (garbage, a reconnect, a bridge reset) resyncs by skipping to the next 0x00.
 *
 * `cobsEncode(packet)` -> stuffed bytes (no delimiter); overhead is 1 byte per 254 plus 1.
 * `cobsDecode(stuffed)` -> the packet, or null when the bytes are not valid COBS (a code byte that
 * points past the end, or a 0x00 inside).
 *
 * Example: cobsEncode([0x11, 0x00, 0x22]) -> [0x02, 0x11, 0x02, 0x22]
 */

/** Largest stuffed size for a packet of `n` bytes. */
export function cobsMaxEncoded(n: number): number {
  return n + Math.floor(n / 254) + 1;
}

/** Stuffs `src` into `dst` at `at`; returns the index after the last byte written. */
export function cobsEncodeInto(src: Uint8Array, dst: Uint8Array, at: number): number {
  let codeAt = at;
  let out = at + 1;
  let code = 1;
  for (let i = 0; i < src.length; i++) {
    const b = src[i];
    if (b === 0) {
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
      continue;
    }
    dst[out++] = b;
    if (++code === 0xff) {
      dst[codeAt] = code;
      codeAt = out++;
      code = 1;
    }
  }
  dst[codeAt] = code;
  return out;
}

export function cobsEncode(src: Uint8Array): Uint8Array {
  const dst = new Uint8Array(cobsMaxEncoded(src.length));
  return dst.subarray(0, cobsEncodeInto(src, dst, 0));
}

export function cobsDecode(src: Uint8Array): Uint8Array | null {
  const dst = new Uint8Array(src.length);
  let out = 0;
  let i = 0;
  while (i < src.length) {
    const code = src[i++];
    if (code === 0) return null;
    const end = i + code - 1;
    if (end > src.length) return null;
    for (; i < end; i++) {
      const b = src[i];
      if (b === 0) return null;
      dst[out++] = b;
    }
    // A group shorter than 254 data bytes stands for a 0x00, except at the very end.
    if (code !== 0xff && i < src.length) dst[out++] = 0;
  }
  return dst.subarray(0, out);
}
