/**
 * DHCP (RFC 2131) discover/offer/request/ack with options 53 (message type), 50 (requested IP),
 * 54 (server id), 1 (subnet mask), 3 (router), 6 (DNS), 51 (lease time). Just enough for a real
 * exchange tshark decodes as DHCP.
 */
export const DhcpType = { discover: 1, offer: 2, request: 3, ack: 5, nak: 6 } as const;
const MAGIC = [99, 130, 83, 99];

export interface Dhcp {
  readonly op: 1 | 2;
  readonly xid: number;
  readonly chaddr: Uint8Array;
  readonly yiaddr: Uint8Array;
  readonly siaddr: Uint8Array;
  readonly broadcast: boolean;
  readonly messageType: number;
  readonly requestedIp?: Uint8Array;
  readonly serverId?: Uint8Array;
  readonly subnetMask?: Uint8Array;
  readonly router?: Uint8Array;
  readonly dns?: Uint8Array;
  readonly leaseSeconds?: number;
}

const ZERO4 = new Uint8Array(4);

export function buildDhcp(d: Partial<Dhcp> & Pick<Dhcp, 'op' | 'xid' | 'chaddr' | 'messageType'>): Uint8Array {
  const opts: number[] = [53, 1, d.messageType];
  const addr = (code: number, a?: Uint8Array): void => {
    if (a) opts.push(code, 4, ...a);
  };
  addr(50, d.requestedIp);
  addr(54, d.serverId);
  addr(1, d.subnetMask);
  addr(3, d.router);
  addr(6, d.dns);
  if (d.leaseSeconds !== undefined) {
    const s = d.leaseSeconds;
    opts.push(51, 4, (s >>> 24) & 0xff, (s >>> 16) & 0xff, (s >>> 8) & 0xff, s & 0xff);
  }
  opts.push(255);
  const out = new Uint8Array(240 + opts.length);
  out[0] = d.op;
  out[1] = 1; // ethernet
  out[2] = 6;
  out[4] = (d.xid >>> 24) & 0xff;
  out[5] = (d.xid >>> 16) & 0xff;
  out[6] = (d.xid >>> 8) & 0xff;
  out[7] = d.xid & 0xff;
  if (d.broadcast) out[10] = 0x80;
  out.set(d.yiaddr ?? ZERO4, 16);
  out.set(d.siaddr ?? ZERO4, 20);
  out.set(d.chaddr, 28);
  out.set(MAGIC, 236);
  out.set(opts, 240);
  return out;
}

export function parseDhcp(b: Uint8Array): Dhcp | null {
  if (b.length < 241 || (b[0] !== 1 && b[0] !== 2) || MAGIC.some((m, i) => b[236 + i] !== m)) return null;
  const r: { -readonly [K in keyof Dhcp]?: Dhcp[K] } = {
    op: b[0] as 1 | 2,
    xid: ((b[4] << 24) | (b[5] << 16) | (b[6] << 8) | b[7]) >>> 0,
    broadcast: (b[10] & 0x80) !== 0,
    yiaddr: b.slice(16, 20),
    siaddr: b.slice(20, 24),
    chaddr: b.slice(28, 34),
  };
  let i = 240;
  while (i < b.length && b[i] !== 255) {
    const code = b[i];
    if (code === 0) { i++; continue; }
    const len = b[i + 1];
    const v = b.slice(i + 2, i + 2 + len);
    if (code === 53) r.messageType = v[0];
    else if (code === 50) r.requestedIp = v;
    else if (code === 54) r.serverId = v;
    else if (code === 1) r.subnetMask = v;
    else if (code === 3) r.router = v.slice(0, 4);
    else if (code === 6) r.dns = v.slice(0, 4);
    else if (code === 51) r.leaseSeconds = ((v[0] << 24) | (v[1] << 16) | (v[2] << 8) | v[3]) >>> 0;
    i += 2 + len;
  }
  if (r.messageType === undefined) return null;
  return r as Dhcp;
}
