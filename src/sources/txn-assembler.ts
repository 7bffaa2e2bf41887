/**
 * Groups per-byte rows of an SPI analyzer export into SpiTransactions.
 *
 * Feed rows in time order: `enable(t)`, `result(t, dur, mosi, miso)`, `disable(t)`, `cut(t)` (a new
 * packet id in the legacy form). Completed transactions collect in `out` (the caller drains it).
 * Without enable rows (Saleae's "no enable channel" mode), a transaction ends when the gap from the
 * end of one byte to the start of the next exceeds `gapNs` (default: 4 byte-durations when rows carry
 * a duration, else 10 us). A result outside any enable/disable pair opens a transaction of its own.
 *
 * Example: enable(0) result(100, 800, 0xA5, 0x5A) disable(1000) ->
 * { index: 0, startNs: 0, endNs: 1000, mosi: [0xA5], miso: [0x5A] }.
 */
import type { SpiTransaction } from '../spi/types.ts';

export const DEFAULT_GAP_NS = 10_000;

export class TxnAssembler {
  readonly out: SpiTransaction[] = [];
  private index = 0;
  private open = false;
  private explicit = false; // the open transaction began with an enable row
  private sawEnable = false;
  private start = 0;
  private end = 0;
  private mosi: number[] = [];
  private miso: number[] = [];

  constructor(private readonly gapNs?: number) {}

  enable(t: number): void {
    if (this.open) this.close(t);
    this.sawEnable = true;
    this.begin(t, true);
  }

  /** `byGap` false: the caller groups rows itself (legacy packet ids). */
  result(t: number, dur: number, mosi: number, miso: number, byGap = true): void {
    if (this.open && !this.sawEnable && byGap) {
      const gap = this.gapNs ?? (dur > 0 ? 4 * dur : DEFAULT_GAP_NS);
      if (t - this.end > gap) this.close(this.end);
    }
    if (!this.open) this.begin(t, false);
    this.mosi.push(mosi);
    this.miso.push(miso);
    this.end = Math.max(this.end, t + Math.max(dur, 0));
  }

  disable(t: number): void {
    if (this.open) this.close(Math.max(t, this.end));
  }

  /** Ends the open transaction (legacy export: the packet id changed). */
  cut(): void {
    if (this.open) this.close(this.end);
  }

  finish(): void {
    if (this.open) this.close(this.end);
  }

  private begin(t: number, explicit: boolean): void {
    this.open = true;
    this.explicit = explicit;
    this.start = t;
    this.end = t;
    this.mosi = [];
    this.miso = [];
  }

  private close(endNs: number): void {
    this.open = false;
    // An enable with no bytes before its disable is still a (empty) transaction: CS toggled.
    if (this.mosi.length === 0 && !this.explicit) return;
    this.out.push({
      index: this.index++,
      startNs: this.start,
      endNs,
      mosi: Uint8Array.from(this.mosi),
      miso: Uint8Array.from(this.miso),
    });
  }
}
