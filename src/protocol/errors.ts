/**
 * Typed decode errors. Decoding untrusted bytes never throws out of src/protocol: it returns one of
 * these, naming what is wrong and at which byte of the input.
 */
export type ProtocolErrorCode =
  | 'truncated' // fewer bytes than the structure needs
  | 'bad-sync' // byte 0 is not SYNC
  | 'bad-version' // unsupported protocol version
  | 'header-crc' // header CRC mismatch: length and every other field untrustworthy
  | 'oversized' // length beyond MAX_PAYLOAD
  | 'payload-crc' // trailer CRC mismatch
  | 'reserved-flags' // reserved flag bits set
  | 'bad-cbor' // payload is not one well-formed CBOR item
  | 'schema' // CBOR is well formed but not the message it claims to be
  | 'fragment'; // a fragment that does not fit the message being reassembled

export interface ProtocolError {
  readonly code: ProtocolErrorCode;
  /** Byte offset, within the input given to the decoder, where the fault was found. */
  readonly offset: number;
  readonly detail: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ProtocolError };

export function fail<T>(code: ProtocolErrorCode, offset: number, detail: string): Result<T> {
  return { ok: false, error: { code, offset, detail } };
}
export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}
