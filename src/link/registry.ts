/**
 * The link protocols buddyshark decodes: the one list every layer reads them from. A protocol is
 * one folder under src/link/ that exports its LinkProtocol(s) (src/link/protocol.ts), plus its line
 * here.
 */
import type { BuddyRecord } from '../records/types.ts';
import { BUDDY } from './buddy/index.ts';
import { ESP_HOSTED_PROTOCOLS } from './esp-hosted/index.ts';
import type { LinkProtocol, PcapngMapping, ProtocolId, RecordViews } from './protocol.ts';

export const PROTOCOLS: readonly LinkProtocol[] = [
  BUDDY,
  ...ESP_HOSTED_PROTOCOLS,
];

export const PROTOCOL_IDS: readonly ProtocolId[] = PROTOCOLS.map((p) => p.id);

export function protocolById(id: ProtocolId): LinkProtocol {
  const p = PROTOCOLS.find((x) => x.id === id);
  if (!p) throw new TypeError(`no link protocol "${id}"`);
  return p;
}

/** One per family (variants share their views and pcapng mapping). */
const FAMILIES: readonly LinkProtocol[] = PROTOCOLS.filter((p, k) => PROTOCOLS.findIndex((q) => q.family === p.family) === k);

/** The views of the protocol that made a record, or null for the records every protocol shares. */
export function viewsOf(r: BuddyRecord): RecordViews | null {
  if (r.kind === 'frame') return BUDDY.views;
  if (r.kind !== 'link') return null;
  return FAMILIES.find((p) => p.family === r.protocol)?.views ?? null;
}

/** Every protocol family's pcapng mapping, for the pcapng writer and reader. */
export const PCAPNG_MAPPINGS: readonly PcapngMapping[] = FAMILIES.map((p) => p.pcapng);

const RESETS = new Set(PROTOCOLS.map((p) => p.resetAnomaly));

/** Whether an anomaly says a coprocessor reset (a new buddy epoch, a new esp-hosted INIT). */
export function isResetAnomaly(code: string): boolean {
  return RESETS.has(code);
}

/** The Lua dissectors `wireshark install` copies. */
export const WIRESHARK_PLUGINS: readonly string[] = [...new Set(PROTOCOLS.flatMap((p) => p.wireshark))];
