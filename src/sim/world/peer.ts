/**
 * The network behind the AP: a gateway at 10.0.0.1 that answers ARP, DHCP (offers 10.0.0.2/24,
 * router and DNS 10.0.0.1, lease 1 h), ICMP echo and DNS A queries (names from the scenario; others
 * NXDOMAIN), discards UDP port 9 (the TX flood sink) and sends background broadcasts (an ARP
 * announcement every few seconds). `flood()` streams UDP datagrams to the host (the RX flood),
 * paced by the air: one queued behind the frame on the air at a time.
 *
 * Consumes Ethernet frames from the air (`receive`); emits frames through `send` (wired by world.ts
 * to the peer-to-buddy air channel).
 */
import { DhcpType, buildDhcp, parseDhcp } from '../net/dhcp.ts';
import { buildDnsResponse, parseDns } from '../net/dns.ts';
import { sameBytes } from '../../protocol/bytes.ts';
import { BROADCAST, EtherType, buildArp, buildEthernet, parseArp, parseEthernet } from '../net/ethernet.ts';
import { IpProto, buildIcmpEcho, buildIpv4, buildUdp, ipv4, parseIcmpEcho, parseIpv4, parseUdp } from '../net/ip.ts';
import type { Rng } from '../prng.ts';
import type { Scheduler } from '../scheduler.ts';

export const GATEWAY_IP = ipv4('10.0.0.1');
export const GATEWAY_MAC = new Uint8Array([0x02, 0x00, 0x5e, 0x10, 0x00, 0x01]);
export const OFFERED_IP = ipv4('10.0.0.2');
export const NETMASK = ipv4('255.255.255.0');
export const DISCARD_PORT = 9;
export const FLOOD_PORT = 5001;

export interface PeerStats {
  arp: number;
  dhcp: number;
  icmp: number;
  dns: number;
  discardFrames: number;
  discardBytes: number;
  other: number;
  sent: number;
}

export class NetworkPeer {
  readonly stats: PeerStats = { arp: 0, dhcp: 0, icmp: 0, dns: 0, discardFrames: 0, discardBytes: 0, other: 0, sent: 0 };
  private hostMac: Uint8Array | null = null;
  private ipId = 1;
  private flooding: { left: number; size: number; seq: number } | null = null;
  /** Wired by world.ts: puts a frame on the air toward the buddy; returns the air backlog. */
  send: (frame: Uint8Array) => number = () => 0;

  constructor(
    private readonly sched: Scheduler,
    private readonly rng: Rng,
    private readonly names: Readonly<Record<string, string>>,
    backgroundMs: number | null,
  ) {
    if (backgroundMs) this.sched.after(backgroundMs * 1e6, () => this.background(backgroundMs));
  }

  private out(frame: Uint8Array): void {
    this.stats.sent++;
    this.send(frame);
  }

  private background(periodMs: number): void {
    const arp = buildArp({ op: 1, sha: GATEWAY_MAC, spa: GATEWAY_IP, tha: new Uint8Array(6), tpa: GATEWAY_IP });
    this.out(buildEthernet(BROADCAST, GATEWAY_MAC, EtherType.arp, arp));
    const jitter = this.rng.int(-periodMs / 4, periodMs / 4);
    this.sched.after((periodMs + jitter) * 1e6, () => this.background(periodMs));
  }

  receive(frame: Uint8Array): void {
    const eth = parseEthernet(frame);
    if (!eth) return void this.stats.other++;
    if (eth.type === EtherType.arp) return this.onArp(eth.src, eth.payload);
    if (eth.type !== EtherType.ipv4) return void this.stats.other++;
    const ip = parseIpv4(eth.payload);
    if (!ip) return void this.stats.other++;
    if (ip.proto === IpProto.icmp) {
      const echo = parseIcmpEcho(ip.payload);
      if (!echo || echo.type !== 8) return void this.stats.other++;
      this.stats.icmp++;
      const reply = buildIcmpEcho({ type: 0, id: echo.id, seq: echo.seq, data: echo.data });
      return this.out(buildEthernet(eth.src, GATEWAY_MAC, EtherType.ipv4, buildIpv4({ src: ip.dst, dst: ip.src, proto: IpProto.icmp, payload: reply, id: this.ipId++ })));
    }
    if (ip.proto !== IpProto.udp) return void this.stats.other++;
    const udp = parseUdp(ip.payload);
    if (!udp) return void this.stats.other++;
    if (udp.dport === 67) return this.onDhcp(udp.payload);
    if (udp.dport === 53) return this.onDns(eth.src, ip.src, udp.sport, udp.payload);
    if (udp.dport === DISCARD_PORT) {
      this.stats.discardFrames++;
      this.stats.discardBytes += frame.length;
      return;
    }
    this.stats.other++;
  }

