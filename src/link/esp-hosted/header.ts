/**
 * Parses one direction of a transaction: the 12-byte header, then the bounds of the payload.
 * Never throws: a buffer that is not a usable frame comes back as a typed problem with the byte
 * offset of the offending field. Padding after the payload (the rest of the fixed-size
 * transaction) is ignored, as both ends ignore it.
 */
import { frameChecksum } from './checksum.ts';
import type { ChecksumState, EspHeader } from './records.ts';
import { interfaceKind, type VariantSpec } from './variants.ts';

export type HeaderProblem = 'short-transaction' | 'offset-out-of-range' | 'length-past-buffer' | 'unknown-interface';

export type ParsedDirection =
  | { readonly kind: 'idle'; readonly shape: 'dummy' | 'zero' | 'other'; readonly flags: number; readonly throttle?: number }
  | { readonly kind: 'frame'; readonly header: EspHeader; readonly payloadStart: number; readonly wireLength: number }
  | { readonly kind: 'bad'; readonly code: HeaderProblem; readonly detail: string; readonly offset: number };

const u16 = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);

function idleShape(v: VariantSpec, b: Uint8Array): 'dummy' | 'zero' | 'other' {
  let restZero = true;
  for (let i = 2; i < 10; i++) if (b[i] !== 0) restZero = false;
  if (b[0] === v.idleMarker && restZero) return 'dummy';
  for (let i = 0; i < 12; i++) if (b[i] !== 0) return 'other';
  return 'zero';
}

/**
 * `checksumAnnounced`: whether the ESP's INIT said checksums are on (ESP_CHECKSUM_ENABLED); undefined
 * before any INIT. A zero checksum field that does not match is 'unused' unless INIT announced them.
 */
export function parseDirection(v: VariantSpec, b: Uint8Array, checksumAnnounced?: boolean): ParsedDirection {
  const L = v.layout;
  if (b.length < v.headerSize) {
    return { kind: 'bad', code: 'short-transaction', detail: `${b.length} bytes, shorter than the ${v.headerSize}-byte header`, offset: 0 };
  }
  const len = u16(b, L.len);
  const throttle = L.throttle !== undefined ? b[L.throttle] & 0x03 : undefined;
  if (len === 0) return { kind: 'idle', shape: idleShape(v, b), flags: b[L.flags], ...(throttle !== undefined ? { throttle } : {}) };
  const offset = u16(b, L.offset);
  if (offset < v.offsetMin || offset > v.offsetMax) {
    const want = v.offsetMin === v.offsetMax ? `${v.offsetMin}` : `${v.offsetMin}..${v.offsetMax}`;
    return { kind: 'bad', code: 'offset-out-of-range', detail: `offset ${offset}, valid ${want}`, offset: L.offset };
  }
  if (offset + len > b.length) {
    return { kind: 'bad', code: 'length-past-buffer', detail: `len ${len} at offset ${offset} ends at byte ${offset + len}, past the ${b.length}-byte transaction`, offset: L.len };
  }
  const ifType = b[0] & 0x0f;
  const iface = interfaceKind(v, ifType);
  if (iface === undefined || iface === 'invalid') {
    return { kind: 'bad', code: 'unknown-interface', detail: `if_type ${ifType} is ${iface === 'invalid' ? 'the invalid interface' : `not a ${v.title} interface`}`, offset: 0 };
  }
  const checksum = u16(b, L.checksum);
  const computedChecksum = frameChecksum(b, offset + len, L.checksum);
  const checksumState: ChecksumState = checksum === computedChecksum ? 'ok' : checksum === 0 && checksumAnnounced !== true ? 'unused' : 'bad';
  const header: EspHeader = {
    ifType, ifNum: b[0] >> 4, iface, flags: b[L.flags], len, offset, checksum, computedChecksum, checksumState,
    ...(L.seq !== undefined ? { seq: u16(b, L.seq) } : {}),
    ...(L.packetType !== undefined ? { packetType: b[L.packetType] } : {}),
    ...(throttle !== undefined ? { throttle } : {}),
    pktType: b[L.pktType],
  };
  return { kind: 'frame', header, payloadStart: offset, wireLength: offset + len };
}
