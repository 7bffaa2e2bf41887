/**
 * What a whole message (one frame, or reassembled fragments) carries, by interface: Ethernet on
 * STA/AP/ETH (NG: only packet_type data), the HCI packet (type byte from the header's last byte,
 * as the drivers move it there), control (FG CtrlMsg, MCU Rpc, NG command structs), the INIT /
 * boot-up event. A decode failure is a typed problem next to the raw bytes, never an exception.
 */
import { decodeControl } from './control.ts';
import { decodeNgBootup, decodePrivInit, isNgBootup, isPrivInit } from './init-event.ts';
import { decodeNgCommand } from './ng-command.ts';
import type { EspContent } from './records.ts';
import type { InterfaceKind, VariantSpec } from './variants.ts';

export interface ContentProblem {
  readonly code: 'bad-control' | 'bad-init';
  readonly detail: string;
  /** Offset within the message. */
  readonly offset: number;
}

export interface DecodedContent {
  readonly content: EspContent;
  readonly problem?: ContentProblem;
}

export interface ContentKey {
  readonly iface: InterfaceKind | 'unknown';
  /** Header byte 11. */
  readonly pktType: number;
  /** NG header byte 2. */
  readonly packetType?: number;
}

const raw = (bytes: Uint8Array, problem?: ContentProblem): DecodedContent => ({ content: { kind: 'raw', bytes }, ...(problem ? { problem } : {}) });

export function decodeContent(v: VariantSpec, k: ContentKey, bytes: Uint8Array): DecodedContent {
  switch (k.iface) {
    case 'sta':
    case 'ap':
    case 'eth': {
      const pt = k.packetType ?? 0;
      if (v.id === 'ng' && pt >= 1 && pt <= 3) {
        const r = decodeNgCommand(pt, bytes);
        return r.ok ? { content: { kind: 'ng-command', command: r.command } } : raw(bytes, { code: 'bad-control', detail: r.detail, offset: r.offset });
      }
      return { content: { kind: 'ethernet', frame: bytes } };
    }
    case 'hci': {
      const packet = new Uint8Array(bytes.length + 1);
      packet[0] = k.pktType;
      packet.set(bytes, 1);
      return { content: { kind: 'hci', packetType: k.pktType, packet } };
    }
    case 'serial': {
      const r = decodeControl(v.id === 'mcu' ? 'mcu' : 'fg', bytes);
      return r.ok ? { content: { kind: 'control', control: r.control } } : raw(bytes, { code: 'bad-control', detail: r.detail, offset: r.offset });
    }
    case 'priv': {
      if (!isPrivInit(v.id, k.pktType, bytes)) return raw(bytes);
      const r = decodePrivInit(bytes);
      return r.ok ? { content: { kind: 'init', init: r.init } } : raw(bytes, { code: 'bad-init', detail: r.detail, offset: r.offset });
    }
    case 'internal': {
      if (!isNgBootup(bytes)) return raw(bytes);
      const r = decodeNgBootup(bytes);
      return r.ok ? { content: { kind: 'init', init: r.init } } : raw(bytes, { code: 'bad-init', detail: r.detail, offset: r.offset });
    }
    default:
      return raw(bytes);
  }
}
