/**
 * esp-hosted sessions for the tests, built with the independent encoder (encoder.ts) and the GPIO
 * rules of the slave drivers: handshake rises before each transaction and falls just after CS
 * asserts; data-ready rises when the ESP queues a frame and falls after the transaction that took
 * the last one. One session per variant, plus hooks to break the rules.
 */
import { EspHostedDecoder } from '../../../src/link/esp-hosted/decoder.ts';
import type { EspRecord } from '../../../src/link/esp-hosted/records.ts';
import type { RenderItem } from '../../../src/spi/render.ts';
import { spiModeOf, VARIANTS } from '../../../src/link/esp-hosted/variants.ts';
import {
  arpWhoHas, ctrlMsg, espIdle, frame, hostIdle, MAC_AP, MAC_HOST, ngBootup, ngCommand, privEvent, rpcMsg, serialTlv, type Variant,
} from './encoder.ts';

export type SessionItem =
  | { readonly kind: 'txn'; readonly txn: number; readonly startNs: number; readonly endNs: number; readonly mosi: Uint8Array; readonly miso: Uint8Array }
  | { readonly kind: 'line'; readonly line: 'handshake' | 'data-ready'; readonly level: 0 | 1; readonly timeNs: number };

export const BIT_NS = 100; // 10 MHz SPI clock

export class SessionBuilder {
  readonly items: SessionItem[] = [];
  private t = 20_000;
  private txn = 0;
  private dataReady: 0 | 1 = 0;

  constructor(readonly variant: Variant, readonly size: number) {}

  private lineAt(line: 'handshake' | 'data-ready', level: 0 | 1, timeNs: number): void {
    this.items.push({ kind: 'line', line, level, timeNs });
  }

  /** One transaction; `espHasMore`: the ESP still has frames queued after this one. */
  exchange(mosi: Uint8Array, miso: Uint8Array, o: { handshake?: boolean; espHasMore?: boolean; dataReadyBlip?: boolean } = {}): this {
    const lenAt = this.variant === 'ng' ? 4 : 2;
    const espSends = (miso[lenAt] | miso[lenAt + 1]) !== 0;
    if (espSends && this.dataReady === 0) {
      this.lineAt('data-ready', 1, this.t);
      this.dataReady = 1;
    }
    if (o.handshake !== false) this.lineAt('handshake', 1, this.t + 2_000);
    const start = this.t + 5_000;
    const end = start + BIT_NS + this.size * 8 * BIT_NS + BIT_NS;
    this.items.push({ kind: 'txn', txn: this.txn++, startNs: start, endNs: end, mosi, miso });
    if (o.handshake !== false) this.lineAt('handshake', 0, start + 1_000);
    if (this.dataReady === 1 && !o.espHasMore) {
      this.lineAt('data-ready', 0, end + 3_000);
      this.dataReady = 0;
    }
    this.t = end + 10_000;
    if (o.dataReadyBlip) {
      this.lineAt('data-ready', 1, this.t);
      this.lineAt('data-ready', 0, this.t + 4_000);
      this.t += 10_000;
    }
    return this;
  }

  hostIdle(): Uint8Array {
    return hostIdle(this.size);
  }

  espIdle(throttle = 0): Uint8Array {
    return espIdle(this.variant, this.size, throttle);
  }
}

export function decodeSession(variant: Variant, items: readonly SessionItem[]): EspRecord[] {
  const dec = new EspHostedDecoder(variant);
  const out: EspRecord[] = [];
  for (const it of items) out.push(...(it.kind === 'line' ? dec.line(it) : dec.transaction(it)));
  out.push(...dec.finish());
  return out;
}

const ip = (s: string): number[] => s.split('.').map(Number);
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** FG: INIT, Req/Resp_GetMACAddress, ARP out, a fragmented scan-list response, heartbeat event. */
export function fgSession(size = 1600, extra: (b: SessionBuilder) => void = () => {}): SessionBuilder {
  const b = new SessionBuilder('fg', size);
  const init = privEvent(0x00, [[2, [0x05]], [1, [30]], [0, [0xe0]], [3, [0]]]);
  b.exchange(b.hostIdle(), frame('fg', { ifType: 4, lastByte: 0x00, payload: init, size }));
  const req = serialTlv('ctrlResp', ctrlMsg({ msg_type: 1, msg_id: 101, uid: 7, req_get_mac_address: { mode: 1 } }));
  b.exchange(frame('fg', { ifType: 2, seq: 1, payload: req, size }), b.espIdle());
  const resp = serialTlv('ctrlResp', ctrlMsg({ msg_type: 2, msg_id: 201, uid: 7, resp_get_mac_address: { mac: Uint8Array.from(MAC_HOST), resp: 0 } }));
  b.exchange(frame('fg', { ifType: 0, seq: 2, payload: arpWhoHas(ip('192.168.1.1')), size }), frame('fg', { ifType: 2, seq: 1, payload: resp, size }));
  const entries = Array.from({ length: 3 }, (_, i) => ({ ssid: text(`net-${i}`), chnl: 1 + i, rssi: -40 - i, bssid: Uint8Array.from(MAC_AP), sec_prot: 3 }));
  const scan = serialTlv('ctrlResp', ctrlMsg({ msg_type: 2, msg_id: 205, uid: 0, resp_scan_ap_list: { count: 3, entries, resp: 0 } }));
  const cut = Math.ceil(scan.length / 2);
  b.exchange(frame('fg', { ifType: 2, seq: 3, payload: serialTlv('ctrlResp', ctrlMsg({ msg_type: 1, msg_id: 105, uid: 0, req_scan_ap_list: {} })), size }), b.espIdle());
  b.exchange(b.hostIdle(), frame('fg', { ifType: 2, seq: 2, flags: 1, payload: scan.subarray(0, cut), size }), { espHasMore: true });
  b.exchange(b.hostIdle(), frame('fg', { ifType: 2, seq: 3, payload: scan.subarray(cut), size }));
  b.exchange(b.hostIdle(), frame('fg', { ifType: 2, seq: 4, payload: serialTlv('ctrlEvnt', ctrlMsg({ msg_type: 3, msg_id: 302, uid: 0, event_heartbeat: { hb_num: 5 } })), size }));
  extra(b);
  return b;
}

