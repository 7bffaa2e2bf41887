/**
 * The seam between buddyshark and a link protocol. Everything that knows a protocol's header
 * fields lives in that protocol's folder (src/link/buddy/, src/link/esp-hosted/) behind this
 * interface, and is registered in one place (src/link/registry.ts). The other layers see only:
 *
 *   needs        what the protocol needs from the SPI stage (both data lines, 8-bit words) and the
 *                SPI modes its hardware uses (a hint for people and for detection);
 *   score        how sure one transaction is that it is this protocol (auto-detection);
 *   createStage  transactions (and line edges) -> its records, with every anomaly as a record;
 *   views        how its records read: list line, lane, detail tree, hex field map, request pairing;
 *   pcapng       how its records map to pcapng packets and back (interfaces, exported-PDU name);
 *   wireshark    the Lua dissector that reads those packets;
 *   replay       whether the simulator can replay its captures.
 *
 * Every function here takes and returns records or bytes: a protocol module imports the record
 * model and the wire format, never a sink (the pcapng layer calls it through PcapngMapping).
 */
import type { Lane, TreeNode } from '../records/describe.ts';
import type { BuddyRecord, LineName } from '../records/types.ts';

export type { Lane, TreeNode };

/** A registered protocol's id ('buddy', 'esp-hosted-mcu', ...): src/link/registry.ts lists them. */
export type ProtocolId = string;

/** Statistics every link stage keeps (the summary and the live status line read them). */
export interface LinkStats {
  transactions: number;
  frames: number;
  idleFrames: number;
  anomalies: number;
  framesPerChannel: Record<string, number>;
  anomaliesPerCode: Partial<Record<string, number>>;
  /** Resets of the coprocessor the link showed (a new buddy epoch, a new esp-hosted INIT). */
  buddyResets: number;
}

export function newLinkStats(): LinkStats {
  return { transactions: 0, frames: 0, idleFrames: 0, anomalies: 0, framesPerChannel: {}, anomaliesPerCode: {}, buddyResets: 0 };
}

/** One more anomaly of `code` in a stage's statistics. */
export function countAnomaly(stats: LinkStats, code: string): void {
  stats.anomalies++;
  stats.anomaliesPerCode[code] = (stats.anomaliesPerCode[code] ?? 0) + 1;
}

/**
 * A link stage: fed batches of the SPI stage's records (transactions, line edges, SPI anomalies) in
 * time order, it returns them with its own records interleaved, still in time order.
 */
export interface LinkStage {
  push(batch: readonly BuddyRecord[]): BuddyRecord[];
  /** End of the capture: whatever is still open (a message mid-reassembly) is reported. */
  finish(): BuddyRecord[];
  readonly stats: LinkStats;
}

export interface StageOptions {
  /** Words for an anomaly that needs context, e.g. the SPI mode used ("SPI mode 0 ..."). */
  readonly context?: () => string | null;
}

export interface SpiNeeds {
  /** The protocol reads both MOSI and MISO. */
  readonly bothDirections: boolean;
  readonly wordBits: number;
  /** SPI modes its hardware uses (0-3), most common first. */
  readonly modes: readonly number[];
}

