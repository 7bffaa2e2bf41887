/**
 * The serial (control) interface of FG and MCU: each message is a TLV list, tag 1 = endpoint name
 * ("ctrlResp"/"ctrlEvnt" on FG, "RPCRsp"/"RPCEvt" on MCU; the host uses the response endpoint for
 * requests) and tag 2 = the protobuf envelope, lengths u16 little-endian.
 */
import { decodeEnvelope, type DecodedEnvelope, type ProtoSchemaId } from './protobuf.ts';
import { parseTlvs } from './tlv.ts';

export const SERIAL_TLV_ENDPOINT = 0x01;
export const SERIAL_TLV_DATA = 0x02;

export interface ControlMessage extends DecodedEnvelope {
  readonly schema: ProtoSchemaId;
  readonly endpoint: string;
}

export type ControlResult = { readonly ok: true; readonly control: ControlMessage } | { readonly ok: false; readonly detail: string; readonly offset: number };

export function decodeControl(schemaId: ProtoSchemaId, message: Uint8Array): ControlResult {
  const list = parseTlvs(message, 2);
  if (!list.ok) return { ok: false, detail: `serial TLV: ${list.detail}`, offset: list.offset };
  const ep = list.items.find((t) => t.tag === SERIAL_TLV_ENDPOINT);
  const data = list.items.find((t) => t.tag === SERIAL_TLV_DATA);
  if (!ep || !data) return { ok: false, detail: `serial TLV: no ${ep ? 'data (tag 2)' : 'endpoint (tag 1)'} element`, offset: 0 };
  const endpoint = String.fromCharCode(...ep.value);
  const env = decodeEnvelope(schemaId, data.value);
  if (!env.ok) return { ok: false, detail: env.detail, offset: data.at };
  return { ok: true, control: { ...env.msg, schema: schemaId, endpoint } };
}
