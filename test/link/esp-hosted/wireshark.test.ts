/**
 * wireshark/esp-hosted.lua in tshark 4.0, on a pcapng this test writes with the low-level writer:
 * one exported PDU (dissector "esp_hosted") per frame and message record of the three variant
 * sessions plus a corrupt frame. Header fields, checksum verdicts, control message names, protobuf
 * fields and request/response links must be what the TypeScript decoder says.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { NG_COMMANDS } from '../../../src/link/esp-hosted/ng-command.ts';
import { exportedPdu, ESP_HOSTED_DISSECTOR } from '../../../src/link/esp-hosted/pdu.ts';
import type { EspFrameRecord, EspMessageRecord, EspRecord } from '../../../src/link/esp-hosted/records.ts';
import { VARIANT_IDS } from '../../../src/link/esp-hosted/variants.ts';
import { DIR_INBOUND, DIR_OUTBOUND } from '../../../src/pcapng/blocks.ts';
import { LINKTYPE_WIRESHARK_UPPER_PDU, upperPduHeader } from '../../../src/pcapng/interfaces.ts';
import { PcapngWriter } from '../../../src/pcapng/writer.ts';
import { hasTool, ROOT, tempDir } from '../../cli/helpers.ts';
import { espIdle, frame, hostIdle, serialTlv, ctrlMsg } from './encoder.ts';
import { decodeSession, SESSIONS, SessionBuilder } from './sessions.ts';

const LUA = join(ROOT, 'wireshark/esp-hosted.lua');
const skip = hasTool('tshark') ? false : 'tshark not installed';
type Pdu = EspFrameRecord | EspMessageRecord;

function tshark(file: string, args: string[]): { rows: string[][]; status: number | null; stderr: string } {
  const r = spawnSync('tshark', ['-X', `lua_script:${LUA}`, '-r', file, ...args], { encoding: 'utf8' });
  const rows = r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  return { rows, status: r.status, stderr: r.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user')).join('\n') };
}

function records(): Pdu[] {
  const out: EspRecord[] = [];
  for (const v of VARIANT_IDS) out.push(...decodeSession(v, SESSIONS[v](256).items));
  const b = new SessionBuilder('fg', 256);
  const bad = frame('fg', { ifType: 2, seq: 9, payload: serialTlv('ctrlEvnt', ctrlMsg({ msg_type: 3, msg_id: 302, event_heartbeat: { hb_num: 1 } })), size: 256 });
  bad[14] ^= 0x10;
  b.exchange(hostIdle(256), bad).exchange(espIdle('fg', 256), espIdle('fg', 256));
  out.push(...decodeSession('fg', b.items));
  return out.filter((r): r is Pdu => r.kind === 'frame' || r.kind === 'message');
}

describe('wireshark/esp-hosted.lua', () => {
  it('names every NG command as src/link/esp-hosted/ng-command.ts does', () => {
    const lua = readFileSync(LUA, 'utf8');
    for (const [code, name] of Object.entries(NG_COMMANDS)) assert.match(lua, new RegExp(`\\[${code}\\] = "${name}"`), name);
  });
});

describe('tshark with esp-hosted.lua', { skip }, () => {
  const dir = tempDir('bs-esp-hosted-');
  const file = join(dir, 'esp.pcapng');
  const recs = records();

  it('writes the capture', async () => {
    const w = PcapngWriter.create(file, { force: true });
    const id = w.addInterface({ linkType: LINKTYPE_WIRESHARK_UPPER_PDU, name: 'esp-hosted' });
    await w.writePackets(recs.map((r, i) => ({
      interfaceId: id, timestamp: 1000 + i, packetId: r.txn,
      data: [upperPduHeader(ESP_HOSTED_DISSECTOR, 'ESP-HOSTED', r.dir === 'cpu-to-buddy' ? 0 : 1), exportedPdu(r)],
      flags: r.dir === 'cpu-to-buddy' ? DIR_OUTBOUND : DIR_INBOUND,
    })));
    await w.close();
  });

  it('dissects every packet without Lua errors; only the corrupt frame has an expert error', () => {
    const r = tshark(file, ['-Y', '_ws.malformed || _ws.expert.severity == "Error"', '-T', 'fields', '-e', 'frame.number', '-e', '_ws.expert.message']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const badAt = recs.findIndex((x) => x.kind === 'frame' && x.header.checksumState === 'bad') + 1;
    assert.deepEqual(r.rows.map((x) => x[0]), [String(badAt)]);
  });

  it('shows the header fields the decoder read', () => {
    const r = tshark(file, ['-T', 'fields', '-e', 'esp_hosted.variant', '-e', 'esp_hosted.if_type', '-e', 'esp_hosted.len', '-e', 'esp_hosted.seq', '-e', 'esp_hosted.checksum_ok', '-e', 'esp_hosted.reassembled']);
    assert.equal(r.status, 0, r.stderr);
    const want = recs.map((x) => x.kind === 'frame'
      ? [String(VARIANT_IDS.indexOf(x.variant)), String(x.header.ifType), String(x.header.len), x.header.seq !== undefined ? String(x.header.seq) : '', x.header.checksumState === 'bad' ? '0' : '1', '']
      : [String(VARIANT_IDS.indexOf(x.variant)), String(x.ifType), '', '', '', '1']);
    assert.deepEqual(r.rows.map((row) => [...row, '', '', '', '', '', ''].slice(0, 6)), want);
  });

  it('names control messages as the decoder does and filters on them', () => {
    const r = tshark(file, ['-Y', 'esp_hosted.ctrl.msg', '-T', 'fields', '-e', 'esp_hosted.ctrl.msg', '-e', 'esp_hosted.ctrl.uid']);
    const want = recs.flatMap((x) => (x.kind === 'frame' || x.kind === 'message') && x.content?.kind === 'control' ? [[x.content.control.name, String(x.content.control.uid)]] : []);
    assert.ok(want.length >= 8);
    assert.deepEqual(r.rows, want);
    const one = tshark(file, ['-Y', 'esp_hosted.ctrl.msg == "Resp_GetMACAddress"', '-T', 'fields', '-e', 'esp_hosted.pb.mac', '-e', 'esp_hosted.pb.resp']);
    assert.deepEqual(one.rows, [['240ac4123456', '0'], ['240ac4123456', '0']]);
    const byMac = tshark(file, ['-Y', 'esp_hosted.pb.mac == 24:0a:c4:12:34:56', '-T', 'fields', '-e', 'esp_hosted.ctrl.msg']);
    assert.deepEqual(byMac.rows, [['Resp_GetMACAddress'], ['Resp_GetMACAddress']]);
  });

  it('decodes nested and repeated protobuf fields (the reassembled scan list, MCU StaConnected)', () => {
    const ssid = tshark(file, ['-Y', 'esp_hosted.ctrl.msg == "Resp_GetAPScanList" && esp_hosted.reassembled', '-T', 'fields', '-e', 'esp_hosted.pb.chnl_uint32']);
    assert.deepEqual(ssid.rows, [['1,2,3']]);
    const ch = tshark(file, ['-Y', 'esp_hosted.ctrl.msg == "Event_StaConnected"', '-T', 'fields', '-e', 'esp_hosted.pb.channel', '-e', 'esp_hosted.pb.ssid_bytes']);
    assert.deepEqual(ch.rows, [['6', Buffer.from('buddy-lab').toString('hex')]]);
  });

  it('links requests and responses (two passes)', () => {
    const r = tshark(file, ['-2', '-Y', 'esp_hosted.ctrl.request_in || esp_hosted.ctrl.response_in', '-T', 'fields', '-e', 'frame.number', '-e', 'esp_hosted.ctrl.request_in', '-e', 'esp_hosted.ctrl.response_in']);
    const want: string[][] = [];
    recs.forEach((x, i) => {
      if (!x.link) return;
      const partner = recs.findIndex((y) => y !== x && y.link?.reqNo === x.link?.reqNo && y.variant === x.variant);
      if (partner < 0) return;
      want.push(x.link.role === 'response' ? [String(i + 1), String(partner + 1), ''] : [String(i + 1), '', String(partner + 1)]);
    });
    assert.ok(want.length >= 8);
    assert.deepEqual(r.rows.map((row) => [...row, '', ''].slice(0, 3)), want);
  });

  it('NG commands and INIT events show by name', () => {
    const r = tshark(file, ['-Y', 'esp_hosted.ng.cmd || esp_hosted.init', '-T', 'fields', '-e', 'esp_hosted.ng.cmd', '-e', 'esp_hosted.ng.seq', '-e', 'esp_hosted.init']);
    assert.deepEqual(r.rows, [['', '', '1'], ['', '', '1'], ['CMD_GET_MAC', '11', ''], ['CMD_GET_MAC', '11', ''], ['', '', '1']]);
  });
});
