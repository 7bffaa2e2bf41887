/**
 * Which decoder a channel's complete message goes through. Channels that carry no CBOR message
 * (link, ethernet, BLE HCI, reserved) give null: their payload is the message.
 */
import { Channel } from './constants.ts';
import { decodeControl, type DecodedControl } from './control.ts';
import type { Result } from './errors.ts';
import { decodeTrace, type DecodedTrace } from './trace.ts';

export type DecodedMessage =
  | { readonly kind: 'control'; readonly msg: DecodedControl }
  | { readonly kind: 'trace'; readonly event: DecodedTrace };

export function decodeMessage(channel: number, message: Uint8Array): Result<DecodedMessage> | null {
  if (channel === Channel.control) {
    const r = decodeControl(message);
    return r.ok ? { ok: true, value: { kind: 'control', msg: r.value } } : r;
  }
  if (channel === Channel.trace) {
    const r = decodeTrace(message);
    return r.ok ? { ok: true, value: { kind: 'trace', event: r.value } } : r;
  }
  return null;
}
