/**
 * Control channel codec. Wire form: a CBOR array [type code, request id, body map].
 * Requests carry a non-zero id chosen by the CPU; replies carry the id of the request they answer;
 * events carry id 0. Unknown type codes decode to `{ type: 'unknown' }`, never to an error.
 */
import { z } from 'zod';
import { CONTROL_BY_CODE, CONTROL_CODES, controlBodies, type ControlBody, type ControlType } from './control-schema.ts';
import { cborDecode, cborEncode } from './cbor.ts';
import { fail, ok, type Result } from './errors.ts';

export type ControlMessage = {
  [T in ControlType]: { readonly type: T; readonly id: number; readonly body: ControlBody<T> };
}[ControlType];

export interface UnknownControlMessage {
  readonly type: 'unknown';
  readonly code: number;
  readonly id: number;
  readonly body: unknown;
}

export type DecodedControl = ControlMessage | UnknownControlMessage;

export function controlMessage<T extends ControlType>(type: T, id: number, body: ControlBody<T>): ControlMessage {
  return { type, id, body } as ControlMessage;
}

/** Encodes a message; throws TypeError if the body does not satisfy its schema (a programming error). */
export function encodeControl(msg: ControlMessage): Uint8Array {
  const schema = controlBodies[msg.type];
  const checked = schema.safeParse(msg.body);
  if (!checked.success) throw new TypeError(`invalid ${msg.type} body: ${z.prettifyError(checked.error)}`);
  if (!Number.isInteger(msg.id) || msg.id < 0 || msg.id > 0xffffffff) throw new TypeError(`invalid request id ${msg.id}`);
  // The schema's output has its keys in the schema's (the spec tables') order, whatever order the
  // caller built the body in: the spec requires that order of encoders (equal messages, equal bytes).
  return cborEncode([CONTROL_CODES[msg.type], msg.id, checked.data]);
}

export function decodeControl(payload: Uint8Array): Result<DecodedControl> {
  const item = cborDecode(payload);
  if (!item.ok) return item;
  const v = item.value;
  if (!Array.isArray(v) || v.length !== 3) return fail('schema', 0, 'control message is not a 3-element array [type, id, body]');
  const [code, id, body] = v as [unknown, unknown, unknown];
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 0 || code > 0xff) return fail('schema', 1, 'type code is not a u8');
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 0xffffffff) return fail('schema', 1, 'request id is not a u32');
  const type = CONTROL_BY_CODE.get(code);
  if (type === undefined) return ok({ type: 'unknown', code, id, body });
  const parsed = controlBodies[type].safeParse(body);
  if (!parsed.success) return fail('schema', 0, `${type}: ${issueText(parsed.error)}`);
  return ok({ type, id, body: parsed.data } as ControlMessage);
}

export function issueText(error: z.ZodError): string {
  const first = error.issues[0];
  if (!first) return 'invalid';
  const path = first.path.length ? first.path.join('.') : 'body';
  return `${path}: ${first.message}`;
}
