/**
 * buddyshark's pcapng interfaces: one IDB per record kind, all written up front in this order, so
 * interface ids are fixed (0 eth, 1 link, 2 ble, 3 spi, 4 events). A reader recognises them by
 * if_name and link type, never by id. See docs/pcapng.md for what each packet holds.
 *
 * Also the exported-PDU (LINKTYPE_WIRESHARK_UPPER_PDU) TLV header: big-endian tag u16, length u16,
 * value padded with NULs to 4 bytes (as Wireshark writes them). Tags used: 12 dissector name,
 * 33 protocol column text, 35 P2P direction (i32: 0 sent by the CPU, 1 received by it), 0 end.
 *
 * Example: upperPduHeader('buddylink', 'BUDDY', 1)  // 12-tag, 33-tag, 35-tag, end tag: 36 bytes
 */
import { pad4 } from './options.ts';
import type { IdbBlock } from './reader.ts';

export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_USER0 = 147;
export const LINKTYPE_BLUETOOTH_HCI_H4_WITH_PHDR = 201;
export const LINKTYPE_WIRESHARK_UPPER_PDU = 252;

/**
 * Private Enterprise Number of buddyshark's custom options: 32473 is IANA's example PEN for
 * documentation (RFC 5612), used until the project registers its own.
 */
export const BUDDY_PEN = 32473;

export const DISSECTOR_LINK = 'buddylink';
export const DISSECTOR_EVENT = 'buddyevent';
export const PROTOCOL_COLUMN = 'BUDDY';

export type InterfaceKey = 'eth' | 'link' | 'ble' | 'spi' | 'events';

export interface BuddyInterface {
  readonly key: InterfaceKey;
  readonly name: string;
  readonly linkType: number;
  readonly description: string;
}

export const BUDDY_INTERFACES: readonly BuddyInterface[] = [
  { key: 'eth', name: 'buddy-eth', linkType: LINKTYPE_ETHERNET, description: 'WiFi buddy link, channel 2: Ethernet frames' },
  { key: 'link', name: 'buddy-link', linkType: LINKTYPE_WIRESHARK_UPPER_PDU, description: 'WiFi buddy link frames as on the wire (control, trace, idle, fragments)' },
  { key: 'ble', name: 'buddy-ble', linkType: LINKTYPE_BLUETOOTH_HCI_H4_WITH_PHDR, description: 'WiFi buddy link, channel 4: BLE HCI (H4)' },
  { key: 'spi', name: 'buddy-spi', linkType: LINKTYPE_USER0, description: 'WiFi buddy raw SPI transactions and side-band lines' },
  { key: 'events', name: 'buddy-events', linkType: LINKTYPE_WIRESHARK_UPPER_PDU, description: 'buddyshark anomalies' },
];

/** Which of our interfaces an IDB is, or undefined for a foreign one. */
export function interfaceKeyOf(idb: IdbBlock): InterfaceKey | undefined {
  for (const i of BUDDY_INTERFACES) if (i.name === idb.name && i.linkType === idb.linkType) return i.key;
  return undefined;
}

const TAG_END = 0;
const TAG_DISSECTOR_NAME = 12;
const TAG_COL_PROTOCOL = 33;
const TAG_P2P_DIRECTION = 35;

function tlvText(tag: number, text: string): Buffer {
  const value = Buffer.from(text, 'latin1');
  const padded = pad4(value.length);
  const out = Buffer.alloc(4 + padded);
  out.writeUInt16BE(tag, 0);
  out.writeUInt16BE(padded, 2);
  value.copy(out, 4);
  return out;
}

/** The TLV header of an exported PDU; `dir` 0 = sent (CPU to buddy), 1 = received. */
export function upperPduHeader(dissector: string, protocol: string, dir?: 0 | 1): Uint8Array {
  const parts = [tlvText(TAG_DISSECTOR_NAME, dissector), tlvText(TAG_COL_PROTOCOL, protocol)];
  if (dir !== undefined) {
    const d = Buffer.alloc(8);
    d.writeUInt16BE(TAG_P2P_DIRECTION, 0);
    d.writeUInt16BE(4, 2);
    d.writeInt32BE(dir, 4);
    parts.push(d);
  }
  parts.push(Buffer.alloc(4)); // end tag 0, length 0
  return new Uint8Array(Buffer.concat(parts));
}

/** Headers are constant per (dissector, direction): built once. Index: 0 sent, 1 received, 2 none. */
export function upperPduHeaders(dissector: string, column = PROTOCOL_COLUMN): readonly [Uint8Array, Uint8Array, Uint8Array] {
  return [upperPduHeader(dissector, column, 0), upperPduHeader(dissector, column, 1), upperPduHeader(dissector, column)];
}

export interface UpperPdu {
  readonly dissector?: string;
  readonly protocol?: string;
  readonly dir?: number;
  /** Offset of the PDU after the end tag. */
  readonly body: number;
}

/** Parses the TLV header; null when it runs past the data (no end tag). */
export function parseUpperPdu(data: Uint8Array): UpperPdu | null {
  const b = data;
  let at = 0;
  let dissector: string | undefined, protocol: string | undefined, dir: number | undefined;
  while (at + 4 <= b.length) {
    const tag = (b[at] << 8) | b[at + 1];
    const len = (b[at + 2] << 8) | b[at + 3];
    at += 4;
    if (tag === TAG_END) return { dissector, protocol, dir, body: at + len };
    if (at + len > b.length) return null;
    if (tag === TAG_DISSECTOR_NAME) dissector = zText(b, at, at + len);
    else if (tag === TAG_COL_PROTOCOL) protocol = zText(b, at, at + len);
    else if (tag === TAG_P2P_DIRECTION && len === 4) dir = (b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3];
    at += len;
  }
  return null;
}

/** A NUL-padded Latin-1 string. */
function zText(b: Uint8Array, from: number, to: number): string {
  let s = '';
  for (let i = from; i < to && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
  return s;
}
