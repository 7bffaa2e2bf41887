/**
 * The control message catalogue: one zod schema per message body, keyed by wire type code.
 * Bodies are CBOR maps with text keys (readable in Wireshark's CBOR dissector). Text enums are open:
 * a decoder accepts codes it does not know, so firmware can add reasons without breaking hosts.
 */
import { z } from 'zod';

const u8 = z.number().int().min(0).max(0xff);
const u16 = z.number().int().min(0).max(0xffff);
const u32 = z.number().int().min(0).max(0xffffffff);
/**
 * A CBOR byte string, typed as plain Uint8Array (any backing buffer): a zod class check would infer
 * Uint8Array<ArrayBuffer> and refuse Buffer slices and decoder subarrays at compile time.
 */
const byteString = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a byte string');
const mac = byteString.refine((b) => b.length === 6, 'must be 6 bytes');
/** SSIDs are 1..32 octets on air; we carry them as UTF-8 text. */
const ssid = z.string().min(1).refine((s) => Buffer.byteLength(s) <= 32, 'longer than 32 bytes');
const channel = z.number().int().min(1).max(14);
const rssi = z.number().int().min(-127).max(0);
/** trace-proto levels TRACE=0 .. ERROR=4; null switches forwarding off. */
export const traceLevel = z.number().int().min(0).max(4).nullable();

export const SECURITY = ['open', 'wep', 'wpa', 'wpa2', 'wpa3', 'wpa2-wpa3'] as const;
export const LINK_STATES = ['idle', 'scanning', 'connecting', 'connected', 'disconnected'] as const;
/** Known values, for documentation and for the simulator; decoders accept any text. */
export const ERROR_CODES = [
  'auth-failed', 'no-ap', 'assoc-timeout', 'busy', 'bad-request', 'unknown-message',
  'not-connected', 'internal', 'unsupported',
] as const;
export const LINK_DOWN_REASONS = ['requested', 'beacon-loss', 'deauth', 'auth-failed', 'reset'] as const;
export const RESET_REASONS = ['power-on', 'reset-pin', 'software', 'watchdog', 'panic', 'brownout'] as const;
export const CAPABILITIES = ['wifi-sta', 'trace', 'ble-hci', 'echo'] as const;

const ap = z.object({ ssid: z.string(), bssid: mac, channel, rssi, security: z.string() }).strict();

export const controlBodies = {
  // CPU -> buddy requests
  hello: z.object({ protocol: u8, epoch: u8, max_frame: u16, credit: u8, trace_level: traceLevel, host: z.string().max(64).optional() }).strict(),
  scan: z.object({ active: z.boolean().optional(), channel: channel.optional() }).strict(),
  connect: z.object({ ssid, passphrase: z.string().min(8).max(63).optional(), bssid: mac.optional() }).strict(),
  disconnect: z.object({}).strict(),
  get_status: z.object({}).strict(),
  set_trace_level: z.object({ level: traceLevel }).strict(),
  reset: z.object({}).strict(),
  echo: z.object({ data: byteString }).strict(),
  // buddy -> CPU replies (carry the request's id)
  ok: z.object({}).strict(),
  scan_result: z.object({ aps: z.array(ap).max(64) }).strict(),
  connected: z.object({ ssid: z.string(), bssid: mac, channel, rssi }).strict(),
  status: z.object({
    state: z.string(), mac, uptime_ms: z.number().int().min(0),
    ssid: z.string().optional(), bssid: mac.optional(), channel: channel.optional(), rssi: rssi.optional(),
    tx_frames: u32, rx_frames: u32, tx_dropped: u32, rx_dropped: u32, trace_dropped: u32,
  }).strict(),
  echo_reply: z.object({ data: byteString }).strict(),
  error: z.object({ code: z.string(), text: z.string() }).strict(),
  // buddy -> CPU events (id 0)
  boot: z.object({
    protocol: u8, epoch: z.number().int().min(1).max(0xff), fw_version: z.string(), mac,
    mtu: u16, max_frame: u16, max_requests: u8, credit: u8, caps: z.array(z.string()), reset_reason: z.string(),
  }).strict(),
  link_up: z.object({ ssid: z.string(), bssid: mac, channel, rssi }).strict(),
  link_down: z.object({ reason: z.string() }).strict(),
  heartbeat: z.object({ uptime_ms: z.number().int().min(0), state: z.string(), rssi: rssi.optional(), tx_queue: u16, rx_queue: u16, trace_dropped: u32 }).strict(),
} as const;

export type ControlType = keyof typeof controlBodies;
export type ControlBody<T extends ControlType> = z.infer<(typeof controlBodies)[T]>;

/** Wire type codes. Requests 0x01-0x3F, replies 0x40-0x4F, events 0x50-0x5F; the rest reserved. */
export const CONTROL_CODES: Readonly<Record<ControlType, number>> = {
  hello: 0x01, scan: 0x02, connect: 0x03, disconnect: 0x04, get_status: 0x05, set_trace_level: 0x06, reset: 0x07, echo: 0x08,
  ok: 0x40, scan_result: 0x41, connected: 0x42, status: 0x43, echo_reply: 0x44, error: 0x4f,
  boot: 0x50, link_up: 0x51, link_down: 0x52, heartbeat: 0x53,
};
export const CONTROL_BY_CODE: ReadonlyMap<number, ControlType> = new Map(
  (Object.entries(CONTROL_CODES) as [ControlType, number][]).map(([name, code]) => [code, name]),
);

export type ControlRole = 'request' | 'reply' | 'event';
export function controlRole(code: number): ControlRole | 'reserved' {
  if (code >= 0x01 && code <= 0x3f) return 'request';
  if (code >= 0x40 && code <= 0x4f) return 'reply';
  if (code >= 0x50 && code <= 0x5f) return 'event';
  return 'reserved';
}

/** What a request is answered with (besides `error`). `reset` is answered by a new `boot` event. */
export const REPLY_TO: Readonly<Partial<Record<ControlType, ControlType>>> = {
  hello: 'ok', scan: 'scan_result', connect: 'connected', disconnect: 'ok', get_status: 'status',
  set_trace_level: 'ok', echo: 'echo_reply',
};
