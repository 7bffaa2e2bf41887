"""One-line summaries of the Ethernet frames the link carries, worded as buddyshark's tables word
them (src/records/ethernet-summary.ts): ethertype, ARP who-has/is-at, IPv4 protocol and addresses,
ICMP echo, DHCP message type, DNS query and first A answer. Shallow on purpose (Wireshark does the
real dissection from the pcap output); never raises on short or odd frames.

    summary(frame) -> 'ETH ARP who-has 10.0.0.1 tell 10.0.0.2'
"""


def _ip4(f, at):
    return '%d.%d.%d.%d' % (f[at], f[at + 1], f[at + 2], f[at + 3])


def _u16(f, at):
    return (f[at] << 8) | f[at + 1]


def mac_text(f, at=0):
    return ':'.join('%02x' % (f[at + i] if at + i < len(f) else 0) for i in range(6))


def summary(f):
    if len(f) < 14:
        return 'ETH runt (%d bytes)' % len(f)
    kind, at = _u16(f, 12), 14
    if kind == 0x8100 and len(f) >= 18:
        kind, at = _u16(f, 16), 18
    if kind == 0x0806:
        return _arp(f, at)
    if kind == 0x0800:
        return _ipv4(f, at)
    if kind == 0x86DD:
        return 'ETH IPv6 %d bytes' % len(f)
    return 'ETH type 0x%04x %s -> %s (%d bytes)' % (kind, mac_text(f, 6), mac_text(f, 0), len(f))


def _arp(f, at):
    if len(f) < at + 28:
        return 'ETH ARP (short)'
    op, spa, tpa = _u16(f, at + 6), _ip4(f, at + 14), _ip4(f, at + 24)
    if op == 1:
        return 'ETH ARP announce %s' % spa if spa == tpa else 'ETH ARP who-has %s tell %s' % (tpa, spa)
    if op == 2:
        return 'ETH ARP %s is-at %s' % (spa, mac_text(f, at + 8))
    return 'ETH ARP op %d' % op


def _ipv4(f, at):
    if len(f) < at + 20:
        return 'ETH IPv4 (short)'
    proto, src, dst = f[at + 9], _ip4(f, at + 12), _ip4(f, at + 16)
    l4 = at + (f[at] & 0x0F) * 4
    if proto == 1 and len(f) >= l4 + 8:
        t = f[l4]
        kind = 'echo request' if t == 8 else 'echo reply' if t == 0 else 'type %d' % t
        return 'ICMP %s %s -> %s seq=%d' % (kind, src, dst, _u16(f, l4 + 6))
    if proto == 17 and len(f) >= l4 + 8:
        sp, dp = _u16(f, l4), _u16(f, l4 + 2)
        if sp in (67, 68) or dp in (67, 68):
            return _dhcp(f, l4 + 8, src, dst)
        if sp == 53 or dp == 53:
            return _dns(f, l4 + 8, src, dst)
        if dp == 5353:
            return 'mDNS %s -> %s' % (src, dst)
        return 'UDP %s:%d -> %s:%d len=%d' % (src, sp, dst, dp, _u16(f, l4 + 4) - 8)
    if proto == 6 and len(f) >= l4 + 14:
        return 'TCP %s:%d -> %s:%d' % (src, _u16(f, l4), dst, _u16(f, l4 + 2))
    return 'IPv4 proto %d %s -> %s' % (proto, src, dst)


_DHCP_TYPES = ('', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM')


def _dhcp(f, at, src, dst):
    # Options start after the 236-byte BOOTP header and the 4-byte magic cookie.
    p, kind = at + 240, 0
    while p + 1 < len(f) and f[p] != 255:
        if f[p] == 0:
            p += 1
            continue
        if f[p] == 53 and p + 2 < len(f):
            kind = f[p + 2]
        p += 2 + f[p + 1]
    yiaddr = _ip4(f, at + 16) if len(f) >= at + 20 else '?'
    name = _DHCP_TYPES[kind] if kind < len(_DHCP_TYPES) else 'type %d' % kind
    if kind in (2, 5):
        return 'DHCP %s %s' % (name, yiaddr)
    return 'DHCP %s %s -> %s' % (name or 'BOOTP', src, dst)


def _dns(f, at, src, dst):
    if len(f) < at + 12:
        return 'DNS (short) %s -> %s' % (src, dst)
    name = _qname(f, at + 12)
    if not f[at + 2] & 0x80:
        return 'DNS query %s' % name
    answers = _u16(f, at + 6)
    # Find the first A record's address: skip the question, then walk the answers.
    p = _skip_name(f, at + 12) + 4
    for _ in range(answers):
        if p + 10 > len(f):
            break
        p = _skip_name(f, p)
        if p + 10 > len(f):
            break
        kind, n = _u16(f, p), _u16(f, p + 8)
        if kind == 1 and n == 4 and p + 14 <= len(f):
            return 'DNS response %s A %s' % (name, _ip4(f, p + 10))
        p += 10 + n
    return 'DNS response %s (%d answers)' % (name, answers)


def _qname(f, at):
    labels, p = [], at
    while p < len(f) and f[p] != 0 and len(labels) < 32:
        if f[p] & 0xC0 == 0xC0:
            break
        n = f[p]
        labels.append(bytes(f[p + 1:p + 1 + n]).decode('latin-1'))
        p += 1 + n
    return '.'.join(labels) or '.'


def _skip_name(f, at):
    p = at
    while p < len(f):
        if f[p] == 0:
            return p + 1
        if f[p] & 0xC0 == 0xC0:
            return p + 2
        p += 1 + f[p]
    return p
