/**
 * ESP-Hosted-NG's control path: C structs on the STA/AP interface, told apart by the header's
 * packet_type (1 command request, 2 command response, 3 event). A command starts with
 * command_header {cmd_code u8, cmd_status u8, len u16, seq_num u16, reserved u8 x2}; an event with
 * event_header {event_code u8, status u8, len u16}. The bodies of the commonest commands are named.
 */
import { macText } from '../../records/ethernet-summary.ts';

export const NG_COMMANDS: Readonly<Record<number, string>> = {
  1: 'CMD_INIT_INTERFACE', 2: 'CMD_SET_MAC', 3: 'CMD_GET_MAC', 4: 'CMD_SCAN_REQUEST', 5: 'CMD_STA_CONNECT',
  6: 'CMD_DISCONNECT', 7: 'CMD_DEINIT_INTERFACE', 8: 'CMD_ADD_KEY', 9: 'CMD_DEL_KEY', 10: 'CMD_SET_DEFAULT_KEY',
  11: 'CMD_STA_AUTH', 12: 'CMD_STA_ASSOC', 13: 'CMD_SET_IP_ADDR', 14: 'CMD_SET_MCAST_MAC_ADDR', 15: 'CMD_GET_TXPOWER',
  16: 'CMD_SET_TXPOWER', 17: 'CMD_GET_REG_DOMAIN', 18: 'CMD_SET_REG_DOMAIN', 19: 'CMD_RAW_TP_ESP_TO_HOST',
  20: 'CMD_RAW_TP_HOST_TO_ESP', 21: 'CMD_SET_WOW_CONFIG', 22: 'CMD_SET_MODE', 23: 'CMD_SET_IE', 24: 'CMD_AP_CONFIG',
  25: 'CMD_MGMT_TX', 26: 'CMD_AP_STATION', 27: 'CMD_STA_RSSI', 28: 'CMD_SET_TIME', 29: 'CMD_START_OTA_UPDATE',
  30: 'CMD_START_OTA_WRITE', 31: 'CMD_START_OTA_END',
};
export const NG_EVENTS: Readonly<Record<number, string>> = {
  1: 'EVENT_SCAN_RESULT', 2: 'EVENT_STA_CONNECT', 3: 'EVENT_STA_DISCONNECT', 4: 'EVENT_AUTH_RX', 5: 'EVENT_ASSOC_RX', 6: 'EVENT_AP_MGMT_RX',
};
export const NG_CMD_STATUS: Readonly<Record<number, string>> = {
  0: 'pending', 1: 'fail', 2: 'success', 3: 'busy', 4: 'unsupported', 5: 'invalid',
};

export interface NgCommand {
  readonly role: 'request' | 'response' | 'event';
  readonly code: number;
  readonly name: string;
  readonly status: number;
  readonly len: number;
  /** Commands only: pairs a response with its request. */
  readonly seq?: number;
  /** Named body fields of the commands and events that have them. */
  readonly fields: Readonly<Record<string, string | number>>;
}

export type NgCommandResult = { readonly ok: true; readonly command: NgCommand } | { readonly ok: false; readonly detail: string; readonly offset: number };

const u16 = (b: Uint8Array, at: number): number => b[at] | (b[at + 1] << 8);

function cString(b: Uint8Array, at: number, max: number): string {
  let s = '';
  for (let i = at; i < Math.min(b.length, at + max) && b[i] !== 0; i++) s += String.fromCharCode(b[i]);
  return s;
}

function commandFields(code: number, b: Uint8Array): Record<string, string | number> {
  const body = 8;
  if ((code === 2 || code === 3) && b.length >= body + 6) return { mac: macText(b, body) };
  // struct scan_request / cmd_sta_connect: bssid[6], u16, ssid[33], channel.
  if ((code === 4 || code === 5) && b.length >= body + 42) return { bssid: macText(b, body), ssid: cString(b, body + 8, 33), channel: b[body + 41] };
  if (code === 6 && b.length >= body + 8) return { reason: u16(b, body), mac: macText(b, body + 2) };
  return {};
}

function eventFields(code: number, b: Uint8Array): Record<string, string | number> {
  const body = 4;
  if (code === 1 && b.length >= body + 12) {
    const rssi = b[body + 8] | (b[body + 9] << 8) | (b[body + 10] << 16) | (b[body + 11] << 24);
    return { bssid: macText(b, body), channel: b[body + 7], rssi };
  }
  if ((code === 2 || code === 3) && b.length >= body + 6) return { bssid: macText(b, body) };
  return {};
}

/** `packetType` from the NG header: 1 request, 2 response, 3 event. */
export function decodeNgCommand(packetType: number, b: Uint8Array): NgCommandResult {
  if (packetType === 3) {
    if (b.length < 4) return { ok: false, detail: `event shorter than its 4-byte event_header (${b.length} bytes)`, offset: 0 };
    const code = b[0];
    return { ok: true, command: { role: 'event', code, name: NG_EVENTS[code] ?? `EVENT_${code}`, status: b[1], len: u16(b, 2), fields: eventFields(code, b) } };
  }
  if (b.length < 8) return { ok: false, detail: `command shorter than its 8-byte command_header (${b.length} bytes)`, offset: 0 };
  const code = b[0];
  return {
    ok: true,
    command: {
      role: packetType === 1 ? 'request' : 'response', code, name: NG_COMMANDS[code] ?? `CMD_${code}`, status: b[1], len: u16(b, 2), seq: u16(b, 4),
      fields: packetType === 2 && code !== 3 ? {} : commandFields(code, b),
    },
  };
}
