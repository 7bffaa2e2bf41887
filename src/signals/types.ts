/**
 * Logic-level signals, as sources yield them and the SPI stage consumes them.
 *
 * A signal stream is a run of *changes*: at `times[i]` (ns from capture start) the channels took the
 * levels in `states[i]` (bit k = channel k). The first change of the first batch is the initial
 * state at the capture's start. Sampled sources (.sr, Saleae binary) turn samples into changes in a
 * tight loop and give their sample period, so the SPI stage can express glitch widths in samples.
 *
 * Example batch: times [0, 50, 100], states [0b1000, 0b1001, 0b1000]: CS (bit 3) high, then SCK
 * (bit 0) pulses high for 50 ns.
 */
export interface SignalInfo {
  /** Channel names as the file names them; index = bit in `states`. */
  readonly channels: readonly string[];
  /** Sampling period for sampled sources; undefined for change-only sources (VCD, Saleae CSV). */
  readonly samplePeriodNs?: number;
  /** Path or label of the source, for error messages. */
  readonly source: string;
}

export interface ChangeBatch {
  readonly times: Float64Array;
  readonly states: Uint32Array;
  /** Entries in use (the arrays may be longer). */
  readonly length: number;
}

/** Standard channel roles on the buddy link; sources map file channel names to these. */
export const ROLES = ['sck', 'mosi', 'miso', 'cs', 'ready', 'irq', 'reset'] as const;
export type Role = (typeof ROLES)[number];
/** SCK is always needed; of the data lines at least one (write-only devices have no MISO). */
export const REQUIRED_ROLES: readonly Role[] = ['sck'];
export const DATA_ROLES: readonly Role[] = ['mosi', 'miso'];

/** Which bit of `states` carries each role; -1 when the capture lacks it. */
export type ChannelMap = Readonly<Record<Role, number>>;
