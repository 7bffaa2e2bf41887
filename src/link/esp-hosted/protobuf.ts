/**
 * The protobuf side of the control path, through protobufjs: the envelope (CtrlMsg for FG, Rpc
 * for MCU) decoded with the restated schemas in proto/, payloads named by msg_id. A payload whose
 * message the schema does not restate is walked field by field instead, so nothing is hidden.
 * protobufjs throws on malformed input; that is caught here and returned as a typed failure.
 */
import protobuf from 'protobufjs';
import { FG_CTRL_SCHEMA, MCU_RPC_SCHEMA } from './proto/descriptors.generated.ts';

export type ProtoSchemaId = 'fg' | 'mcu';

export interface RawField {
  readonly field: number;
  readonly wireType: number;
  readonly value: number | string | Uint8Array;
}

export interface DecodedEnvelope {
  readonly msgType: number;
  readonly msgTypeName: string;
  readonly msgId: number;
  readonly name: string;
  readonly uid: number;
  /** The payload's message type (e.g. `CtrlMsg_Resp_GetMacAddress`) when the schema has it. */
  readonly payloadType?: string;
  /** Decoded payload fields (enums by name, bytes as Uint8Array, 64-bit as decimal strings). */
  readonly fields: Readonly<Record<string, unknown>>;
  /** The payload's fields as on the wire, when its message is not in the schema. */
  readonly rawFields?: readonly RawField[];
}

export type EnvelopeResult = { readonly ok: true; readonly msg: DecodedEnvelope } | { readonly ok: false; readonly detail: string };

interface Schema {
  readonly envelope: protobuf.Type;
  readonly ids: protobuf.Enum;
  readonly types: protobuf.Enum;
}

const SCHEMA_NAMES: Readonly<Record<ProtoSchemaId, readonly [protobuf.INamespace, string, string, string]>> = {
  fg: [FG_CTRL_SCHEMA, 'fg.CtrlMsg', 'fg.CtrlMsgId', 'fg.CtrlMsgType'],
  mcu: [MCU_RPC_SCHEMA, 'mcu.Rpc', 'mcu.RpcId', 'mcu.RpcType'],
};

const loaded = new Map<ProtoSchemaId, Schema>();

function schema(id: ProtoSchemaId): Schema {
  let s = loaded.get(id);
  if (!s) {
    const [json, env, ids, types] = SCHEMA_NAMES[id];
    const root = protobuf.Root.fromJSON(json);
    s = { envelope: root.lookupType(env), ids: root.lookupEnum(ids), types: root.lookupEnum(types) };
    loaded.set(id, s);
  }
  return s;
}

/** Request -> response id distance: FG numbers responses 100 above requests, MCU 0x100. */
export const RESPONSE_OFFSET: Readonly<Record<ProtoSchemaId, number>> = { fg: 100, mcu: 256 };

/** The name of a message id, or a description by range when the schema does not name it. */
export function msgIdName(id: ProtoSchemaId, msgId: number): string {
  const name = schema(id).ids.valuesById[msgId];
  if (name !== undefined) return name;
  const base = RESPONSE_OFFSET[id];
  const kind = msgId >= 3 * base ? 'Event' : msgId >= 2 * base ? 'Resp' : 'Req';
  return `${kind}_${msgId}`;
}

function rawFieldsOf(bytes: Uint8Array): RawField[] {
  const r = protobuf.Reader.create(bytes);
  const out: RawField[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (wireType === 0) out.push({ field, wireType, value: r.uint64().toString() });
    else if (wireType === 2) out.push({ field, wireType, value: r.bytes() });
    else if (wireType === 5) out.push({ field, wireType, value: r.fixed32() });
    else if (wireType === 1) out.push({ field, wireType, value: r.fixed64().toString() });
    else throw new Error(`wire type ${wireType} at byte ${r.pos}`);
  }
  return out;
}

/** The payload bytes of field `n` of an encoded envelope (the last occurrence wins, as in protobuf). */
function fieldBytes(bytes: Uint8Array, n: number): Uint8Array | undefined {
  let found: Uint8Array | undefined;
  for (const f of rawFieldsOf(bytes)) if (f.field === n && f.value instanceof Uint8Array) found = f.value;
  return found;
}

export function decodeEnvelope(id: ProtoSchemaId, bytes: Uint8Array): EnvelopeResult {
  const s = schema(id);
  try {
    const m = s.envelope.decode(bytes);
    const o = s.envelope.toObject(m, { enums: Number, longs: String, bytes: Uint8Array, defaults: true, oneofs: true }) as Record<string, unknown>;
    const msgType = Number(o.msg_type ?? 0);
    const msgId = Number(o.msg_id ?? 0);
    const payloadKey = typeof o.payload === 'string' ? o.payload : undefined;
    const field = payloadKey !== undefined ? s.envelope.fields[payloadKey] : s.envelope.fieldsById[msgId];
    const msgTypeName = s.types.valuesById[msgType] ?? `type ${msgType}`;
    const base = { msgType, msgTypeName, msgId, name: msgIdName(id, msgId), uid: Number(o.uid ?? 0) };
    if (payloadKey !== undefined && field?.resolvedType instanceof protobuf.Type) {
      const t = field.resolvedType;
      const inner = t.toObject(t.fromObject(o[payloadKey] as Record<string, unknown>), { enums: String, longs: String, bytes: Uint8Array, defaults: true });
      return { ok: true, msg: { ...base, payloadType: t.name, fields: inner } };
    }
    const payload = fieldBytes(bytes, msgId);
    return { ok: true, msg: { ...base, fields: {}, ...(payload !== undefined ? { rawFields: rawFieldsOf(payload) } : {}) } };
  } catch (e) {
    return { ok: false, detail: `protobuf ${s.envelope.name}: ${(e as Error).message}` };
  }
}
