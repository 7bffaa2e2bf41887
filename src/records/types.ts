/**
 * The record model: what the link stage emits and every sink (pcapng, TUI, JSON, replay) consumes.
 * One file, so a new record kind is added in one place. Every record has a span in ns from capture
 * start; records tied to an SPI transaction carry its index.
 *
 * Example (JSON form, see json.ts):
 *   {"kind":"frame","startNs":1200,"endNs":9800,"txn":3,"dir":"buddy-to-cpu","channel":1,"seq":2,
 *    "ack":1,"flags":4,"credit":8,"epoch":77,"payload":"83...","decoded":{"kind":"control","msg":{...}}}
 */
import type { DecodedMessage } from '../protocol/message.ts';

export type Direction = 'cpu-to-buddy' | 'buddy-to-cpu';
export type LineName = 'ready' | 'irq' | 'reset' | 'cs';

export interface Span {
  readonly startNs: number;
  readonly endNs: number;
}

/** A raw SPI transaction: the layer replay needs to reproduce a capture bit for bit. */
export interface TxnRecord extends Span {
  readonly kind: 'txn';
  readonly txn: number;
  readonly mosi: Uint8Array;
  readonly miso: Uint8Array;
  readonly partialBits?: number;
  /** Word width when it is not 8 bits: each word is ceil(wordBits / 8) big-endian bytes. */
  readonly wordBits?: number;
}

/** A level change on a side-band line. */
export interface LineRecord extends Span {
  readonly kind: 'line';
  readonly line: LineName;
  readonly level: 0 | 1;
  /** What the link protocol calls the line, when it is not the role's name (esp-hosted: handshake). */
  readonly label?: string;
}

export type DecodedPayload = DecodedMessage;

/** One link frame that passed its CRCs (idle frames included: they carry seq, ack, credit, epoch). */
export interface FrameRecord extends Span {
  readonly kind: 'frame';
  readonly txn: number;
  readonly dir: Direction;
  readonly channel: number;
  readonly flags: number;
  readonly seq: number;
  readonly ack: number;
  readonly credit: number;
  readonly epoch: number;
  readonly payload: Uint8Array;
  /** On the frame that completes a message: how many frames it took (1 when not fragmented). */
  readonly fragments?: number;
  /** The complete message (reassembled when fragmented), on the frame that completes it. */
  readonly message?: Uint8Array;
  /** Control or trace message decoded from `message`. */
  readonly decoded?: DecodedPayload;
}

/** The layer of a link-protocol record: a frame as on the wire, a reassembled message, an idle direction. */
export type LinkLayer = 'frame' | 'message' | 'idle';

/**
 * A record of a link protocol other than the buddy link (the buddy link's own are FrameRecords):
 * the protocol-neutral envelope every sink routes by (span, transaction, direction, layer, protocol,
 * and a channel label to count and colour it by), and the protocol's own typed fields, which only
 * that protocol's module (src/link/<protocol>/, found through src/link/registry.ts) reads.
 */
export interface LinkRecord extends Span {
  readonly kind: 'link';
  /** The protocol family, as registered: 'esp-hosted'. */
  readonly protocol: string;
  /** The family member that decoded it: 'fg', 'ng', 'mcu'. */
  readonly variant: string;
  readonly layer: LinkLayer;
  readonly txn: number;
  readonly dir: Direction;
  /** What it carries, for counts and filters: 'ethernet', 'control', 'hci', 'idle', ... */
  readonly channel: string;
  /** It carries a whole message (a frame that is one, or a reassembled one), not a fragment or idle. */
  readonly whole: boolean;
  readonly fields: object;
}

export const ANOMALY_CODES = [
  // SPI stage
  'cs-glitch', 'mid-transaction-start', 'partial-word', 'clock-outside-cs', 'truncated-capture',
  // link stage: frame checks
  'bad-sync', 'bad-version', 'header-crc', 'payload-crc', 'oversized', 'truncated', 'reserved-flags',
  // link stage: stream checks
  'lost-frames', 'repeat-frame', 'buddy-reset', 'stale-epoch', 'fragment-abandoned',
  'bad-cbor', 'schema', 'unknown-message', 'credit-overrun', 'no-link-frames',
  // sources and live capture
  'capture-gap', 'source-error', 'stream-resync', 'bridge-reset',
  // tallies a source kept (one record with the count): values read as 0, analyzer error rows, bridge packets with a bad CRC
  'unknown-values', 'analyzer-errors', 'bad-packets',
] as const;
/**
 * The codes of the SPI stage, the buddy link, sources and live capture, plus whatever a registered
 * link protocol reports (esp-hosted's `checksum-mismatch`...): kebab-case text, so readers of JSON and
 * pcapng take a code they do not know yet (ANOMALY_CODE_PATTERN).
 */
export type CoreAnomalyCode = (typeof ANOMALY_CODES)[number];
export type AnomalyCode = CoreAnomalyCode | (string & {});
export const ANOMALY_CODE_PATTERN = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface AnomalyRecord extends Span {
  readonly kind: 'anomaly';
  readonly code: AnomalyCode;
  readonly detail: string;
  readonly txn?: number;
  readonly dir?: Direction;
  /** Byte offset in the transaction's direction, when the fault has one. */
  readonly offset?: number;
  /** For lost-frames: how many. */
  readonly count?: number;
}

export type BuddyRecord = TxnRecord | LineRecord | FrameRecord | AnomalyRecord | LinkRecord;
export type RecordKind = BuddyRecord['kind'];

/** Streams between stages are async iterables of batches; per-record work stays synchronous. */
export type RecordStream = AsyncIterable<readonly BuddyRecord[]>;
