/**
 * SPI stage types. The stage consumes signal changes and emits, in time order, transactions (one per
 * CS assertion), line edges of READY/IRQ/RESET, and anomalies: nothing is dropped silently.
 */
export interface SpiTransaction {
  /** 0-based index in capture order: pcapng's epb_packetid ties records to it. */
  readonly index: number;
  /** CS assertion and release, ns from capture start. */
  readonly startNs: number;
  readonly endNs: number;
  readonly mosi: Uint8Array;
  readonly miso: Uint8Array;
  /** Bits clocked after the last whole word before CS released (0 when none); not in mosi/miso. */
  readonly partialBits?: number;
}

export interface SpiMode {
  /** Clock idle level. */
  readonly cpol: 0 | 1;
  /** 0: sample on the first (leading) edge, 1: on the second (trailing) edge. */
  readonly cpha: 0 | 1;
  readonly bitOrder: 'msb' | 'lsb';
  readonly csActive: 'low' | 'high';
  readonly wordBits: number;
}

/**
 * Widest word the SPI stage decodes: sigrok sets no bound and 152-bit words are seen on real buses;
 * 256 keeps a partial word's bit count in a byte of the pcapng transaction header.
 */
export const MAX_WORD_BITS = 256;

export const DEFAULT_MODE: SpiMode = { cpol: 0, cpha: 0, bitOrder: 'msb', csActive: 'low', wordBits: 8 };

export function modeNumber(m: SpiMode): number {
  return m.cpol * 2 + m.cpha;
}

/** "mode 1 (CPOL 0, CPHA 1), MSB first, CS active low" (plus the word width when it is not 8). */
export function spiModeText(m: SpiMode): string {
  return `mode ${modeNumber(m)} (CPOL ${m.cpol}, CPHA ${m.cpha}), ${m.bitOrder.toUpperCase()} first, CS active ${m.csActive}` +
    (m.wordBits !== 8 ? `, ${m.wordBits}-bit words` : '');
}
