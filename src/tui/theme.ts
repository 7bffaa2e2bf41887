/**
 * The viewer's theme: one colour and one short label per lane (the same colours as `decode`'s
 * table), and the styles of the selection, the highlighted hex field and the panes' chrome.
 */
import type { Lane } from '../records/describe.ts';

/** Ink colour names. */
export type Colour = 'cyan' | 'green' | 'magenta' | 'blue' | 'yellow' | 'gray' | 'red' | 'white';

export interface Theme {
  readonly lane: Readonly<Record<Lane, Colour>>;
  readonly label: Readonly<Record<Lane, string>>;
  readonly signal: Colour;
  readonly header: Colour;
  readonly focusBorder: Colour;
  readonly border: Colour;
  readonly marker: Colour;
}

export const theme: Theme = {
  lane: { control: 'cyan', ethernet: 'green', trace: 'magenta', ble: 'blue', reserved: 'yellow', idle: 'gray', line: 'yellow', anomaly: 'red', txn: 'gray' },
  label: { control: 'CTRL', ethernet: 'ETH', trace: 'TRACE', ble: 'BLE', reserved: 'RSVD', idle: 'IDLE', line: 'LINE', anomaly: 'ANOM', txn: 'SPI' },
  signal: 'white',
  header: 'white',
  focusBorder: 'cyan',
  border: 'gray',
  marker: 'yellow',
};
