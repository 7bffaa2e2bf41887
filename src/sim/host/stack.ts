/**
 * A tiny host network stack on the CPU side of the driver, enough for a scenario to run a real
 * sequence: DHCP (discover/offer/request/ack), ARP for the gateway, ICMP echo, DNS A lookups, and
 * UDP floods. Frames go through `driver.sendEthernet`; replies are matched by predicates with a
 * timeout in virtual time.
 *
 * Example: const ip = await stack.dhcp(); const rtt = await stack.ping(GATEWAY_IP, 1);
 */
import { DhcpType, buildDhcp, parseDhcp } from '../net/dhcp.ts';
import { buildDnsQuery, parseDns } from '../net/dns.ts';
import { sameBytes } from '../../protocol/bytes.ts';
import { BROADCAST, EtherType, buildArp, buildEthernet, parseArp, parseEthernet } from '../net/ethernet.ts';
import { IpProto, buildIcmpEcho, buildIpv4, buildUdp, ipv4, parseIcmpEcho, parseIpv4, parseUdp } from '../net/ip.ts';
import type { Driver } from '../driver/driver.ts';
import type { Scheduler } from '../scheduler.ts';
import { DISCARD_PORT, FLOOD_PORT } from '../world/peer.ts';

const ZERO_IP = new Uint8Array(4);

interface Waiter {
  match: (frame: Uint8Array) => boolean;
  resolve: (frame: Uint8Array | null) => void;
  done: boolean;
}

export interface HostStats {
  rxFrames: number;
  floodRxFrames: number;
  floodRxBytes: number;
  pingsSent: number;
  pingsAnswered: number;
}

export class HostStack {
  ip: Uint8Array = ZERO_IP;
  router: Uint8Array | null = null;
  dns: Uint8Array | null = null;
  private gatewayMac: Uint8Array | null = null;
  private waiters: Waiter[] = [];
  private ipId = 1;
  private xid = 0x5eed0000;
  readonly stats: HostStats = { rxFrames: 0, floodRxFrames: 0, floodRxBytes: 0, pingsSent: 0, pingsAnswered: 0 };

  constructor(private readonly sched: Scheduler, private readonly driver: Driver) {
    driver.onEthernet = (f) => this.receive(f);
  }

  private get mac(): Uint8Array {
    return this.driver.boot?.mac ?? new Uint8Array(6);
  }

  private receive(frame: Uint8Array): void {
    this.stats.rxFrames++;
    const eth = parseEthernet(frame);
    if (eth && eth.type === EtherType.ipv4) {
      const ip = parseIpv4(eth.payload);
      const udp = ip && ip.proto === IpProto.udp ? parseUdp(ip.payload) : null;
      if (udp && udp.dport === FLOOD_PORT) {
        this.stats.floodRxFrames++;
        this.stats.floodRxBytes += frame.length;
        return;
      }
    }
    for (const w of this.waiters) {
      if (w.done || !w.match(frame)) continue;
      w.done = true;
      this.sched.wake();
      w.resolve(frame);
      break;
    }
    this.waiters = this.waiters.filter((w) => !w.done);
  }

  private expect(match: (frame: Uint8Array) => boolean, timeoutNs: number): Promise<Uint8Array | null> {
    return new Promise((resolve) => {
      const w: Waiter = { match, resolve, done: false };
      this.waiters.push(w);
      this.sched.after(timeoutNs, () => {
        if (w.done) return;
        w.done = true;
        this.sched.wake();
        resolve(null);
      });
    });
  }

  /** Queues a frame, waiting for host-queue space if needed. */
  async send(frame: Uint8Array): Promise<void> {
    while (!this.driver.sendEthernet(frame)) await this.driver.txSpace();
  }

  private udpFrame(dstMac: Uint8Array, dst: Uint8Array, sport: number, dport: number, payload: Uint8Array): Uint8Array {
    const udp = buildUdp(this.ip, dst, sport, dport, payload);
    return buildEthernet(dstMac, this.mac, EtherType.ipv4, buildIpv4({ src: this.ip, dst, proto: IpProto.udp, payload: udp, id: this.ipId++ }));
  }

  /** DHCP: discover -> offer -> request -> ack. Resolves the leased address or null. */
  async dhcp(tries = 5): Promise<Uint8Array | null> {
    for (let attempt = 0; attempt < tries; attempt++) {
      const xid = this.xid++;
      const isReply = (type: number) => (f: Uint8Array): boolean => {
        const d = dhcpOf(f);
        return d !== null && d.xid === xid && d.messageType === type;
      };
      const bcast = ipv4('255.255.255.255');
      const discover = buildDhcp({ op: 1, xid, chaddr: this.mac, messageType: DhcpType.discover, broadcast: true });
      const offerP = this.expect(isReply(DhcpType.offer), 2e9);
      await this.send(this.udpFrame(BROADCAST, bcast, 68, 67, discover));
      const offer = dhcpOf(await offerP);
      if (!offer || !offer.serverId) continue;
      const request = buildDhcp({ op: 1, xid, chaddr: this.mac, messageType: DhcpType.request, broadcast: true, requestedIp: offer.yiaddr, serverId: offer.serverId });
      const ackP = this.expect(isReply(DhcpType.ack), 2e9);
      await this.send(this.udpFrame(BROADCAST, bcast, 68, 67, request));
      const ack = dhcpOf(await ackP);
      if (!ack) continue;
      this.ip = ack.yiaddr;
      this.router = ack.router ?? null;
      this.dns = ack.dns ?? null;
      return this.ip;
    }
    return null;
  }

