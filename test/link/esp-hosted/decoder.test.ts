/**
 * The esp-hosted decoder on sessions built by the independent encoder: every variant's normal
 * traffic (INIT, control request/response pairs, Ethernet, HCI, fragments), then each anomaly the
 * link can show, provoked one at a time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EspHostedDecoder } from '../../../src/link/esp-hosted/decoder.ts';
import { detailTree, summaryLine } from '../../../src/link/esp-hosted/describe.ts';
import type { EspAnomalyRecord, EspFrameRecord, EspMessageRecord, EspRecord } from '../../../src/link/esp-hosted/records.ts';
import { ctrlMsg, espIdle, frame, hostIdle, MAC_HOST, privEvent, serialTlv } from './encoder.ts';
import { decodeSession, fgSession, mcuSession, ngSession, SessionBuilder } from './sessions.ts';

const shown = (rs: readonly EspRecord[]): string[] => rs.filter((r) => r.kind !== 'line').map((r) => `${r.kind} ${r.txn ?? '-'} ${summaryLine(r)}`);
const anomalies = (rs: readonly EspRecord[]): EspAnomalyRecord[] => rs.filter((r): r is EspAnomalyRecord => r.kind === 'anomaly');
const frames = (rs: readonly EspRecord[]): EspFrameRecord[] => rs.filter((r): r is EspFrameRecord => r.kind === 'frame');

describe('ESP-Hosted-FG session', () => {
  const recs = decodeSession('fg', fgSession().items);

  it('decodes every direction of every transaction, in order, with no anomaly', () => {
    assert.deepEqual(shown(recs), [
      'idle 0 host→ESP idle',
      'frame 0 ESP→host INIT ESP32-C3, 30 MHz, checksum on',
      'frame 1 host→ESP ctrl Req_GetMACAddress #1',
      'idle 1 ESP→host idle',
      'frame 2 host→ESP STA eth 42 B ARP who-has 192.168.1.1 tell 192.168.1.50',
      'frame 2 ESP→host ctrl Resp_GetMACAddress #1',
      'frame 3 host→ESP ctrl Req_GetAPScanList #2',
      'idle 3 ESP→host idle',
      'idle 4 host→ESP idle',
      'frame 4 ESP→host SERIAL 62 B fragment (more follows)',
      'idle 5 host→ESP idle',
      'frame 5 ESP→host SERIAL 62 B last fragment',
      'message 5 ESP→host ctrl Resp_GetAPScanList #2 (2 fragments)',
      'idle 6 host→ESP idle',
      'frame 6 ESP→host ctrl Event_Heartbeat',
    ]);
  });

  it('emits handshake and data-ready edges as line records', () => {
    const lines = recs.filter((r) => r.kind === 'line');
    assert.equal(lines.filter((r) => r.kind === 'line' && r.line === 'handshake').length, 14);
    assert.ok(lines.some((r) => r.kind === 'line' && r.line === 'data-ready' && r.level === 1));
  });

  it('links the response to its request and decodes the protobuf fields', () => {
    const resp = frames(recs).find((f) => f.content?.kind === 'control' && f.content.control.msgId === 201);
    assert.ok(resp && resp.content?.kind === 'control');
    assert.deepEqual(resp.link, { reqNo: 1, role: 'response', requestTxn: 1 });
    const c = resp.content.control;
    assert.equal(c.endpoint, 'ctrlResp');
    assert.equal(c.uid, 7);
    assert.equal(c.payloadType, 'CtrlMsg_Resp_GetMacAddress');
    assert.deepEqual([...(c.fields.mac as Uint8Array)], MAC_HOST);
  });

  it('reassembles the fragmented scan list and decodes its repeated entries', () => {
    const m = recs.find((r): r is EspMessageRecord => r.kind === 'message');
    assert.ok(m && m.content.kind === 'control');
    assert.deepEqual(m.txns, [4, 5]);
    const entries = m.content.control.fields.entries as { ssid: Uint8Array; chnl: number }[];
    assert.deepEqual(entries.map((e) => [new TextDecoder().decode(e.ssid), e.chnl]), [['net-0', 1], ['net-1', 2], ['net-2', 3]]);
    assert.equal(m.link?.requestTxn, 3);
  });

  it('keeps the exact wire bytes (header + payload, padding cut) and the header fields', () => {
    const f = frames(recs)[1];
    assert.equal(f.wire.length, 12 + f.header.len);
    assert.equal(f.header.seq, 1);
    assert.equal(f.header.checksumState, 'ok');
    assert.equal(f.header.iface, 'serial');
  });
});

describe('ESP-Hosted-NG session', () => {
  const recs = decodeSession('ng', ngSession().items);
  it('decodes the boot-up event, a command pair by seq_num, Ethernet and HCI', () => {
    assert.deepEqual(shown(recs), [
      'idle 0 host→ESP idle',
      'frame 0 ESP→host INIT ESP32-C3, fw NG 1.0.3.0.0, 30 MHz, checksum on',
      'frame 1 host→ESP cmd CMD_GET_MAC #1',
      'idle 1 ESP→host idle',
      'idle 2 host→ESP idle',
      'frame 2 ESP→host cmd CMD_GET_MAC success #1',
      'idle 3 host→ESP idle',
      'frame 3 ESP→host STA eth 42 B ARP announce 192.168.1.50',
      'idle 4 host→ESP idle',
      'frame 4 ESP→host HCI event 6 B',
    ]);
    const init = frames(recs)[0];
    assert.ok(init.content?.kind === 'init');
    assert.equal(init.content.init.resetReason, 1);
    const hci = frames(recs)[4];
    assert.ok(hci.content?.kind === 'hci');
    assert.deepEqual([...hci.content.packet], [0x04, 0x0e, 0x04, 0x01, 0x03, 0x0c, 0x00]);
    const resp = frames(recs)[2];
    assert.ok(resp.content?.kind === 'ng-command');
    assert.equal(resp.content.command.fields.mac, '24:0a:c4:12:34:56');
  });
});

describe('ESP-Hosted-MCU session', () => {
  const recs = decodeSession('mcu', mcuSession().items);
  it('decodes INIT TLVs, RPC pairs, events and the throttle bits of an idle header', () => {
    assert.deepEqual(shown(recs), [
      'idle 0 host→ESP idle',
      'frame 0 ESP→host INIT ESP32-C6, fw 2.12.6, checksum on',
      'frame 1 host→ESP ctrl Req_GetMACAddress #1',
      'idle 1 ESP→host idle',
      'idle 2 host→ESP idle',
      'frame 2 ESP→host ctrl Resp_GetMACAddress #1',
      'frame 3 host→ESP ctrl Req_WifiConnect #2',
      'idle 3 ESP→host idle',
      'idle 4 host→ESP idle',
      'frame 4 ESP→host ctrl Resp_WifiConnect #2',
      'idle 5 host→ESP idle',
      'frame 5 ESP→host ctrl Event_StaConnected',
      'frame 6 host→ESP STA eth 42 B ARP who-has 192.168.1.1 tell 192.168.1.50',
      'idle 6 ESP→host idle throttle on',
    ]);
    const init = frames(recs)[0];
    assert.ok(init.content?.kind === 'init');
    assert.deepEqual([init.content.init.rxQueueSize, init.content.init.txQueueSize, init.content.init.transferSize], [20, 20, 1600]);
    assert.deepEqual(init.content.init.extCapabilityNames, ['wlan', 'bt-over-transport']);
    const ev = frames(recs)[5];
    assert.ok(ev.content?.kind === 'control');
    const sc = ev.content.control.fields.sta_connected as { channel: number; ssid: Uint8Array };
    assert.equal(sc.channel, 6);
    assert.equal(new TextDecoder().decode(sc.ssid), 'buddy-lab');
  });
});

describe('anomalies', () => {
  const S = 64;
  const initFg = (checksumOn: boolean): Uint8Array => frame('fg', { ifType: 4, payload: privEvent(0, [[0, [checksumOn ? 0xe0 : 0x60]]]), size: S });
  const serial = (seq: number, msgId = 302, flags = 0): Uint8Array =>
    frame('fg', { ifType: 2, seq, flags, payload: serialTlv('ctrlEvnt', ctrlMsg({ msg_type: 3, msg_id: msgId, event_heartbeat: { hb_num: seq } })), size: S });
  const run = (build: (b: SessionBuilder) => void): EspRecord[] => {
    const b = new SessionBuilder('fg', S);
    build(b);
    return decodeSession('fg', b.items);
  };

  it('checksum mismatch: the frame stays, flagged, with the checksum field offset', () => {
    const bad = serial(1);
    bad[20] ^= 0x01;
    const recs = run((b) => b.exchange(hostIdle(S), initFg(true)).exchange(hostIdle(S), bad));
    const a = anomalies(recs);
    assert.deepEqual(a.map((x) => [x.code, x.txn, x.dir, x.offset]), [['checksum-mismatch', 1, 'buddy-to-cpu', 6]]);
    const f = frames(recs)[1];
    assert.equal(f.header.checksumState, 'bad');
    assert.equal(f.content, undefined);
  });

  it('a zero checksum is "not used" until INIT announces checksums, then a mismatch', () => {
    const unsummed = frame('fg', { ifType: 2, seq: 1, checksum: 'none', payload: serialTlv('ctrlEvnt', ctrlMsg({ msg_type: 3, msg_id: 302 })), size: S });
    const off = run((b) => b.exchange(hostIdle(S), initFg(false)).exchange(hostIdle(S), unsummed));
    assert.deepEqual(anomalies(off), []);
    assert.equal(frames(off)[1].header.checksumState, 'unused');
    const on = run((b) => b.exchange(hostIdle(S), initFg(true)).exchange(hostIdle(S), unsummed));
    assert.deepEqual(anomalies(on).map((x) => x.code), ['checksum-mismatch']);
  });

  it('handshake low at a transaction start', () => {
    const recs = run((b) => b.exchange(hostIdle(S), initFg(true)).exchange(serial(1), espIdle('fg', S), { handshake: false }));
    assert.deepEqual(anomalies(recs).map((x) => [x.code, x.txn]), [['handshake-low', 1]]);
  });

  it('data-ready raised and dropped with no frame clocked', () => {
    const recs = run((b) => b.exchange(hostIdle(S), initFg(true), { dataReadyBlip: true }));
    assert.deepEqual(anomalies(recs).map((x) => x.code), ['data-ready-no-frame']);
  });

  it('a second INIT is an ESP reset, and sequence numbers restart without a gap', () => {
    const recs = run((b) => b.exchange(hostIdle(S), initFg(true)).exchange(hostIdle(S), serial(1)).exchange(hostIdle(S), serial(2))
      .exchange(hostIdle(S), initFg(true)).exchange(hostIdle(S), serial(1)));
    assert.deepEqual(anomalies(recs).map((x) => [x.code, x.txn]), [['esp-reset', 3]]);
  });

  it('a sequence gap counts the missing frames', () => {
    const recs = run((b) => b.exchange(hostIdle(S), serial(1)).exchange(hostIdle(S), serial(4)));
    assert.deepEqual(anomalies(recs).map((x) => [x.code, x.count, x.offset]), [['sequence-gap', 2, 8]]);
  });

  it('a broken fragment chain: corrupt middle fragment, and a chain open at the end of the capture', () => {
    const bad = serial(2);
    bad[30] ^= 0xff;
    const mid = run((b) => b.exchange(hostIdle(S), serial(1, 302, 1)).exchange(hostIdle(S), bad));
    assert.deepEqual(anomalies(mid).map((x) => x.code), ['checksum-mismatch', 'fragment-chain-broken']);
    const end = run((b) => b.exchange(hostIdle(S), serial(1, 302, 1)));
    assert.deepEqual(anomalies(end).map((x) => [x.code, x.txn]), [['fragment-chain-broken', 0]]);
  });

  it('header faults: offset outside the valid range, length past the buffer, unknown interface, short transaction', () => {
    const p = Uint8Array.of(1, 2, 3);
    const dec = new EspHostedDecoder('fg');
    const out = [
      ...dec.transaction({ txn: 0, startNs: 0, endNs: 1, mosi: frame('fg', { ifType: 0, payload: p, offset: 20, size: S }), miso: espIdle('fg', S) }),
      ...dec.transaction({ txn: 1, startNs: 2, endNs: 3, mosi: frame('fg', { ifType: 0, payload: p, lenOverride: 60, size: S }), miso: espIdle('fg', S) }),
      ...dec.transaction({ txn: 2, startNs: 4, endNs: 5, mosi: frame('fg', { ifType: 9, payload: p, size: S }), miso: espIdle('fg', S) }),
      ...dec.transaction({ txn: 3, startNs: 6, endNs: 7, mosi: Uint8Array.of(1, 2, 3), miso: Uint8Array.of(0, 0, 0) }),
    ];
    assert.deepEqual(anomalies(out).map((x) => [x.code, x.txn, x.offset]), [
      ['offset-out-of-range', 0, 4], ['length-past-buffer', 1, 2], ['unknown-interface', 2, 0], ['short-transaction', 3, 0], ['short-transaction', 3, 0],
    ]);
    assert.match(anomalies(out)[1].detail, /len 60 at offset 12 ends at byte 72, past the 64-byte transaction/);
  });

  it('an undecodable control message is bad-control at its byte offset, with the raw bytes kept', () => {
    const recs = run((b) => b.exchange(frame('fg', { ifType: 2, seq: 1, payload: Uint8Array.of(1, 0x40, 0, 0x41), size: S }), espIdle('fg', S)));
    const a = anomalies(recs);
    assert.deepEqual(a.map((x) => [x.code, x.offset]), [['bad-control', 12]]);
    assert.equal(frames(recs)[0].content?.kind, 'raw');
  });

  it('MCU flags and power-save bits are named in the detail tree', () => {
    const dec = new EspHostedDecoder('mcu');
    const [f] = dec.transaction({ txn: 0, startNs: 0, endNs: 1, mosi: frame('mcu', { ifType: 1, flags: 0x06, payload: Uint8Array.of(1), size: S }), miso: espIdle('mcu', S) });
    const header = detailTree(f).find((n) => n.label === 'header');
    assert.equal(header?.children?.find((n) => n.label === 'flags')?.value, '0x06 (wakeup, ps-started)');
  });
});
