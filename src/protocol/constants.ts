/**
 * Wire constants of the buddy link, protocol version 1.
 * docs/protocol.md is the normative text; every number here is named there.
 */

/** First byte of every frame. Not 0x00 or 0xFF: an idle or floating MISO reads as one of those. */
export const SYNC = 0xb5;
export const PROTOCOL_VERSION = 1;

/** Header: 12 bytes of fields, then a CRC-32C over those 12 bytes. */
export const HEADER_FIELDS_SIZE = 12;
export const HEADER_SIZE = 16;
/** Trailer: CRC-32C over header and payload; present only when the payload is not empty. */
export const TRAILER_SIZE = 4;

/** Largest payload one frame may carry: a 1514-byte Ethernet frame, VLAN tag and headroom. */
export const MAX_PAYLOAD = 1536;
/** Largest message reassembled from fragments (control and trace). */
export const MAX_MESSAGE = 16384;

export const SEQ_MODULO = 0x10000;

/** Channel numbers. Values not listed are reserved: decoders keep such frames raw. */
export const Channel = {
  link: 0,
  control: 1,
  ethernet: 2,
  trace: 3,
  bleHci: 4,
} as const;
export type ChannelName = keyof typeof Channel;
export const CHANNEL_NAMES: Readonly<Record<number, ChannelName>> = {
  0: 'link',
  1: 'control',
  2: 'ethernet',
  3: 'trace',
  4: 'bleHci',
};
export function channelName(channel: number): string {
  return CHANNEL_NAMES[channel] ?? `reserved-${channel}`;
}
/** Channels whose frames consume flow-control credit (bulk data). Control and trace never do. */
export function isCreditedChannel(channel: number): boolean {
  return channel === Channel.ethernet || channel === Channel.bleHci;
}

export const Flag = {
  /** More fragments of this message follow in the next frame of this direction. */
  more: 0x01,
  /** The sender has further frames queued after this one (matters in IRQ-only mode). */
  pending: 0x02,
  /** The ack field holds the sequence number of the last frame received intact. */
  ackValid: 0x04,
  /**
   * This frame continues a message begun in an earlier frame (every fragment but the first). With
   * it a receiver that lost the first fragment knows the rest are not a message of their own.
   */
  cont: 0x08,
} as const;
export const FLAGS_RESERVED_MASK = 0xf0;

/** Signal timing (docs/protocol.md, "Signals and timing"). Nanoseconds. */
export const Timing = {
  /** The buddy lowers READY at most this long after CS is released. */
  readyFallMaxNs: 5_000,
  /** IRQ-only mode: the buddy is re-armed at most this long after CS is released. */
  armMaxNs: 200_000,
  /** RESET pulse the CPU drives low, at least. */
  resetPulseMinNs: 100_000,
  /** CS asserted to first SCK edge, and last SCK edge to CS release, at least. */
  csSetupNs: 100,
  csHoldNs: 100,
  /** Heartbeat period of an idle buddy; the CPU declares it dead after `livenessTimeoutNs` of silence. */
  heartbeatNs: 1_000_000_000,
  livenessTimeoutNs: 3_500_000_000,
  /** Default request timeout in the CPU driver (scan and connect take longer: see the catalogue). */
  requestTimeoutNs: 500_000_000,
} as const;
