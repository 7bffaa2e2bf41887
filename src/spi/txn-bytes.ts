/**
 * The MOSI and MISO bytes of the transaction being decoded: a pair of growable buffers.
 *
 * `store(mosiWord, misoWord)` appends one word to each direction as `bytesPerWord` big-endian bytes
 * (wordBits 1..8: one byte; 16: two; up to 32: four); `storeBytes` takes wider words already packed. `take()` copies out what is stored; `clear()`
 * starts the next transaction. Example: wordBits 16, store(0x1234, 0xabcd) -> mosi [12 34], miso [ab cd].
 */
export class TxnBytes {
  private mosi = new Uint8Array(256);
  private miso = new Uint8Array(256);
  /** Bytes stored per direction. */
  length = 0;

  constructor(readonly bytesPerWord: number) {}

  store(mosiWord: number, misoWord: number): void {
    const n = this.bytesPerWord;
    if (this.length + n > this.mosi.length) this.grow();
    for (let k = n - 1; k >= 0; k--) {
      this.mosi[this.length] = mosiWord >>> (8 * k);
      this.miso[this.length] = misoWord >>> (8 * k);
      this.length++;
    }
  }

  /** Appends one word each way given as `bytesPerWord` bytes (wide words, realigned words). */
  storeBytes(mosi: Uint8Array, miso: Uint8Array): void {
    const n = this.bytesPerWord;
    if (this.length + n > this.mosi.length) this.grow();
    this.mosi.set(mosi.subarray(0, n), this.length);
    this.miso.set(miso.subarray(0, n), this.length);
    this.length += n;
  }

  take(): { mosi: Uint8Array; miso: Uint8Array } {
    return { mosi: this.mosi.slice(0, this.length), miso: this.miso.slice(0, this.length) };
  }

  clear(): void {
    this.length = 0;
  }

  private grow(): void {
    const size = Math.max(this.mosi.length * 2, this.length + this.bytesPerWord);
    const mo = new Uint8Array(size);
    const mi = new Uint8Array(size);
    mo.set(this.mosi);
    mi.set(this.miso);
    this.mosi = mo;
    this.miso = mi;
  }
}
