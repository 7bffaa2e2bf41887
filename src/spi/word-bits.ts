/**
 * Bits of one data line, in clock order, and their packing into words. The decoder's hot path
 * shifts words into 32-bit integers; this is the general path: words wider than 32 bits, and the
 * first transaction of a capture, whose word alignment is only known when CS releases (see
 * decoder.ts), so its bits are kept until then.
 *
 * A word's value follows sigrok's SPI decoder: with MSB first the first bit clocked is the top bit;
 * with LSB first it is bit 0. The value is stored big-endian in ceil(wordBits / 8) bytes, as sigrok's
 * binary output does (`-B spi=mosi`). Example: wordBits 9, MSB first, bits 1 0 0 0 0 0 0 0 1
 * -> value 0x101 -> bytes [01 01].
 */
export class BitLog {
  private bits = new Uint8Array(256);
  length = 0;

  push(bit: number): void {
    if (this.length === this.bits.length) {
      const grown = new Uint8Array(this.bits.length * 2);
      grown.set(this.bits);
      this.bits = grown;
    }
    this.bits[this.length++] = bit;
  }

  at(k: number): number {
    return this.bits[k];
  }

  clear(): void {
    this.length = 0;
  }
}

/** Packs `wordBits` bits of `log` from `from` into `out` (ceil(wordBits / 8) bytes, big-endian value). */
export function packWord(log: BitLog, from: number, wordBits: number, msb: boolean, out: Uint8Array, at: number): void {
  const bytes = Math.ceil(wordBits / 8);
  out.fill(0, at, at + bytes);
  for (let i = 0; i < wordBits; i++) {
    if (log.at(from + i) === 0) continue;
    const p = msb ? wordBits - 1 - i : i; // bit position in the word's value
    out[at + bytes - 1 - (p >> 3)] |= 1 << (p & 7);
  }
}

/** The first `n` bits from `from`, as clocked, e.g. "101". */
export function bitText(log: BitLog, from: number, n: number): string {
  let s = '';
  for (let k = 0; k < n; k++) s += log.at(from + k);
  return s;
}
