/**
 * Ethernet II and ARP builders/parsers for the simulated host and network peer. Frames are what
 * goes on the link's ethernet channel (no FCS: the link has its own CRC), so tshark decodes them
 * with the eth dissector.
 *
 * Example: buildEthernet(BROADCAST, myMac, EtherType.arp, buildArp({ op: 1, ... }))
 */
export const BROADCAST = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
export const EtherType = { ipv4: 0x0800, arp: 0x0806 } as const;

export interface EthernetFrame {
  readonly dst: Uint8Array;
  readonly src: Uint8Array;
  readonly type: number;
  readonly payload: Uint8Array;
}

export function buildEthernet(dst: Uint8Array, src: Uint8Array, type: number, payload: Uint8Array): Uint8Array {
  // Pad to the 60-byte minimum, as a real NIC would.
  const out = new Uint8Array(Math.max(14 + payload.length, 60));
  out.set(dst, 0);
  out.set(src, 6);
  out[12] = type >> 8;
  out[13] = type & 0xff;
  out.set(payload, 14);
  return out;
}

export function parseEthernet(frame: Uint8Array): EthernetFrame | null {
  if (frame.length < 14) return null;
  return { dst: frame.subarray(0, 6), src: frame.subarray(6, 12), type: (frame[12] << 8) | frame[13], payload: frame.subarray(14) };
}

export interface Arp {
  readonly op: 1 | 2;
  readonly sha: Uint8Array;
  readonly spa: Uint8Array;
  readonly tha: Uint8Array;
  readonly tpa: Uint8Array;
}

export function buildArp(a: Arp): Uint8Array {
  const out = new Uint8Array(28);
  out.set([0x00, 0x01, 0x08, 0x00, 6, 4, 0, a.op], 0);
  out.set(a.sha, 8);
  out.set(a.spa, 14);
  out.set(a.tha, 18);
  out.set(a.tpa, 24);
  return out;
}

export function parseArp(p: Uint8Array): Arp | null {
  if (p.length < 28 || p[0] !== 0 || p[1] !== 1 || p[2] !== 8 || p[3] !== 0 || p[4] !== 6 || p[5] !== 4) return null;
  const op = p[7];
  if (op !== 1 && op !== 2) return null;
  return { op, sha: p.slice(8, 14), spa: p.slice(14, 18), tha: p.slice(18, 24), tpa: p.slice(24, 28) };
}

export function macText(m: Uint8Array): string {
  return Array.from(m, (b) => b.toString(16).padStart(2, '0')).join(':');
}
