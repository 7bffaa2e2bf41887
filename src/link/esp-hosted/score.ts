/**
 * Auto-detection: how sure one transaction is of a variant, from frame validity alone (no state).
 * 0 means "not this variant"; more is more certain. Per direction:
 *   frame with a matching checksum 3, plus 1 when its content decodes as this variant's
 *   (control TLV + protobuf, INIT, NG command, an Ethernet frame of a common EtherType); frame with
 *   an unused (zero) checksum 1 only with such content (a zero field alone proves nothing); the
 *   variant's own dummy idle header 2; an all-zero idle header 0.25, counted only next to positive
 *   evidence in the other direction (zeros are any protocol's idle).
 * A direction that is not a frame or idle of this variant (bad header, a bad checksum, a len = 0
 * header of another shape, such as the buddy protocol's idle frame or another variant's dummy)
 * makes the whole transaction 0: a real link's rare corrupt frame costs one transaction's vote.
 */
import { decodeContent } from './content.ts';
import { parseDirection } from './header.ts';
import { VARIANTS, type VariantId, type VariantSpec } from './variants.ts';

const ZERO_IDLE = 0.25;
const COMMON_ETHERTYPES = new Set([0x0800, 0x0806, 0x86dd, 0x8100, 0x888e]);

function contentBonus(v: VariantSpec, iface: Parameters<typeof decodeContent>[1], payload: Uint8Array): number {
  const d = decodeContent(v, iface, payload);
  if (d.problem) return 0;
  switch (d.content.kind) {
    case 'control': case 'init': case 'ng-command': return 1;
    case 'ethernet': return payload.length >= 14 && COMMON_ETHERTYPES.has((payload[12] << 8) | payload[13]) ? 1 : 0;
    default: return 0;
  }
}

/** The score of one direction, or -1 when it rules the variant out. */
function directionScore(v: VariantSpec, b: Uint8Array): number {
  const p = parseDirection(v, b);
  if (p.kind === 'bad') return -1;
  if (p.kind === 'idle') return p.shape === 'dummy' ? 2 : p.shape === 'zero' ? ZERO_IDLE : -1;
  const h = p.header;
  if (h.checksumState === 'bad') return -1;
  const more = (h.flags & 0x01) !== 0;
  const key = { iface: h.iface, pktType: h.pktType, ...(h.packetType !== undefined ? { packetType: h.packetType } : {}) };
  const bonus = more ? 0 : contentBonus(v, key, b.subarray(p.payloadStart, p.wireLength));
  if (h.checksumState === 'unused') return bonus > 0 ? 1 + bonus : 0;
  return 3 + bonus;
}

export function espHostedScore(variant: VariantId, mosi: Uint8Array, miso: Uint8Array): number {
  const v = VARIANTS[variant];
  const a = directionScore(v, mosi);
  const b = directionScore(v, miso);
  if (a < 0 || b < 0 || Math.max(a, b) <= ZERO_IDLE) return 0;
  return a + b;
}

/** Scorers in the shape the SPI stage's mode detection takes: (mosi, miso) => score. */
export const ESP_HOSTED_SCORERS: Readonly<Record<VariantId, (mosi: Uint8Array, miso: Uint8Array) => number>> = {
  fg: (mosi, miso) => espHostedScore('fg', mosi, miso),
  ng: (mosi, miso) => espHostedScore('ng', mosi, miso),
  mcu: (mosi, miso) => espHostedScore('mcu', mosi, miso),
};