/** A named byte range of a hex section, for the TUI's hex pane. */
export interface HexField {
  readonly name: string;
  readonly section: number;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export interface HexSection {
  readonly title: string;
  readonly bytes: Uint8Array;
}

export interface HexView {
  readonly sections: readonly HexSection[];
  readonly fields: readonly HexField[];
}

/** A request or a reply, for the TUI's request/reply jump: replies pair with the latest request of their key. */
export interface PairKey {
  readonly key: string;
  readonly role: 'request' | 'reply';
}

/**
 * How a protocol's records read. `summary` may use state fed by `observe` (the buddy link names a
 * trace event by the callsite registered earlier): a Describer calls observe on every record in
 * stream order before asking for summaries.
 */
export interface RecordViews {
  /** State for summaries; one per capture. */
  newContext(): ViewContext;
  lane(r: BuddyRecord): Lane;
  summary(r: BuddyRecord, ctx: ViewContext): string;
  /** The short per-protocol column of decode's table (the buddy link's seq), or ''. */
  column(r: BuddyRecord): string;
  /** Idle frames are hidden by default in tables and the TUI. */
  isIdle(r: BuddyRecord): boolean;
  detail(r: BuddyRecord): TreeNode[];
  hex(r: BuddyRecord): HexView;
  pairKey(r: BuddyRecord): PairKey | null;
  /** Message names for the TUI's filter (a record matches when its name is given). */
  messageName(r: BuddyRecord): string | null;
  /** Wire bytes of the frame (0 when it is idle), for the timeline's byte counts. */
  wireBytes(r: BuddyRecord): number;
  /** Whether the summary depends on records before it (its context), so must be made in stream order. */
  contextual(r: BuddyRecord): boolean;
}

export interface ViewContext {
  observe(r: BuddyRecord): void;
}

/** Just enough of a byte writer for a protocol to write its own meta (pcapng's ByteBuffer is one). */
export interface ByteSink {
  u8(v: number): ByteSink;
  u16(v: number): ByteSink;
  u32(v: number): ByteSink;
  f64(v: number): ByteSink;
  bytes(b: Uint8Array): ByteSink;
}

/** Where a link record goes in pcapng: native Ethernet, BLE HCI (H4), or the protocol's own exported PDU. */
export type PacketInterface = 'eth' | 'ble' | 'link';

/**
 * How one record becomes a packet. The pcapng layer adds what is pcapng's: the exported-PDU TLVs
 * (with `dissector`) on 'link', the 4-byte direction on 'ble', epb_flags, epb_packetid and the
 * custom option the meta goes in.
 */
export interface PacketPlan {
  readonly iface: PacketInterface;
  /** The packet bytes after the layer's own prefix. */
  readonly body: Uint8Array;
  /** What a reader needs besides the bytes, written into a custom option. */
  readonly metaLength: number;
  writeMeta(out: ByteSink): void;
}

/** A record's place, from the packet around it (epb_packetid, epb_flags). */
export interface PacketEnvelope {
  readonly txn?: number;
  readonly dir?: 'cpu-to-buddy' | 'buddy-to-cpu';
}

export interface PcapngMapping {
  /** Exported-PDU dissector name of the 'link' packets (tag 12), which Wireshark hands to the Lua dissector. */
  readonly dissector: string;
  /** Text for Wireshark's Protocol column (exported-PDU tag 33). */
  readonly column: string;
  /** Whether this mapping writes the record (a FrameRecord for the buddy link, its LinkRecords otherwise). */
  owns(r: BuddyRecord): boolean;
  /** The packet a record becomes, or null for one the file does not hold (an idle esp-hosted direction). */
  plan(r: BuddyRecord): PacketPlan | null;
  /** Whether a packet's meta option is this protocol's (for 'eth' and 'ble' packets, which name no dissector). */
  ownsMeta(meta: Uint8Array): boolean;
  /** The record back from a packet of this protocol, or why the bytes do not fit. */
  read(iface: PacketInterface, body: Uint8Array, meta: Uint8Array | null, at: PacketEnvelope): BuddyRecord | string;
}

export interface LinkProtocol {
  readonly id: ProtocolId;
  /** The family its records carry (LinkRecord.protocol), shared by variants: 'buddy', 'esp-hosted'. */
  readonly family: string;
  /** For people: 'buddy link', 'ESP-Hosted-MCU'. */
  readonly title: string;
  readonly needs: SpiNeeds;
  /** What the protocol calls the side-band roles (esp-hosted: ready = handshake, irq = data-ready). */
  readonly lineLabels: Partial<Record<LineName, string>>;
  score(mosi: Uint8Array, miso: Uint8Array): number;
  createStage(opts?: StageOptions): LinkStage;
  readonly views: RecordViews;
  readonly pcapng: PcapngMapping;
  /** Lua dissector files under wireshark/ that `wireshark install` copies. */
  readonly wireshark: readonly string[];
  /** null when `replay` supports it, else why not. */
  readonly replayUnsupported: string | null;
  /** The anomaly code that says the coprocessor reset (request pairing starts over after it). */
  readonly resetAnomaly: string;
}
