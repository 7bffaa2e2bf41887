/**
 * One-line summaries of Ethernet frames for tables and the TUI (`ETH ARP who-has 10.0.0.1`).
 * Deliberately shallow: Wireshark does the real dissection from the pcapng; this names what a
 * developer scanning the link needs to see. Never throws on short or odd frames.
 */
const ip4 = (b: Uint8Array, at: number): string => `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
const u16be = (b: Uint8Array, at: number): number => (b[at] << 8) | b[at + 1];

export function macText(b: Uint8Array, at = 0): string {
  const parts: string[] = [];
  for (let i = 0; i < 6; i++) parts.push((b[at + i] ?? 0).toString(16).padStart(2, '0'));
  return parts.join(':');
}

export function ethernetSummary(f: Uint8Array): string {
  if (f.length < 14) return `ETH runt (${f.length} bytes)`;
  let type = u16be(f, 12);
  let at = 14;
  if (type === 0x8100 && f.length >= 18) {
    type = u16be(f, 16);
    at = 18;
  }
  if (type === 0x0806) return arp(f, at);
  if (type === 0x0800) return ipv4(f, at);
  if (type === 0x86dd) return `ETH IPv6 ${f.length} bytes`;
  return `ETH type 0x${type.toString(16).padStart(4, '0')} ${macText(f, 6)} -> ${macText(f, 0)} (${f.length} bytes)`;
}

function arp(f: Uint8Array, at: number): string {
  if (f.length < at + 28) return 'ETH ARP (short)';
  const op = u16be(f, at + 6);
  const spa = ip4(f, at + 14);
  const tpa = ip4(f, at + 24);
  if (op === 1) return spa === tpa ? `ETH ARP announce ${spa}` : `ETH ARP who-has ${tpa} tell ${spa}`;
  if (op === 2) return `ETH ARP ${spa} is-at ${macText(f, at + 8)}`;
  return `ETH ARP op ${op}`;
}

function ipv4(f: Uint8Array, at: number): string {
  if (f.length < at + 20) return 'ETH IPv4 (short)';
  const ihl = (f[at] & 0x0f) * 4;
  const proto = f[at + 9];
  const src = ip4(f, at + 12);
  const dst = ip4(f, at + 16);
  const l4 = at + ihl;
  if (proto === 1 && f.length >= l4 + 8) {
    const t = f[l4];
    const seq = u16be(f, l4 + 6);
    const kind = t === 8 ? 'echo request' : t === 0 ? 'echo reply' : `type ${t}`;
    return `ICMP ${kind} ${src} -> ${dst} seq=${seq}`;
  }
  if (proto === 17 && f.length >= l4 + 8) {
    const sp = u16be(f, l4);
    const dp = u16be(f, l4 + 2);
    const body = l4 + 8;
    if (sp === 67 || sp === 68 || dp === 67 || dp === 68) return dhcp(f, body, src, dst);
    if (sp === 53 || dp === 53) return dns(f, body, src, dst);
    if (dp === 5353) return `mDNS ${src} -> ${dst}`;
    return `UDP ${src}:${sp} -> ${dst}:${dp} len=${u16be(f, l4 + 4) - 8}`;
  }
  if (proto === 6 && f.length >= l4 + 14) return `TCP ${src}:${u16be(f, l4)} -> ${dst}:${u16be(f, l4 + 2)}`;
  return `IPv4 proto ${proto} ${src} -> ${dst}`;
}

const DHCP_TYPES = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];

function dhcp(f: Uint8Array, at: number, src: string, dst: string): string {
  // Options start after the 236-byte BOOTP header and the 4-byte magic cookie.
  let p = at + 240;
  let type = 0;
  while (p + 1 < f.length && f[p] !== 255) {
    if (f[p] === 0) {
      p++;
      continue;
    }
    if (f[p] === 53 && p + 2 < f.length) type = f[p + 2];
    p += 2 + f[p + 1];
  }
  const yiaddr = f.length >= at + 20 ? ip4(f, at + 16) : '?';
  const name = DHCP_TYPES[type] ?? `type ${type}`;
  return type === 2 || type === 5 ? `DHCP ${name} ${yiaddr}` : `DHCP ${name || 'BOOTP'} ${src} -> ${dst}`;
}

function dns(f: Uint8Array, at: number, src: string, dst: string): string {
  if (f.length < at + 12) return `DNS (short) ${src} -> ${dst}`;
  const response = (f[at + 2] & 0x80) !== 0;
  const name = qname(f, at + 12);
  if (!response) return `DNS query ${name}`;
  const answers = u16be(f, at + 6);
  // Find the first A record's address: skip the question, then walk answers.
  let p = skipName(f, at + 12) + 4;
  for (let i = 0; i < answers && p + 10 <= f.length; i++) {
    p = skipName(f, p);
    const type = u16be(f, p);
    const len = u16be(f, p + 8);
    if (type === 1 && len === 4 && p + 14 <= f.length) return `DNS response ${name} A ${ip4(f, p + 10)}`;
    p += 10 + len;
  }
  return `DNS response ${name} (${answers} answers)`;
}

function qname(f: Uint8Array, at: number): string {
  const labels: string[] = [];
  let p = at;
  while (p < f.length && f[p] !== 0 && labels.length < 32) {
    if ((f[p] & 0xc0) === 0xc0) break;
    const len = f[p];
    labels.push(Buffer.from(f.subarray(p + 1, p + 1 + len)).toString('latin1'));
    p += 1 + len;
  }
  return labels.join('.') || '.';
}

function skipName(f: Uint8Array, at: number): number {
  let p = at;
  while (p < f.length) {
    if (f[p] === 0) return p + 1;
    if ((f[p] & 0xc0) === 0xc0) return p + 2;
    p += 1 + f[p];
  }
  return p;
}
