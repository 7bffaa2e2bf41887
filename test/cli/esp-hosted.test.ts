/**
 * esp-hosted through the whole CLI, as a user on an ESP32 host link would run it: one session per
 * variant (built by the test's own encoder) rendered to a sigrok .sr and a VCD with the channel
 * names such a user gives (SCLK, HANDSHAKE, DATA_READY), then decode, capture, info and view with
 * --protocol auto and --mode auto. tshark reads the pcapng: Ethernet natively, control messages by
 * name with the Lua dissector. replay says it does not support the protocol.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { writeSigrokSr } from '../../src/exports/sigrok-sr.ts';
import { writeVcd } from '../../src/exports/vcd.ts';
import { spiModeOf, VARIANT_IDS, VARIANTS } from '../../src/link/esp-hosted/variants.ts';
import { renderSpi } from '../../src/spi/render.ts';
import { ESP_CHANNELS, renderItems, SESSIONS } from '../link/esp-hosted/sessions.ts';
import { cli, hasTool, tempDir } from './helpers.ts';

const SIZE = 1600;

async function* once<T>(x: T[]): AsyncGenerator<T[]> {
  yield x;
}

/** What each variant's session must show: a control message name and an Ethernet frame. */
const SHOWS: Record<(typeof VARIANT_IDS)[number], { control: string; field: string; ethertype: string }> = {
  fg: { control: 'Resp_GetMACAddress', field: 'esp_hosted.ctrl.msg', ethertype: '0x0806' },
  // NG's commands are C structs, not protobuf: their own field.
  ng: { control: 'CMD_GET_MAC', field: 'esp_hosted.ng.cmd', ethertype: '0x0806' },
  mcu: { control: 'Resp_GetMACAddress', field: 'esp_hosted.ctrl.msg', ethertype: '0x0806' },
};

interface JsonRecord {
  kind: string;
  protocol?: string;
  variant?: string;
  layer?: string;
  channel?: string;
  code?: string;
  label?: string;
  spiMode?: string | null;
  messages?: number;
}

function jsonLines(text: string): JsonRecord[] {
  return text.trim().split('\n').map((l) => JSON.parse(l) as JsonRecord);
}

