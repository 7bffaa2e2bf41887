/**
 * The records the esp-hosted decoder emits. A protocol-neutral envelope (kind, protocol, variant,
 * span, txn, dir) that the link seam can route without knowing esp-hosted, plus typed fields.
 * `dir` follows src/records/types.ts: host->ESP is 'cpu-to-buddy', ESP->host 'buddy-to-cpu'.
 *
 *   frame    one non-idle direction of a transaction: header fields, payload, and the decoded
 *            content when the frame is a whole message (no MORE_FRAGMENT chain)
 *   message  a message reassembled from MORE_FRAGMENT fragments, with its decoded content
 *   idle     a direction with len = 0 (the ESP's dummy buffer, or the host's empty header)
 *   line     a handshake or data-ready edge (a timeline event; startNs = endNs)
 *   anomaly  a fault of the link, with a kebab-case code from ESP_ANOMALY_CODES
 */
import type { Direction, Span } from '../../records/types.ts';
import type { ControlMessage } from './control.ts';
import type { InitInfo } from './init-event.ts';
import type { NgCommand } from './ng-command.ts';
import type { InterfaceKind, VariantId } from './variants.ts';

export type EspLine = 'handshake' | 'data-ready';

interface Envelope extends Span {
  readonly protocol: 'esp-hosted';
  readonly variant: VariantId;
  readonly txn?: number;
  readonly dir?: Direction;
}

/** 'unused': the field is 0 and the ESP's INIT did not announce checksums (CONFIG_ESP_SPI_CHECKSUM off). */
export type ChecksumState = 'ok' | 'bad' | 'unused';

export interface EspHeader {
  readonly ifType: number;
  readonly ifNum: number;
  readonly iface: InterfaceKind | 'unknown';
  readonly flags: number;
  readonly len: number;
  readonly offset: number;
  readonly checksum: number;
  readonly computedChecksum: number;
  readonly checksumState: ChecksumState;
  /** FG, MCU. */
  readonly seq?: number;
  /** NG. */
  readonly packetType?: number;
  /** MCU. */
  readonly throttle?: number;
  /** The last header byte: hci_pkt_type on HCI, priv_pkt_type on the private interface. */
  readonly pktType: number;
}

export type EspContent =
  | { readonly kind: 'ethernet'; readonly frame: Uint8Array }
  | { readonly kind: 'hci'; readonly packetType: number; readonly packet: Uint8Array }
  | { readonly kind: 'control'; readonly control: ControlMessage }
  | { readonly kind: 'ng-command'; readonly command: NgCommand }
  | { readonly kind: 'init'; readonly init: InitInfo }
  | { readonly kind: 'raw'; readonly bytes: Uint8Array };

/** How a control message pairs with its request or response (`reqNo` counts requests from 1). */
export interface RequestLink {
  readonly reqNo: number;
  readonly role: 'request' | 'response';
  /** On a response: the transaction that carried its request. */
  readonly requestTxn?: number;
}

export interface EspFrameRecord extends Envelope {
  readonly kind: 'frame';
  readonly txn: number;
  readonly dir: Direction;
  readonly header: EspHeader;
  readonly payload: Uint8Array;
  /** Header + payload exactly as on the wire (the padding to the transaction size cut). */
  readonly wire: Uint8Array;
  readonly content?: EspContent;
  readonly link?: RequestLink;
}

export interface EspMessageRecord extends Envelope {
  readonly kind: 'message';
  readonly txn: number;
  readonly dir: Direction;
  readonly ifType: number;
  readonly iface: InterfaceKind | 'unknown';
  /** Header byte 11 (HCI/priv packet type) and NG packet_type of the first fragment. */
  readonly pktType: number;
  readonly packetType?: number;
  readonly fragments: number;
  /** Transactions of the fragments, first to last. */
  readonly txns: readonly number[];
  /** When the first fragment started (startNs is the completing fragment's, like the buddy link's message). */
  readonly firstNs: number;
  readonly bytes: Uint8Array;
  readonly content: EspContent;
  readonly link?: RequestLink;
}

export interface EspIdleRecord extends Envelope {
  readonly kind: 'idle';
  readonly txn: number;
  readonly dir: Direction;
  /** 'dummy': the ESP's marker header (if_type MAX/0xF, if_num 0xF); 'zero': an all-zero header. */
  readonly shape: 'dummy' | 'zero' | 'other';
  readonly flags: number;
  readonly throttle?: number;
}

export interface EspLineRecord extends Envelope {
  readonly kind: 'line';
  readonly line: EspLine;
  readonly level: 0 | 1;
}

export const ESP_ANOMALY_CODES = [
  'handshake-low', 'data-ready-no-frame', 'short-transaction', 'checksum-mismatch', 'offset-out-of-range',
  'length-past-buffer', 'unknown-interface', 'fragment-chain-broken', 'sequence-gap', 'esp-reset',
  'bad-control', 'bad-init',
] as const;
export type EspAnomalyCode = (typeof ESP_ANOMALY_CODES)[number];

export interface EspAnomalyRecord extends Envelope {
  readonly kind: 'anomaly';
  readonly code: EspAnomalyCode;
  readonly detail: string;
  /** Byte offset in the transaction's direction, when the fault has one. */
  readonly offset?: number;
  /** sequence-gap: how many frames are missing. */
  readonly count?: number;
}

export type EspRecord = EspFrameRecord | EspMessageRecord | EspIdleRecord | EspLineRecord | EspAnomalyRecord;
