/**
 * IPv4 (with header checksum), UDP (with pseudo-header checksum) and ICMP echo builders/parsers.
 * Addresses are 4-byte Uint8Arrays; `ipv4('10.0.0.1')` makes one.
 */
export const IpProto = { icmp: 1, udp: 17 } as const;

export function ipv4(text: string): Uint8Array {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new TypeError(`not an IPv4 address: ${text}`);
  return new Uint8Array(parts);
}

export function ipText(a: Uint8Array): string {
  return Array.from(a).join('.');
}

/** RFC 1071 Internet checksum over `parts` (concatenated). */
export function inetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd = -1;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd >= 0) {
        sum += (odd << 8) | p[i];
        odd = -1;
      } else if (i + 1 < p.length) {
        sum += (p[i] << 8) | p[i + 1];
        i++;
      } else odd = p[i];
    }
  }
  if (odd >= 0) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

export interface Ipv4Packet {
  readonly src: Uint8Array;
  readonly dst: Uint8Array;
  readonly proto: number;
  readonly ttl: number;
  readonly id: number;
  readonly payload: Uint8Array;
}

export function buildIpv4(p: { src: Uint8Array; dst: Uint8Array; proto: number; payload: Uint8Array; id?: number; ttl?: number }): Uint8Array {
  const out = new Uint8Array(20 + p.payload.length);
  out[0] = 0x45;
  out[2] = out.length >> 8;
  out[3] = out.length & 0xff;
  const id = p.id ?? 0;
  out[4] = (id >> 8) & 0xff;
  out[5] = id & 0xff;
  out[6] = 0x40; // don't fragment
  out[8] = p.ttl ?? 64;
  out[9] = p.proto;
  out.set(p.src, 12);
  out.set(p.dst, 16);
  const c = inetChecksum(out.subarray(0, 20));
  out[10] = c >> 8;
  out[11] = c & 0xff;
  out.set(p.payload, 20);
  return out;
}

/** Parses and checks the header checksum; null if malformed. Ignores Ethernet padding. */
export function parseIpv4(b: Uint8Array): Ipv4Packet | null {
  if (b.length < 20 || b[0] >> 4 !== 4) return null;
  const ihl = (b[0] & 0x0f) * 4;
  const total = (b[2] << 8) | b[3];
  if (ihl < 20 || total < ihl || total > b.length) return null;
  if (inetChecksum(b.subarray(0, ihl)) !== 0) return null;
  return { src: b.slice(12, 16), dst: b.slice(16, 20), proto: b[9], ttl: b[8], id: (b[4] << 8) | b[5], payload: b.subarray(ihl, total) };
}

export interface UdpDatagram {
  readonly sport: number;
  readonly dport: number;
  readonly payload: Uint8Array;
}

export function buildUdp(src: Uint8Array, dst: Uint8Array, sport: number, dport: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + payload.length);
  out[0] = sport >> 8;
  out[1] = sport & 0xff;
  out[2] = dport >> 8;
  out[3] = dport & 0xff;
  out[4] = out.length >> 8;
  out[5] = out.length & 0xff;
  out.set(payload, 8);
  const pseudo = new Uint8Array(12);
  pseudo.set(src, 0);
  pseudo.set(dst, 4);
  pseudo[9] = IpProto.udp;
  pseudo[10] = out.length >> 8;
  pseudo[11] = out.length & 0xff;
  const c = inetChecksum(pseudo, out) || 0xffff;
  out[6] = c >> 8;
  out[7] = c & 0xff;
  return out;
}

export function parseUdp(b: Uint8Array): UdpDatagram | null {
  if (b.length < 8) return null;
  const len = (b[4] << 8) | b[5];
  if (len < 8 || len > b.length) return null;
  return { sport: (b[0] << 8) | b[1], dport: (b[2] << 8) | b[3], payload: b.subarray(8, len) };
}

export interface IcmpEcho {
  readonly type: 0 | 8;
  readonly id: number;
  readonly seq: number;
  readonly data: Uint8Array;
}

export function buildIcmpEcho(e: IcmpEcho): Uint8Array {
  const out = new Uint8Array(8 + e.data.length);
  out[0] = e.type;
  out[4] = e.id >> 8;
  out[5] = e.id & 0xff;
  out[6] = e.seq >> 8;
  out[7] = e.seq & 0xff;
  out.set(e.data, 8);
  const c = inetChecksum(out);
  out[2] = c >> 8;
  out[3] = c & 0xff;
  return out;
}

export function parseIcmpEcho(b: Uint8Array): IcmpEcho | null {
  if (b.length < 8 || (b[0] !== 0 && b[0] !== 8) || inetChecksum(b) !== 0) return null;
  return { type: b[0] as 0 | 8, id: (b[4] << 8) | b[5], seq: (b[6] << 8) | b[7], data: b.slice(8) };
}
