import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inetChecksum, buildIpv4, parseIpv4, ipv4, buildUdp, parseUdp } from '../../src/sim/net/ip.ts';
import { buildDhcp, parseDhcp, DhcpType } from '../../src/sim/net/dhcp.ts';
import { buildDnsQuery, buildDnsResponse, parseDns } from '../../src/sim/net/dns.ts';
import { loadScenario } from '../../src/sim/scenario.ts';
import { runScenario } from '../../src/sim/run.ts';
import { decodeFrame } from '../../src/protocol/frame.ts';
import { Channel } from '../../src/protocol/constants.ts';

test('IPv4 header checksum matches the textbook example', () => {
  // 4500 0073 0000 4000 4011 [b861] c0a8 0001 c0a8 00c7
  const h = new Uint8Array([0x45, 0, 0, 0x73, 0, 0, 0x40, 0, 0x40, 0x11, 0, 0, 0xc0, 0xa8, 0, 1, 0xc0, 0xa8, 0, 0xc7]);
  assert.equal(inetChecksum(h), 0xb861);
  const built = buildIpv4({ src: ipv4('192.168.0.1'), dst: ipv4('192.168.0.199'), proto: 17, payload: new Uint8Array(0x73 - 20), id: 0 });
  assert.deepEqual([built[10], built[11]], [0xb8, 0x61]);
  assert.ok(parseIpv4(built));
  built[15] ^= 1;
  assert.equal(parseIpv4(built), null);
});

test('UDP, DHCP and DNS round-trip through their parsers', () => {
  const u = buildUdp(ipv4('10.0.0.2'), ipv4('10.0.0.1'), 40000, 53, new Uint8Array([1, 2, 3]));
  assert.deepEqual(parseUdp(u), { sport: 40000, dport: 53, payload: new Uint8Array([1, 2, 3]) });
  const d = parseDhcp(buildDhcp({ op: 2, xid: 0xdeadbeef, chaddr: new Uint8Array([2, 0, 0, 0, 0, 1]), messageType: DhcpType.ack, yiaddr: ipv4('10.0.0.2'), router: ipv4('10.0.0.1'), leaseSeconds: 3600 }));
  assert.ok(d);
  assert.equal(d.xid, 0xdeadbeef);
  assert.equal(d.messageType, DhcpType.ack);
  assert.deepEqual(d.router, ipv4('10.0.0.1'));
  assert.equal(d.leaseSeconds, 3600);
  const q = parseDns(buildDnsQuery(0x1234, 'buddy.mnemos.dev'));
  assert.ok(q && !q.response && q.name === 'buddy.mnemos.dev');
  const r = parseDns(buildDnsResponse(0x1234, 'buddy.mnemos.dev', ipv4('10.0.0.7')));
  assert.ok(r && r.response && r.rcode === 0);
  assert.deepEqual(r.answers, [ipv4('10.0.0.7')]);
  assert.equal(parseDns(buildDnsResponse(1, 'nope.example', null))?.rcode, 3);
});

/** A classic libpcap file (linktype 1, Ethernet): written here, independent of src/pcapng. */
function pcap(frames: { ns: number; data: Uint8Array }[]): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(1, 20);
  const parts = [head];
  for (const f of frames) {
    const rec = Buffer.alloc(16);
    rec.writeUInt32LE(Math.floor(f.ns / 1e9), 0);
    rec.writeUInt32LE(Math.floor((f.ns % 1e9) / 1e3), 4);
    rec.writeUInt32LE(f.data.length, 8);
    rec.writeUInt32LE(f.data.length, 12);
    parts.push(rec, Buffer.from(f.data));
  }
  return Buffer.concat(parts);
}

const hasTshark = spawnSync('tshark', ['--version']).status === 0;

test('the demo\'s Ethernet frames decode in tshark as ARP, DHCP, ICMP and DNS, none malformed', { skip: hasTshark ? false : 'tshark not installed' }, async () => {
  const run = runScenario(loadScenario(join(import.meta.dirname, '../../captures/scenarios/demo.json')));
  const frames: { ns: number; data: Uint8Array }[] = [];
  for await (const batch of run.records) {
    for (const r of batch) {
      if (r.kind !== 'txn') continue;
      for (const side of [r.mosi, r.miso]) {
        const f = decodeFrame(side);
        if (f.ok && f.value.header.channel === Channel.ethernet) frames.push({ ns: r.startNs, data: f.value.payload });
      }
    }
  }
  await run.done;
  const file = join(mkdtempSync(join(tmpdir(), 'sim-')), 'demo-eth.pcap');
  writeFileSync(file, pcap(frames));
  const out = execFileSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.protocols', '-e', '_ws.malformed', '-e', 'dhcp.option.dhcp', '-e', 'dns.a', '-e', 'icmp.type'], { encoding: 'utf8' });
  const lines = out.trim().split('\n');
  assert.equal(lines.length, frames.length);
  const protos = lines.map((l) => l.split('\t')[0]);
  assert.ok(protos.some((p) => p.endsWith(':arp')), 'no ARP');
  assert.ok(protos.some((p) => /:udp:dhcp$/.test(p)), 'no DHCP');
  assert.ok(protos.some((p) => p.endsWith(':icmp:data')), 'no ICMP');
  assert.ok(protos.some((p) => p.endsWith(':udp:dns')), 'no DNS');
  assert.ok(lines.every((l) => l.split('\t')[1] === ''), 'a frame is malformed');
  const dhcpTypes = lines.map((l) => l.split('\t')[2]).filter(Boolean);
  assert.deepEqual(dhcpTypes, ['1', '2', '3', '5']);
  assert.ok(lines.some((l) => l.split('\t')[3] === '10.0.0.7'));
  // tshark also checks the IP header checksums when asked.
  const bad = execFileSync('tshark', ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'udp.check_checksum:TRUE', '-Y', 'ip.checksum.status == 0 || udp.checksum.status == 0'], { encoding: 'utf8' });
  assert.equal(bad.trim(), '');
});
