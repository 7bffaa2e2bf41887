/**
 * DNS (RFC 1035) A-record queries and responses, class IN, no compression on build except the
 * answer's pointer to the question name (0xC00C), which every resolver understands.
 */
export interface DnsMessage {
  readonly id: number;
  readonly response: boolean;
  readonly rcode: number;
  readonly name: string;
  readonly answers: Uint8Array[];
}

function encodeName(name: string): number[] {
  const out: number[] = [];
  for (const label of name.split('.').filter(Boolean)) {
    const b = Buffer.from(label, 'utf8');
    out.push(b.length, ...b);
  }
  out.push(0);
  return out;
}

export function buildDnsQuery(id: number, name: string): Uint8Array {
  return new Uint8Array([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, ...encodeName(name), 0, 1, 0, 1]);
}

/** A response: `address` null gives NXDOMAIN (rcode 3). */
export function buildDnsResponse(id: number, name: string, address: Uint8Array | null, ttl = 300): Uint8Array {
  const head = [id >> 8, id & 0xff, 0x81, address ? 0x80 : 0x83, 0, 1, 0, address ? 1 : 0, 0, 0, 0, 0];
  const question = [...encodeName(name), 0, 1, 0, 1];
  const answer = address ? [0xc0, 0x0c, 0, 1, 0, 1, (ttl >>> 24) & 0xff, (ttl >>> 16) & 0xff, (ttl >>> 8) & 0xff, ttl & 0xff, 0, 4, ...address] : [];
  return new Uint8Array([...head, ...question, ...answer]);
}

export function parseDns(b: Uint8Array): DnsMessage | null {
  if (b.length < 12) return null;
  const qd = (b[4] << 8) | b[5];
  const an = (b[6] << 8) | b[7];
  if (qd !== 1) return null;
  let i = 12;
  const labels: string[] = [];
  while (i < b.length && b[i] !== 0) {
    const n = b[i];
    if (n & 0xc0 || i + 1 + n > b.length) return null;
    labels.push(Buffer.from(b.subarray(i + 1, i + 1 + n)).toString('utf8'));
    i += 1 + n;
  }
  i += 5; // terminator, qtype, qclass
  const answers: Uint8Array[] = [];
  for (let k = 0; k < an && i + 12 <= b.length; k++) {
    i += (b[i] & 0xc0) === 0xc0 ? 2 : skipName(b, i) - i;
    const type = (b[i] << 8) | b[i + 1];
    const rdlen = (b[i + 8] << 8) | b[i + 9];
    if (type === 1 && rdlen === 4) answers.push(b.slice(i + 10, i + 14));
    i += 10 + rdlen;
  }
  return { id: (b[0] << 8) | b[1], response: (b[2] & 0x80) !== 0, rcode: b[3] & 0x0f, name: labels.join('.'), answers };
}

function skipName(b: Uint8Array, i: number): number {
  while (i < b.length && b[i] !== 0) i += 1 + b[i];
  return i + 1;
}
