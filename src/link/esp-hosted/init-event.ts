/**
 * The ESP's boot-time announcement: the first frame it queues after start-up, on the private
 * interface (FG, MCU: esp_priv_event with event type INIT) or the internal one (NG: the boot-up
 * event). Its TLVs say what firmware runs and how the link is set up; a second one in a capture
 * means the ESP restarted.
 */
import { leUint, parseTlvs, type Tlv } from './tlv.ts';
import type { VariantId } from './variants.ts';

export interface InitTlv {
  readonly tag: number;
  readonly name: string;
  readonly value: Uint8Array;
}

export interface InitInfo {
  readonly chipId?: number;
  readonly chipName?: string;
  readonly capabilities?: number;
  readonly capabilityNames: readonly string[];
  readonly extCapabilities?: number;
  readonly extCapabilityNames: readonly string[];
  readonly spiClockMhz?: number;
  readonly firmware?: string;
  readonly resetReason?: number;
  readonly rawThroughput?: number;
  readonly rxQueueSize?: number;
  readonly txQueueSize?: number;
  readonly transferSize?: number;
  /** ESP_CHECKSUM_ENABLED in the capabilities; undefined when no capability TLV came. */
  readonly checksumEnabled?: boolean;
  readonly tlvs: readonly InitTlv[];
}

export type InitResult = { readonly ok: true; readonly init: InitInfo } | { readonly ok: false; readonly detail: string; readonly offset: number };

/** ESP_CAPABILITIES (adapter.h, all variants). */
const CAPABILITY_BITS: readonly (readonly [number, string])[] = [
  [0x01, 'wlan-sdio'], [0x02, 'bt-uart'], [0x04, 'bt-sdio'], [0x08, 'ble-only'], [0x10, 'br-edr-only'],
  [0x20, 'wlan-spi'], [0x40, 'bt-spi'], [0x80, 'checksum'],
];
/** ESP_EXTENDED_CAPABILITIES (MCU esp_hosted_transport_init.h). */
const EXT_CAPABILITY_BITS: readonly (readonly [number, string])[] = [
  [0x001, 'spi-hd-2-lines'], [0x002, 'spi-hd-4-lines'], [0x004, 'spi-hd-1-line'], [0x010, 'wlan'],
  [0x020, 'bt-over-transport'], [0x040, 'openthread'], [0x100, 'wlan-uart'], [0x200, 'bt-vhci-uart'],
];
/** CONFIG_IDF_FIRMWARE_CHIP_ID values seen in the sources. */
const CHIPS: Readonly<Record<number, string>> = { 0x00: 'ESP32', 0x02: 'ESP32-S2', 0x05: 'ESP32-C3', 0x09: 'ESP32-S3', 0x0c: 'ESP32-C2', 0x0d: 'ESP32-C6' };

type Field = 'capabilities' | 'chip' | 'spiClock' | 'rawTp' | 'fwData' | 'rxQ' | 'txQ' | 'extCaps' | 'fwVersion' | 'sdioMode' | 'transferSize';

/** Tag sets: FG's esp_priv_event (legacy values), NG's boot-up TLVs, MCU's esp_priv_event. */
const TAGS: Readonly<Record<'fg' | 'ng' | 'mcu', Readonly<Record<number, readonly [Field, string]>>>> = {
  fg: { 0: ['capabilities', 'ESP_PRIV_CAPABILITY'], 1: ['spiClock', 'ESP_PRIV_SPI_CLK_MHZ'], 2: ['chip', 'ESP_PRIV_FIRMWARE_CHIP_ID'], 3: ['rawTp', 'ESP_PRIV_TEST_RAW_TP'], 4: ['fwData', 'ESP_PRIV_FW_DATA'] },
  ng: { 0: ['capabilities', 'ESP_BOOTUP_CAPABILITY'], 1: ['fwData', 'ESP_BOOTUP_FW_DATA'], 2: ['spiClock', 'ESP_BOOTUP_SPI_CLK_MHZ'], 3: ['chip', 'ESP_BOOTUP_FIRMWARE_CHIP_ID'], 4: ['rawTp', 'ESP_BOOTUP_TEST_RAW_TP'] },
  mcu: {
    0x11: ['capabilities', 'ESP_PRIV_CAPABILITY'], 0x12: ['chip', 'ESP_PRIV_FIRMWARE_CHIP_ID'], 0x13: ['rawTp', 'ESP_PRIV_TEST_RAW_TP'],
    0x14: ['rxQ', 'ESP_PRIV_RX_Q_SIZE'], 0x15: ['txQ', 'ESP_PRIV_TX_Q_SIZE'], 0x16: ['extCaps', 'ESP_PRIV_CAP_EXT'],
    0x17: ['fwVersion', 'ESP_PRIV_FIRMWARE_VERSION'], 0x18: ['sdioMode', 'ESP_PRIV_TRANS_SDIO_MODE'], 0x19: ['transferSize', 'ESP_PRIV_TRANSFER_SIZE'],
  },
};

