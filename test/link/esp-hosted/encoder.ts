/**
 * A small esp-hosted ENCODER for the tests, written from the header tables in docs/esp-hosted.md
 * and sharing no code with the decoder: it builds transactions the way the ESP and host drivers
 * do (header, payload, byte-sum checksum with the field zeroed, padding to the fixed transaction
 * size), serial TLVs, INIT / boot-up events, NG command structs, protobuf messages (protobufjs
 * straight from the .proto files), and Ethernet frames.
 */
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';

export type Variant = 'fg' | 'ng' | 'mcu';
export const TXN_SIZE = 1600;

export interface FrameSpec {
  readonly ifType: number;
  readonly payload: Uint8Array;
  readonly ifNum?: number;
  readonly flags?: number;
  readonly seq?: number;
  readonly packetType?: number;
  readonly throttle?: number;
  readonly lastByte?: number;
  /** 'sum' (default): the real checksum; 'none': leave 0; a number: write that value. */
  readonly checksum?: 'sum' | 'none' | number;
  readonly offset?: number;
  readonly lenOverride?: number;
  readonly size?: number;
}

const put16 = (b: Uint8Array, at: number, v: number): void => {
  b[at] = v & 0xff;
  b[at + 1] = (v >> 8) & 0xff;
};

/** Where each variant keeps len, offset, checksum (FG/MCU: 2, 4, 6; NG: 4, 6, 8). */
const PLACES: Record<Variant, { len: number; offset: number; sum: number }> = {
  fg: { len: 2, offset: 4, sum: 6 }, mcu: { len: 2, offset: 4, sum: 6 }, ng: { len: 4, offset: 6, sum: 8 },
};

export function frame(v: Variant, f: FrameSpec): Uint8Array {
  const size = f.size ?? TXN_SIZE;
  const b = new Uint8Array(size);
  const off = f.offset ?? 12;
  b[0] = (f.ifType & 0x0f) | ((f.ifNum ?? 0) << 4);
  b[1] = f.flags ?? 0;
  const P = PLACES[v];
  put16(b, P.len, f.lenOverride ?? f.payload.length);
  put16(b, P.offset, off);
  if (v === 'ng') b[2] = f.packetType ?? 0;
  else put16(b, 8, f.seq ?? 0);
  if (v === 'mcu') b[10] = (f.throttle ?? 0) & 0x03;
  b[11] = f.lastByte ?? 0;
  b.set(f.payload.subarray(0, Math.max(0, Math.min(f.payload.length, size - off))), off);
  let sum = 0;
  for (let i = 0; i < Math.min(size, off + f.payload.length); i++) sum = (sum + b[i]) & 0xffff;
  const c = f.checksum ?? 'sum';
  put16(b, P.sum, c === 'sum' ? sum : c === 'none' ? 0 : c);
  return b;
}

/** The ESP's dummy buffer: if_type MAX (FG 6, MCU 8) or 0xF (NG), if_num 0xF, len 0. */
export function espIdle(v: Variant, size = TXN_SIZE, throttle = 0): Uint8Array {
  const b = new Uint8Array(size);
  b[0] = ({ fg: 0xf6, ng: 0xff, mcu: 0xf8 } as const)[v];
  if (v === 'mcu') b[10] = throttle;
  return b;
}

export function hostIdle(size = TXN_SIZE): Uint8Array {
  return new Uint8Array(size);
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Serial-interface TLV: 0x01 len16 endpoint, 0x02 len16 data. */
export function serialTlv(endpoint: string, data: Uint8Array): Uint8Array {
  const ep = new TextEncoder().encode(endpoint);
  const out = new Uint8Array(6 + ep.length + data.length);
  out[0] = 1;
  put16(out, 1, ep.length);
  out.set(ep, 3);
  out[3 + ep.length] = 2;
  put16(out, 4 + ep.length, data.length);
  out.set(data, 6 + ep.length);
  return out;
}

const PROTO = new URL('../../../src/link/esp-hosted/proto/', import.meta.url);
const roots = new Map<string, protobuf.Root>();
function root(file: string): protobuf.Root {
  let r = roots.get(file);
  if (!r) {
    r = protobuf.parse(readFileSync(new URL(file, PROTO), 'utf8'), { keepCase: true }).root;
    roots.set(file, r);
  }
  return r;
}

/** FG CtrlMsg: msg_type, msg_id, uid and a payload field named as in the .proto. */
export function ctrlMsg(o: Record<string, unknown>): Uint8Array {
  const t = root('fg-ctrl.proto').lookupType('fg.CtrlMsg');
  return t.encode(t.fromObject(o)).finish();
}

export function rpcMsg(o: Record<string, unknown>): Uint8Array {
  const t = root('mcu-rpc.proto').lookupType('mcu.Rpc');
  return t.encode(t.fromObject(o)).finish();
}

/** esp_priv_event (FG, MCU): event type, event length, u8-tag/u8-length TLVs. */
export function privEvent(eventType: number, tlvs: readonly (readonly [number, readonly number[]])[]): Uint8Array {
  const body = tlvs.flatMap(([t, v]) => [t, v.length, ...v]);
  return Uint8Array.from([eventType, body.length, ...body]);
}

/** NG boot-up event: event_header {code 1, status, len u16}, TLV length, pad[3], TLVs. */
export function ngBootup(tlvs: readonly (readonly [number, readonly number[]])[]): Uint8Array {
  const body = tlvs.flatMap(([t, v]) => [t, v.length, ...v]);
  const len = body.length + 1;
  return Uint8Array.from([1, 0, len & 0xff, len >> 8, body.length, 0, 0, 0, ...body]);
}

/** NG command_header + body. */
export function ngCommand(code: number, status: number, seq: number, body: readonly number[] = []): Uint8Array {
  return Uint8Array.from([code, status, body.length & 0xff, body.length >> 8, seq & 0xff, seq >> 8, 0, 0, ...body]);
}

export const MAC_HOST = [0x24, 0x0a, 0xc4, 0x12, 0x34, 0x56];
export const MAC_AP = [0x00, 0x11, 0x22, 0x33, 0x44, 0x55];

/** An ARP who-has request from MAC_HOST (192.168.1.50) for `target`. */
export function arpWhoHas(target: readonly number[]): Uint8Array {
  return Uint8Array.from([
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...MAC_HOST, 0x08, 0x06,
    0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01, ...MAC_HOST, 192, 168, 1, 50, 0, 0, 0, 0, 0, 0, ...target,
  ]);
}
