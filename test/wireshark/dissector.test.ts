/**
 * Wireshark against our pcapng, for every shipped scenario: tshark reads each file without error
 * and nothing in it is malformed or an error; every Ethernet frame shows with its protocol,
 * direction and nanosecond time; with the Lua plugin every control and trace message shows its
 * name (on the packet that completes it), and display filters on buddy.* fields select exactly the
 * expected packets. Fragmented messages: reassembly.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openScenario, scenarioNames } from '../../src/pipeline/scenario-path.ts';
import { decodeLink } from '../../src/link/stream.ts';
import { createLinkStage } from '../../src/link/select.ts';
import { writeRecordsToPcapng } from '../../src/pcapng/sink.ts';
import { CONTROL_CODES } from '../../src/protocol/control-schema.ts';
import { TRACE_VARIANTS } from '../../src/protocol/trace.ts';
import { ethernetSummary } from '../../src/records/ethernet-summary.ts';
import type { BuddyRecord, FrameRecord } from '../../src/records/types.ts';
import { runScenario } from '../../src/sim/index.ts';
import { collect, tempDir } from '../cli/helpers.ts';
import { LUA, skip, tshark } from './tshark.ts';

const dir = tempDir('bs-wireshark-');

function nsText(ns: number): string {
  return `${Math.floor(ns / 1e9)}.${String(ns % 1e9).padStart(9, '0')}`;
}

/** The protocol Wireshark names for a frame, from our own one-line summary. */
function protocolOf(frame: Uint8Array): string {
  const s = ethernetSummary(frame);
  if (s.startsWith('ETH ARP')) return 'ARP';
  if (s.startsWith('mDNS')) return 'MDNS';
  return s.split(' ')[0];
}

const isEth = (r: BuddyRecord): r is FrameRecord & { message: Uint8Array } => r.kind === 'frame' && r.channel === 2 && r.message !== undefined;
const wholeControl = (r: BuddyRecord): boolean => r.kind === 'frame' && r.decoded?.kind === 'control' && r.fragments === 1;

describe('wireshark/buddyshark.lua', () => {
  it('names every control type and trace variant exactly as src/protocol does', () => {
    const lua = readFileSync(LUA, 'utf8');
    for (const [name, code] of Object.entries(CONTROL_CODES)) {
      assert.match(lua, new RegExp(`\\[0x${code.toString(16).padStart(2, '0')}\\] = "${name}"`), `${name} (0x${code.toString(16)})`);
    }
    TRACE_VARIANTS.forEach((name, i) => assert.match(lua, new RegExp(`\\[${i}\\] = "${name}"`), name));
  });
});

describe('tshark reads the pcapng of every shipped scenario', { skip }, () => {
  for (const name of scenarioNames()) {
    describe(name, () => {
      const file = join(dir, `${name}.pcapng`);
      let records: BuddyRecord[] = [];

      it('writes the capture', async () => {
        records = await collect(decodeLink(runScenario(openScenario(name)).records, createLinkStage('buddy')));
        async function* once(): AsyncGenerator<BuddyRecord[]> {
          yield records;
        }
        await writeRecordsToPcapng(once(), file, { force: true });
      });

      it('reads it with no error and nothing malformed', () => {
        const r = tshark(['-r', file, '-Y', '_ws.malformed || _ws.expert.severity >= "Error" || _ws.lua.error', '-T', 'fields', '-e', 'frame.number']);
        assert.equal(r.status, 0, r.stderr);
        assert.equal(r.stderr, '');
        assert.deepEqual(r.rows, []);
      });

      it('shows every Ethernet frame with its protocol, direction and nanosecond time (no plugin needed)', () => {
        const want = records.filter(isEth).map((f) => [nsText(f.startNs), f.dir === 'cpu-to-buddy' ? '0x00000002' : '0x00000001', protocolOf(f.message)]);
        const r = tshark(['-r', file, '-Y', 'frame.interface_name == "buddy-eth"', '-T', 'fields', '-e', 'frame.time_epoch', '-e', 'frame.packet_flags_direction', '-e', '_ws.col.Protocol'], false);
        assert.equal(r.status, 0, r.stderr);
        assert.ok(want.length > 0 || name === 'wrong-passphrase');
        assert.deepEqual(r.rows, want);
      });

      it('decodes every control and trace message with its name, on the packet that completes it (plugin)', () => {
        const r = tshark(['-r', file, '-Y', 'buddy.msg || buddy.trace', '-T', 'fields', '-e', 'frame.number', '-e', 'buddy.msg', '-e', 'buddy.trace', '-e', 'buddy.req_id']);
        const want = records.flatMap((f, i) => {
          if (f.kind !== 'frame' || f.decoded === undefined) return [];
          const d = f.decoded;
          if (d.kind === 'trace') return [[String(i + 1), '', d.event.type === 'unknown' ? String(d.event.variant) : d.event.type, '']];
          return [[String(i + 1), d.msg.type === 'unknown' ? `unknown 0x${d.msg.code.toString(16).padStart(2, '0')}` : d.msg.type, '', String(d.msg.id)]];
        });
        assert.ok(want.length > 0);
        assert.deepEqual(r.rows, want);
      });

      it('selects exactly the expected packets with display filters on buddy.* fields', () => {
        const count = (filter: string): number => tshark(['-r', file, '-Y', filter, '-T', 'fields', '-e', 'frame.number']).rows.length;
        const heartbeats = records.filter((x) => x.kind === 'frame' && wholeControl(x) && x.decoded?.kind === 'control' && x.decoded.msg.type === 'heartbeat').length;
        assert.equal(count('buddy.msg == "heartbeat"'), heartbeats);
        const controlFrames = records.filter((x) => x.kind === 'frame' && x.channel === 1).length;
        assert.equal(count('buddy.channel == 1'), controlFrames);
        const idle = records.filter((x) => x.kind === 'frame' && x.channel === 0 && x.payload.length === 0).length;
        assert.equal(count('buddy.idle'), idle);
        assert.equal(count('buddy.crc_ok == 0 || buddy.hcrc_ok == 0'), 0);
        const lost = records.filter((x) => x.kind === 'anomaly' && x.code === 'lost-frames').length;
        assert.equal(count('buddy.anomaly == "lost-frames"'), lost);
        const fromBuddy = records.filter((x) => x.kind === 'frame' && x.dir === 'buddy-to-cpu' && x.channel === 1).length;
        assert.equal(count('buddy.channel == 1 && frame.p2p_dir == 1'), fromBuddy);
      });
    });
  }
});
