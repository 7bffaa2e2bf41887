/**
 * The three esp-hosted variants as a sniffer sees them on SPI. All share a 12-byte little-endian
 * payload header in front of the payload, one frame per direction per fixed-size transaction, and a
 * 16-bit byte-sum checksum, but they place and number the fields differently. Sources (repo, path,
 * commit) are listed per fact in docs/esp-hosted.md; nothing here is guessed.
 *
 *   fg   ESP-Hosted-FG (espressif/esp-hosted esp_hosted_fg/): seq_num, control on the serial
 *        interface as TLV + protobuf CtrlMsg, private INIT event, interfaces numbered from 0.
 *   ng   ESP-Hosted-NG (esp_hosted_ng/): packet_type byte instead of seq_num, len/offset/checksum two
 *        bytes later, commands as C structs on STA/AP, boot-up event on the internal interface.
 *   mcu  ESP-Hosted-MCU (espressif/esp-hosted-mcu): FG's layout plus throttle_cmd and power-save
 *        flags, control as TLV + protobuf Rpc, interfaces numbered from 1 (0 is "invalid").
 */
import type { SpiMode } from '../../spi/types.ts';

export const VARIANT_IDS = ['fg', 'ng', 'mcu'] as const;
export type VariantId = (typeof VARIANT_IDS)[number];

/** What an interface type carries, independent of the variant's numbering. */
export type InterfaceKind = 'invalid' | 'sta' | 'ap' | 'serial' | 'hci' | 'priv' | 'internal' | 'test' | 'eth';

/** Byte offsets of the header fields; absent when the variant has no such field. */
export interface HeaderLayout {
  readonly ifByte: 0;
  readonly flags: number;
  readonly len: number;
  readonly offset: number;
  readonly checksum: number;
  readonly seq?: number;
  readonly packetType?: number;
  /** MCU: throttle_cmd in the two low bits of this byte (reserved2 above it). */
  readonly throttle?: number;
  /** hci_pkt_type / priv_pkt_type union: always the header's last byte. */
  readonly pktType: 11;
}

export interface FlagBit {
  readonly bit: number;
  readonly name: string;
}

export interface VariantSpec {
  readonly id: VariantId;
  readonly title: string;
  readonly headerSize: 12;
  readonly layout: HeaderLayout;
  /** Wire if_type (low nibble of byte 0) -> what it carries. */
  readonly interfaces: ReadonlyMap<number, InterfaceKind>;
  /** Byte 0 of the ESP's dummy (idle) transmit buffer: if_type = MAX or 0xF, if_num = 0xF. */
  readonly idleMarker: number;
  readonly flags: readonly FlagBit[];
  /** Valid `offset` values: the header size, plus alignment padding where the variant allows it. */
  readonly offsetMin: number;
  readonly offsetMax: number;
  /** Transaction length in bytes the slave driver queues by default. */
  readonly transactionSize: number;
  /** Default SPI mode of the slave driver, and chips that differ. */
  readonly spiMode: 2 | 3;
  readonly spiModeByChip: Readonly<Record<string, 2 | 3>>;
  /** How control messages travel. */
  readonly control: 'ctrl-msg' | 'rpc' | 'ng-command';
}

export const MORE_FRAGMENT = 0x01;

const FG: VariantSpec = {
  id: 'fg',
  title: 'ESP-Hosted-FG',
  headerSize: 12,
  layout: { ifByte: 0, flags: 1, len: 2, offset: 4, checksum: 6, seq: 8, pktType: 11 },
  interfaces: new Map<number, InterfaceKind>([[0, 'sta'], [1, 'ap'], [2, 'serial'], [3, 'hci'], [4, 'priv'], [5, 'test']]),
  idleMarker: 0xf6,
  flags: [{ bit: MORE_FRAGMENT, name: 'more' }],
  offsetMin: 12,
  offsetMax: 12,
  transactionSize: 1600,
  spiMode: 2,
  spiModeByChip: {},
  control: 'ctrl-msg',
};

const NG: VariantSpec = {
  id: 'ng',
  title: 'ESP-Hosted-NG',
  headerSize: 12,
  layout: { ifByte: 0, flags: 1, packetType: 2, len: 4, offset: 6, checksum: 8, pktType: 11 },
  interfaces: new Map<number, InterfaceKind>([[0, 'sta'], [1, 'ap'], [2, 'hci'], [3, 'internal'], [4, 'test']]),
  idleMarker: 0xff,
  flags: [{ bit: MORE_FRAGMENT, name: 'more' }],
  // NG's interface.h asserts header + alignment padding fit in 16 bytes (ESP_MAX_OFFSET_SIZE).
  offsetMin: 12,
  offsetMax: 16,
  transactionSize: 1600,
  spiMode: 2,
  spiModeByChip: {},
  control: 'ng-command',
};

const MCU: VariantSpec = {
  id: 'mcu',
  title: 'ESP-Hosted-MCU',
  headerSize: 12,
  layout: { ifByte: 0, flags: 1, len: 2, offset: 4, checksum: 6, seq: 8, throttle: 10, pktType: 11 },
  interfaces: new Map<number, InterfaceKind>([
    [0, 'invalid'], [1, 'sta'], [2, 'ap'], [3, 'serial'], [4, 'hci'], [5, 'priv'], [6, 'test'], [7, 'eth'],
  ]),
  idleMarker: 0xf8,
  flags: [
    { bit: MORE_FRAGMENT, name: 'more' },
    { bit: 0x02, name: 'wakeup' },
    { bit: 0x04, name: 'ps-started' },
    { bit: 0x08, name: 'ps-stopped' },
  ],
  // The MCU slave writes 12; the shared V1 header allows up to 7 bytes of alignment padding
  // (EH_FRAME_V1_MAX_OFFSET_WITH_PADDING_BYTES).
  offsetMin: 12,
  offsetMax: 19,
  transactionSize: 1600,
  spiMode: 3,
  spiModeByChip: { esp32: 2 },
  control: 'rpc',
};

export const VARIANTS: Readonly<Record<VariantId, VariantSpec>> = { fg: FG, ng: NG, mcu: MCU };

/** NG's packet_type byte (header byte 2). */
export const NG_PACKET_TYPES: Readonly<Record<number, string>> = {
  0: 'data', 1: 'command-request', 2: 'command-response', 3: 'event', 4: 'eapol',
};

/** MCU's throttle_cmd values (H_FLOW_CTRL_*): the ESP asks the host to pause or resume WiFi TX. */
export const THROTTLE_NAMES: Readonly<Record<number, string>> = { 0: 'none', 1: 'on', 2: 'off', 3: 'reserved' };

/** HCI packet indicator in the header's last byte (H4 types). */
export const HCI_TYPES: Readonly<Record<number, string>> = { 1: 'command', 2: 'acl', 3: 'sco', 4: 'event', 5: 'iso' };

export function interfaceKind(v: VariantSpec, ifType: number): InterfaceKind | undefined {
  return v.interfaces.get(ifType);
}

/** The SPI mode to decode a capture of this variant with (CPOL/CPHA from the mode number). */
export function spiModeOf(v: VariantSpec, chip?: string): SpiMode {
  const n = (chip !== undefined ? v.spiModeByChip[chip.toLowerCase()] : undefined) ?? v.spiMode;
  return { cpol: 1, cpha: n === 3 ? 1 : 0, bitOrder: 'msb', csActive: 'low', wordBits: 8 };
}

export function flagNames(v: VariantSpec, flags: number): string[] {
  return v.flags.filter((f) => (flags & f.bit) !== 0).map((f) => f.name);
}