/** priv_pkt_type ESP_PACKET_TYPE_EVENT and event type ESP_PRIV_EVENT_INIT: MCU's values, FG's legacy ones. */
export const PRIV_EVENT = { mcu: { pkt: 0x33, init: 0x22 }, fg: { pkt: 0x00, init: 0x00 } } as const;
export const NG_BOOTUP_EVENT = 1;

function bitNames(bits: readonly (readonly [number, string])[], v: number): string[] {
  return bits.filter(([b]) => (v & b) !== 0).map(([, n]) => n);
}

/** struct fw_data: project_name[3], major1, major2, minor, revision_patch_1, revision_patch_2, then (NG) last_reset_reason u32. */
function fwDataText(v: Uint8Array): string {
  let name = '';
  for (let i = 0; i < 3 && v[i] !== 0; i++) name += String.fromCharCode(v[i]);
  return `${name} ${v[3]}.${v[4]}.${v[5]}.${v[6]}.${v[7]}`;
}

function build(set: 'fg' | 'ng' | 'mcu', items: readonly Tlv[]): InitInfo {
  const tags = TAGS[set];
  const out: { -readonly [K in keyof InitInfo]: InitInfo[K] } = { capabilityNames: [], extCapabilityNames: [], tlvs: [] };
  const tlvs: InitTlv[] = [];
  for (const t of items) {
    const known = tags[t.tag];
    tlvs.push({ tag: t.tag, name: known?.[1] ?? `tag 0x${t.tag.toString(16).padStart(2, '0')}`, value: t.value });
    if (!known || t.value.length === 0) continue;
    const n = leUint(t.value);
    switch (known[0]) {
      case 'capabilities':
        out.capabilities = n;
        out.capabilityNames = bitNames(CAPABILITY_BITS, n);
        out.checksumEnabled = (n & 0x80) !== 0;
        break;
      case 'chip':
        out.chipId = n;
        if (CHIPS[n] !== undefined) out.chipName = CHIPS[n];
        break;
      case 'spiClock': out.spiClockMhz = n; break;
      case 'rawTp': out.rawThroughput = n; break;
      case 'rxQ': out.rxQueueSize = n; break;
      case 'txQ': out.txQueueSize = n; break;
      case 'extCaps':
        out.extCapabilities = n;
        out.extCapabilityNames = bitNames(EXT_CAPABILITY_BITS, n);
        break;
      case 'fwVersion': out.firmware = `${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`; break;
      case 'transferSize': out.transferSize = n; break;
      case 'fwData':
        if (t.value.length >= 8) out.firmware = fwDataText(t.value);
        if (t.value.length >= 12) out.resetReason = leUint(t.value.subarray(8, 12));
        break;
      case 'sdioMode': break;
    }
  }
  out.tlvs = tlvs;
  return out;
}

/** Is this private-interface payload an INIT event (FG, MCU)? `pktType` is header byte 11. */
export function isPrivInit(variant: VariantId, pktType: number, payload: Uint8Array): boolean {
  if (payload.length < 2) return false;
  const sets = variant === 'mcu' ? [PRIV_EVENT.mcu, PRIV_EVENT.fg] : [PRIV_EVENT.fg, PRIV_EVENT.mcu];
  return sets.some((s) => pktType === s.pkt && payload[0] === s.init);
}

/** esp_priv_event: event_type, event_len, TLVs (u8 tag, u8 len). */
export function decodePrivInit(payload: Uint8Array): InitResult {
  const eventLen = payload[1];
  if (2 + eventLen > payload.length) return { ok: false, detail: `INIT event_len ${eventLen} runs past the ${payload.length}-byte payload`, offset: 1 };
  const set = payload[0] === PRIV_EVENT.mcu.init ? 'mcu' : 'fg';
  const list = parseTlvs(payload, 1, 2, 2 + eventLen);
  if (!list.ok) return { ok: false, detail: `INIT: ${list.detail}`, offset: list.offset };
  return { ok: true, init: build(set, list.items) };
}

/** NG: event_header {event_code, status, len u16}, len u8, pad[3], TLVs (u8 tag, u8 len). */
export function isNgBootup(payload: Uint8Array): boolean {
  return payload.length >= 8 && payload[0] === NG_BOOTUP_EVENT;
}

export function decodeNgBootup(payload: Uint8Array): InitResult {
  const tlvLen = payload[4];
  if (8 + tlvLen > payload.length) return { ok: false, detail: `boot-up event TLV length ${tlvLen} runs past the ${payload.length}-byte payload`, offset: 4 };
  const list = parseTlvs(payload, 1, 8, 8 + tlvLen);
  if (!list.ok) return { ok: false, detail: `boot-up event: ${list.detail}`, offset: list.offset };
  return { ok: true, init: build('ng', list.items) };
}