  private onArp(src: Uint8Array, payload: Uint8Array): void {
    const a = parseArp(payload);
    if (!a || a.op !== 1 || !sameBytes(a.tpa, GATEWAY_IP)) return void this.stats.other++;
    this.stats.arp++;
    const reply = buildArp({ op: 2, sha: GATEWAY_MAC, spa: GATEWAY_IP, tha: a.sha, tpa: a.spa });
    this.out(buildEthernet(src, GATEWAY_MAC, EtherType.arp, reply));
  }

  private onDhcp(payload: Uint8Array): void {
    const d = parseDhcp(payload);
    if (!d || d.op !== 1) return void this.stats.other++;
    this.stats.dhcp++;
    this.hostMac = d.chaddr;
    const type = d.messageType === DhcpType.discover ? DhcpType.offer : d.messageType === DhcpType.request ? DhcpType.ack : null;
    if (type === null) return;
    const reply = buildDhcp({
      op: 2, xid: d.xid, chaddr: d.chaddr, messageType: type, yiaddr: OFFERED_IP, siaddr: GATEWAY_IP, broadcast: d.broadcast,
      serverId: GATEWAY_IP, subnetMask: NETMASK, router: GATEWAY_IP, dns: GATEWAY_IP, leaseSeconds: 3600,
    });
    const dst = d.broadcast ? ipv4('255.255.255.255') : OFFERED_IP;
    const udp = buildUdp(GATEWAY_IP, dst, 67, 68, reply);
    this.out(buildEthernet(d.broadcast ? BROADCAST : d.chaddr, GATEWAY_MAC, EtherType.ipv4, buildIpv4({ src: GATEWAY_IP, dst, proto: IpProto.udp, payload: udp, id: this.ipId++ })));
  }

  private onDns(mac: Uint8Array, ip: Uint8Array, sport: number, payload: Uint8Array): void {
    const q = parseDns(payload);
    if (!q || q.response) return void this.stats.other++;
    this.stats.dns++;
    const known = this.names[q.name.toLowerCase()];
    const resp = buildDnsResponse(q.id, q.name, known ? ipv4(known) : null);
    const udp = buildUdp(GATEWAY_IP, ip, 53, sport, resp);
    this.out(buildEthernet(mac, GATEWAY_MAC, EtherType.ipv4, buildIpv4({ src: GATEWAY_IP, dst: ip, proto: IpProto.udp, payload: udp, id: this.ipId++ })));
  }

  /** Streams `frames` UDP datagrams of `size` Ethernet bytes to the host, as fast as the air allows. */
  flood(frames: number, size: number): void {
    this.flooding = { left: frames, size, seq: 0 };
    this.feed(0);
  }

  /** Called when the air toward the buddy has room: keeps one frame queued behind the one on air. */
  feed(backlog: number): void {
    const f = this.flooding;
    if (!f || !this.hostMac) return;
    let b = backlog;
    while (f.left > 0 && b < 2) {
      const data = new Uint8Array(Math.max(0, f.size - 14 - 20 - 8));
      data[0] = f.seq >> 8;
      data[1] = f.seq & 0xff;
      f.seq++;
      f.left--;
      const udp = buildUdp(GATEWAY_IP, OFFERED_IP, 5001, FLOOD_PORT, data);
      this.stats.sent++;
      b = this.send(buildEthernet(this.hostMac, GATEWAY_MAC, EtherType.ipv4, buildIpv4({ src: GATEWAY_IP, dst: OFFERED_IP, proto: IpProto.udp, payload: udp, id: this.ipId++ })));
    }
    if (f.left === 0) this.flooding = null;
  }
}