/** NG: boot-up event, CMD_GET_MAC request/response, ARP in, an HCI event. */
export function ngSession(size = 1600): SessionBuilder {
  const b = new SessionBuilder('ng', size);
  const fw = [0x4e, 0x47, 0x00, 1, 0, 3, 0, 0, 1, 0, 0, 0]; // "NG" 1.0.3.0.0, reset reason 1
  b.exchange(b.hostIdle(), frame('ng', { ifType: 3, payload: ngBootup([[3, [0x05]], [2, [30]], [0, [0x80]], [1, fw]]), size }));
  b.exchange(frame('ng', { ifType: 0, packetType: 1, payload: ngCommand(3, 0, 11), size }), b.espIdle());
  b.exchange(b.hostIdle(), frame('ng', { ifType: 0, packetType: 2, payload: ngCommand(3, 2, 11, [...MAC_HOST, 0, 0]), size }));
  b.exchange(b.hostIdle(), frame('ng', { ifType: 0, packetType: 0, payload: arpWhoHas(ip('192.168.1.50')), size }));
  b.exchange(b.hostIdle(), frame('ng', { ifType: 2, lastByte: 4, payload: Uint8Array.from([0x0e, 0x04, 0x01, 0x03, 0x0c, 0x00]), size }));
  return b;
}

/** MCU: INIT, Req/Resp_GetMACAddress, Req/Resp_WifiConnect, Event_StaConnected, throttle on an idle. */
export function mcuSession(size = 1600): SessionBuilder {
  const b = new SessionBuilder('mcu', size);
  const init = privEvent(0x22, [[0x12, [0x0d]], [0x11, [0xe8]], [0x16, [0x30, 0, 0, 0]], [0x13, [0]], [0x14, [20]], [0x15, [20]], [0x17, [6, 12, 2, 0]], [0x19, [0x40, 0x06, 0, 0]]]);
  b.exchange(b.hostIdle(), frame('mcu', { ifType: 5, lastByte: 0x33, payload: init, size }));
  b.exchange(frame('mcu', { ifType: 3, seq: 1, payload: serialTlv('RPCRsp', rpcMsg({ msg_type: 1, msg_id: 257, uid: 1, req_get_mac_address: { mode: 1 } })), size }), b.espIdle());
  b.exchange(b.hostIdle(), frame('mcu', { ifType: 3, seq: 1, payload: serialTlv('RPCRsp', rpcMsg({ msg_type: 2, msg_id: 513, uid: 1, resp_get_mac_address: { mac: Uint8Array.from(MAC_HOST), resp: 0 } })), size }));
  b.exchange(frame('mcu', { ifType: 3, seq: 2, payload: serialTlv('RPCRsp', rpcMsg({ msg_type: 1, msg_id: 282, uid: 2, req_wifi_connect: {} })), size }), b.espIdle());
  b.exchange(b.hostIdle(), frame('mcu', { ifType: 3, seq: 2, payload: serialTlv('RPCRsp', rpcMsg({ msg_type: 2, msg_id: 538, uid: 2, resp_wifi_connect: { resp: 0 } })), size }), { espHasMore: true });
  const conn = { resp: 0, sta_connected: { ssid: text('buddy-lab'), ssid_len: 9, bssid: Uint8Array.from(MAC_AP), channel: 6, authmode: 3, aid: 1 } };
  b.exchange(b.hostIdle(), frame('mcu', { ifType: 3, seq: 3, payload: serialTlv('RPCEvt', rpcMsg({ msg_type: 3, msg_id: 775, uid: 0, event_sta_connected: conn })), size }));
  b.exchange(frame('mcu', { ifType: 1, seq: 3, payload: arpWhoHas(ip('192.168.1.1')), size }), b.espIdle(1));
  return b;
}

export const SESSIONS: Record<Variant, (size?: number) => SessionBuilder> = { fg: fgSession, ng: ngSession, mcu: mcuSession };

/** A session as the renderer's items, in the variant's SPI mode; handshake on READY, data-ready on IRQ. */
export function renderItems(items: readonly SessionItem[], variant: Variant): RenderItem[] {
  const mode = spiModeOf(VARIANTS[variant]);
  return items.map((it): RenderItem => it.kind === 'txn'
    ? { kind: 'txn', startNs: it.startNs, mosi: it.mosi, miso: it.miso, mode, bitHz: 1e9 / BIT_NS, endNs: it.endNs }
    : { kind: 'line', line: it.line === 'handshake' ? 'ready' : 'irq', timeNs: it.timeNs, level: it.level });
}

/** The channel names an esp-hosted user gives (the renderer's READY and IRQ are its handshake and data-ready). */
export const ESP_CHANNELS = ['SCLK', 'MOSI', 'MISO', 'CS', 'HANDSHAKE', 'DATA_READY', 'RESET'] as const;

