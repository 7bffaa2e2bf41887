/**
 * The bytes of an esp-hosted record as a pcapng exported PDU (LINKTYPE_WIRESHARK_UPPER_PDU, TLV
 * tag 12 = dissector name "esp_hosted"; the TLVs themselves are the pcapng layer's). The wire frame
 * alone would not say which variant wrote it, so a 4-byte prefix does:
 *
 *   0  u8  version (1)
 *   1  u8  variant: 0 fg, 1 ng, 2 mcu
 *   2  u8  kind: 0 wire frame, 1 reassembled message
 *   3  u8  bits 0-1: checksum state as the decoder judged it (it knows whether INIT announced
 *          checksums): 0 ok, 1 bad, 2 not used; bit 2: the frame is a fragment of a message whose
 *          content comes in its own kind-1 PDU (the last fragment has MORE_FRAGMENT clear, so only
 *          the decoder, which saw the chain, can tell); 0 for messages
 *   kind 0: the frame exactly as on the wire, header + payload (padding to the transaction cut)
 *   kind 1: u8 if_type, u8 header byte 11 (HCI/priv packet type), u8 NG packet_type (0 otherwise),
 *           u8 fragment count (capped at 255), then the reassembled message
 *
 * Idle, line and anomaly records have no esp_hosted PDU (the lead's event interfaces carry them).
 */
import type { EspFrameRecord, EspMessageRecord } from './records.ts';
import { VARIANT_IDS } from './variants.ts';

export const ESP_HOSTED_DISSECTOR = 'esp_hosted';
export const PDU_VERSION = 1;
export const PDU_PREFIX = 4;
const STATE = { ok: 0, bad: 1, unused: 2 } as const;
export const FRAGMENT_BIT = 0x04;

export function exportedPdu(r: EspFrameRecord | EspMessageRecord): Uint8Array {
  const variant = VARIANT_IDS.indexOf(r.variant);
  if (r.kind === 'frame') {
    const out = new Uint8Array(PDU_PREFIX + r.wire.length);
    const fragment = r.content === undefined && r.header.checksumState !== 'bad' ? FRAGMENT_BIT : 0;
    out.set([PDU_VERSION, variant, 0, STATE[r.header.checksumState] | fragment]);
    out.set(r.wire, PDU_PREFIX);
    return out;
  }
  const out = new Uint8Array(PDU_PREFIX + 4 + r.bytes.length);
  out.set([PDU_VERSION, variant, 1, 0, r.ifType, r.pktType, r.packetType ?? 0, Math.min(r.fragments, 255)]);
  out.set(r.bytes, PDU_PREFIX + 4);
  return out;
}