  /** ARP for an address on the link; caches the gateway's MAC. */
  async arp(target: Uint8Array, timeoutNs = 1e9): Promise<Uint8Array | null> {
    if (this.gatewayMac && this.router && sameBytes(target, this.router)) return this.gatewayMac;
    const req = buildArp({ op: 1, sha: this.mac, spa: this.ip, tha: new Uint8Array(6), tpa: target });
    const p = this.expect((f) => {
      const e = parseEthernet(f);
      const a = e && e.type === EtherType.arp ? parseArp(e.payload) : null;
      return a !== null && a.op === 2 && sameBytes(a.spa, target);
    }, timeoutNs);
    await this.send(buildEthernet(BROADCAST, this.mac, EtherType.arp, req));
    const f = await p;
    if (!f) return null;
    const mac = f.slice(6, 12);
    if (this.router && sameBytes(target, this.router)) this.gatewayMac = mac;
    return mac;
  }

  private async nextHop(): Promise<Uint8Array | null> {
    return this.router ? this.arp(this.router) : null;
  }

  /** ICMP echo; resolves the round-trip time in ns or null on timeout. */
  async ping(dst: Uint8Array, seq: number, timeoutNs = 1e9): Promise<number | null> {
    const mac = await this.nextHop();
    if (!mac) return null;
    const data = new Uint8Array(32).map((_, i) => i);
    const icmp = buildIcmpEcho({ type: 8, id: 0x4242, seq, data });
    const p = this.expect((f) => {
      const e = parseEthernet(f);
      const ip = e && e.type === EtherType.ipv4 ? parseIpv4(e.payload) : null;
      const echo = ip && ip.proto === IpProto.icmp ? parseIcmpEcho(ip.payload) : null;
      return echo !== null && echo.type === 0 && echo.seq === seq && echo.id === 0x4242;
    }, timeoutNs);
    const t0 = this.sched.now;
    this.stats.pingsSent++;
    await this.send(buildEthernet(mac, this.mac, EtherType.ipv4, buildIpv4({ src: this.ip, dst, proto: IpProto.icmp, payload: icmp, id: this.ipId++ })));
    const r = await p;
    if (!r) return null;
    this.stats.pingsAnswered++;
    return this.sched.now - t0;
  }

  /** DNS A lookup through the leased DNS server; resolves the address or null (NXDOMAIN/timeout). */
  async resolve(name: string, timeoutNs = 1e9): Promise<Uint8Array | null> {
    const mac = await this.nextHop();
    if (!mac || !this.dns) return null;
    const id = (this.ipId * 7919) & 0xffff;
    const sport = 40000 + (id % 20000);
    const p = this.expect((f) => {
      const d = udpPayloadFrom(f, 53, sport);
      const m = d ? parseDns(d) : null;
      return m !== null && m.response && m.id === id;
    }, timeoutNs);
    await this.send(this.udpFrame(mac, this.dns, sport, 53, buildDnsQuery(id, name)));
    const f = await p;
    const d = f ? udpPayloadFrom(f, 53, sport) : null;
    const m = d ? parseDns(d) : null;
    return m && m.rcode === 0 && m.answers.length ? m.answers[0] : null;
  }

  /** Sends `frames` UDP datagrams of `size` Ethernet bytes to the gateway's discard port. */
  async floodTx(frames: number, size: number): Promise<void> {
    const mac = await this.nextHop();
    if (!mac || !this.router) return;
    const payload = new Uint8Array(Math.max(0, size - 14 - 20 - 8));
    for (let i = 0; i < frames; i++) {
      payload[0] = i >> 8;
      payload[1] = i & 0xff;
      await this.send(this.udpFrame(mac, this.router, 50000, DISCARD_PORT, payload));
    }
  }
}

function dhcpOf(f: Uint8Array | null): ReturnType<typeof parseDhcp> {
  const d = f ? udpPayloadFrom(f, 67, 68) : null;
  return d ? parseDhcp(d) : null;
}

function udpPayloadFrom(f: Uint8Array, sport: number, dport: number): Uint8Array | null {
  const e = parseEthernet(f);
  const ip = e && e.type === EtherType.ipv4 ? parseIpv4(e.payload) : null;
  const u = ip && ip.proto === IpProto.udp ? parseUdp(ip.payload) : null;
  return u && u.sport === sport && u.dport === dport ? u.payload : null;
}