for (const variant of VARIANT_IDS) {
  describe(`esp-hosted ${variant} through the CLI, auto-detected`, () => {
    const dir = tempDir(`bs-esp-${variant}-`);
    const sr = join(dir, `${variant}.sr`);
    const vcd = join(dir, `${variant}.vcd`);
    const pcap = join(dir, `${variant}.pcapng`);
    const mode = spiModeOf(VARIANTS[variant]);

    it('renders the session to .sr and VCD', async () => {
      const items = renderItems(SESSIONS[variant](SIZE).items, variant);
      for (const [path, write] of [[sr, 'sr'], [vcd, 'vcd']] as const) {
        const { info, batches } = renderSpi(once(items), { mode, ...(write === 'sr' ? { samplePeriodNs: 20 } : {}) });
        const named = { ...info, channels: ESP_CHANNELS };
        if (write === 'sr') await writeSigrokSr(named, batches, path, { samplerateHz: 50_000_000 });
        else await writeVcd(named, batches, path);
      }
    });

    it('decode picks the variant and the SPI mode, says so, and names the messages', () => {
      for (const file of [sr, vcd]) {
        const r = cli(['decode', file, '--json']);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, new RegExp(`note: .*link protocol: esp-hosted-${variant} \\(${VARIANTS[variant].title}\\), detected`));
        const recs = jsonLines(r.stdout);
        const summary = recs[recs.length - 1] as JsonRecord & { protocol: string };
        assert.equal(summary.kind, 'summary');
        assert.equal(summary.protocol, `esp-hosted-${variant}`);
        assert.match(summary.spiMode ?? '', new RegExp(`^mode ${mode.cpol * 2 + mode.cpha} \\(CPOL 1, CPHA ${mode.cpha}\\).*detected from link frames`));
        const link = recs.filter((x) => x.kind === 'link');
        assert.ok(link.length > 0 && link.every((x) => x.protocol === 'esp-hosted' && x.variant === variant));
        assert.ok(link.some((x) => x.channel === 'ethernet'), 'an Ethernet frame');
        assert.ok(link.some((x) => x.channel === 'control'), 'a control message');
        // Handshake and data-ready are named as esp-hosted names them.
        const labels = new Set(recs.filter((x) => x.kind === 'line').map((x) => x.label));
        assert.deepEqual([...labels].sort(), ['data-ready', 'handshake']);
        // A clean session: no anomaly at all.
        assert.deepEqual(recs.filter((x) => x.kind === 'anomaly').map((x) => x.code), []);
      }
      const table = cli(['decode', sr]);
      assert.equal(table.status, 0, table.stderr);
      assert.match(table.stdout, new RegExp(SHOWS[variant].control));
      assert.match(table.stdout, /HANDSHAKE (high|low)/);
      assert.match(table.stdout, /link protocol esp-hosted-/);
    });

    it('capture writes a pcapng that info and decode read back, record for record', () => {
      const c = cli(['capture', sr, '-w', pcap, '--force']);
      assert.equal(c.status, 0, c.stderr);
      const info = cli(['info', pcap, '--json']);
      assert.equal(info.status, 0, info.stderr);
      const s = JSON.parse(info.stdout) as { records: Record<string, number>; channels: Record<string, number>; badPackets: number };
      assert.equal(s.badPackets, 0);
      assert.ok((s.records.link ?? 0) > 0);
      assert.ok((s.channels.ethernet ?? 0) > 0 && (s.channels.control ?? 0) > 0);
      // The link records from the pcapng are the ones decoded from the capture (idle directions are not written).
      const fromSr = jsonLines(cli(['decode', sr, '--json']).stdout).filter((x) => x.kind === 'link' && x.layer !== 'idle');
      const fromPcap = jsonLines(cli(['decode', pcap, '--json']).stdout).filter((x) => x.kind === 'link');
      assert.deepEqual(fromPcap, fromSr);
    });

    it('tshark shows the Ethernet frames natively and, with the plugins installed, the control messages by name', { skip: hasTool('tshark') ? false : 'tshark not installed' }, () => {
      const eth = spawnSync('tshark', ['-r', pcap, '-Y', 'eth', '-T', 'fields', '-e', 'eth.type'], { encoding: 'utf8' });
      assert.equal(eth.status, 0, eth.stderr);
      assert.ok(eth.stdout.split('\n').includes(SHOWS[variant].ethertype), eth.stdout);
      // As a user does it: `buddyshark wireshark install`, then Wireshark finds the dissectors itself.
      const home = join(dir, 'home');
      const inst = cli(['wireshark', 'install', '--no-extcap'], { env: { HOME: home } });
      assert.equal(inst.status, 0, inst.stderr);
      const env = { ...process.env, HOME: home };
      const ctrl = spawnSync('tshark', ['-r', pcap, '-Y', `${SHOWS[variant].field} == "${SHOWS[variant].control}"`, '-T', 'fields', '-e', '_ws.col.Info'], { encoding: 'utf8', env });
      assert.equal(ctrl.status, 0, ctrl.stderr);
      assert.match(ctrl.stdout, new RegExp(SHOWS[variant].control));
      const malformed = spawnSync('tshark', ['-r', pcap, '-Y', '_ws.malformed || _ws.expert.severity >= "Error"'], { encoding: 'utf8', env });
      assert.equal(malformed.status, 0, malformed.stderr);
      assert.equal(malformed.stdout.trim(), '', 'no malformed packet');
    });

    it('capture --live - takes a VCD streamed on standard input, with --channels, and detects the protocol', async () => {
      // Channels named C0..C6: nothing to match by name, so --channels must reach the live source.
      const plain = join(dir, `${variant}-plain.vcd`);
      const { info, batches } = renderSpi(once(renderItems(SESSIONS[variant](SIZE).items, variant)), { mode });
      await writeVcd({ ...info, channels: ['C0', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6'] }, batches, plain);
      const out = join(dir, `${variant}-live.pcapng`);
      const r = cli(['capture', '--live', '-', '-w', out, '--channels', 'sck=0,mosi=1,miso=2,cs=3,ready=4,irq=5'], { input: readFileSync(plain, 'utf8') });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`link protocol: esp-hosted-${variant}`));
      const s = JSON.parse(cli(['info', out, '--json']).stdout) as { records: Record<string, number>; anomalies: Record<string, number> };
      assert.ok((s.records.link ?? 0) > 0, JSON.stringify(s));
      assert.deepEqual(s.anomalies, {});
    });

    it('view, not on a terminal, prints the summary naming the protocol', () => {
      const v = cli(['view', sr]);
      assert.equal(v.status, 0, v.stderr);
      assert.match(v.stdout, new RegExp(`link protocol esp-hosted-${variant}`));
    });

    it('replay says it does not support esp-hosted', () => {
      const r = cli(['replay', sr]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, new RegExp(`${VARIANTS[variant].title} is decoded, but the simulator models only the buddy link`));
      assert.doesNotMatch(r.stderr, /^\s+at /m);
    });

    it('cleans up', () => rmSync(dir, { recursive: true, force: true }));
  });
}
