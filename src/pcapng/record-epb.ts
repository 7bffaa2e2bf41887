/**
 * The sink's fast path: writes the EPB of one record straight into the batch buffer, with no
 * intermediate packet object, option list or per-record header buffers (the garbage those make
 * costs more than the encoding). Byte for byte the same block as
 * `encodeEpb(out, recordToPacket(r, ids))` (tested); anomalies, which are rare, take that path.
 *
 * Example: writeRecordEpb(batchBuffer, record, BUDDY_INTERFACE_IDS) // -> 'eth'
 */
import type { BuddyRecord, FrameRecord, LineRecord, TxnRecord } from '../records/types.ts';
import { BLOCK_EPB, DIR_INBOUND, DIR_OUTBOUND, EPB_FLAGS, EPB_PACKETID, encodeEpb } from './blocks.ts';
import type { ByteBuffer } from './bytes.ts';
import { BUDDY_PEN, type InterfaceKey } from './interfaces.ts';
import { FRAME_META_SIZE, LINE_HEADER_SIZE, META_VERSION, MetaBit, TXN_HEADER_SIZE, startTimestamp, writeLineHeader, writeTxnHeader } from './layout.ts';
import { OPT_CUSTOM_BINARY_COPY, pad4 } from './options.ts';
import { BLE_PHDR, LINK_HEADERS, recordToPacket, wireFrame, type InterfaceIds } from './record-packets.ts';

const TWO32 = 0x1_0000_0000;

/** EPB fixed part: type, total, interface, timestamp high/low, captured and original length. */
function epbHead(out: ByteBuffer, total: number, interfaceId: number, startNs: number, dataLen: number): void {
  const ts = startTimestamp(startNs);
  const hi = Math.floor(ts / TWO32);
  out.ensure(total);
  out.u32(BLOCK_EPB).u32(total).u32(interfaceId).u32(hi).u32(ts - hi * TWO32).u32(dataLen).u32(dataLen);
}

function packetIdOption(out: ByteBuffer, id: number): void {
  if (!Number.isInteger(id) || id < 0) throw new RangeError(`transaction index ${id} is not a non-negative integer`);
  const hi = Math.floor(id / TWO32);
  out.u16(EPB_PACKETID).u16(8).u32(id - hi * TWO32).u32(hi);
}

function txn(out: ByteBuffer, r: TxnRecord, ids: InterfaceIds): void {
  const dataLen = TXN_HEADER_SIZE + r.mosi.length + r.miso.length;
  const total = 32 + pad4(dataLen) + 16;
  epbHead(out, total, ids.spi, r.startNs, dataLen);
  writeTxnHeader(out, r.startNs, r.endNs, r, r.mosi.length, r.miso.length);
  out.bytes(r.mosi).bytes(r.miso).pad(dataLen);
  packetIdOption(out, r.txn);
  out.u32(0).u32(total);
}

function line(out: ByteBuffer, r: LineRecord, ids: InterfaceIds): void {
  const total = 32 + LINE_HEADER_SIZE;
  epbHead(out, total, ids.spi, r.startNs, LINE_HEADER_SIZE);
  writeLineHeader(out, r.startNs, r.endNs, r.line, r.level);
  out.u32(total);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Last empty frame encoded per direction, by its header fields (idle polls repeat it). */
const idleKey = [-1, -1];
const idleKey2 = [-1, -1];
const idleWire: Uint8Array[] = [new Uint8Array(0), new Uint8Array(0)];

/**
 * Records reach this loop in many object shapes, so every property is read once into a local:
 * repeated megamorphic loads cost more than the encoding itself.
 */
function frame(out: ByteBuffer, r: FrameRecord, ids: InterfaceIds): InterfaceKey {
  const { startNs, endNs, txn, dir, channel, flags, seq, ack, credit, epoch, payload, fragments, message, decoded } = r;
  const d = dir === 'cpu-to-buddy' ? 0 : 1;
  const messageIsPayload = message !== undefined && sameBytes(message, payload);
  let key: 'eth' | 'ble' | 'link' = 'link';
  if ((channel === 2 || channel === 4) && (flags & 1) === 0 && payload.length > 0 && decoded === undefined && (message === undefined || messageIsPayload)) {
    key = channel === 2 ? 'eth' : 'ble';
  }
  let head: Uint8Array | null = null;
  let body = payload;
  if (key === 'ble') head = BLE_PHDR[d];
  else if (key === 'link') {
    head = LINK_HEADERS[d];
    if (payload.length === 0) {
      const k1 = channel | (flags << 8) | (credit << 16) | (epoch << 24);
      const k2 = seq | (ack << 16);
      if (idleKey[d] !== k1 || idleKey2[d] !== k2) {
        idleWire[d] = wireFrame(r);
        idleKey[d] = k1;
        idleKey2[d] = k2;
      }
      body = idleWire[d];
    } else body = wireFrame(r);
  }
  const storedMessage = message !== undefined && !messageIsPayload ? message : null;
  const metaLen = FRAME_META_SIZE + (key === 'link' ? 0 : 8) + (storedMessage ? storedMessage.length : 0);
  if (metaLen + 4 > 0xffff) throw new RangeError(`custom option of ${metaLen} bytes exceeds 65531`);
  const frag = fragments ?? 0;
  if (!Number.isInteger(frag) || frag < 0 || frag > 0xffff) throw new RangeError(`fragments ${frag} is not in 0..65535`);
  let bits = 0;
  if (fragments !== undefined) bits |= MetaBit.fragments;
  if (messageIsPayload) bits |= MetaBit.message | MetaBit.messageIsPayload;
  else if (storedMessage) bits |= MetaBit.message;
  if (decoded !== undefined) bits |= decoded.kind === 'control' ? MetaBit.decodedControl : MetaBit.decodedTrace;
  if (key !== 'link') bits |= MetaBit.header;

  const dataLen = (head ? head.length : 0) + body.length;
  const total = 32 + pad4(dataLen) + 8 + 12 + 8 + pad4(metaLen) + 4;
  epbHead(out, total, ids[key], startNs, dataLen);
  if (head) out.bytes(head);
  out.bytes(body).pad(dataLen);
  out.u16(EPB_FLAGS).u16(4).u32(d === 0 ? DIR_OUTBOUND : DIR_INBOUND);
  packetIdOption(out, txn);
  // Custom option: PEN, then the frame meta (layout.ts writeFrameMeta, inlined).
  out.u16(OPT_CUSTOM_BINARY_COPY).u16(4 + metaLen).u32(BUDDY_PEN);
  out.u8(META_VERSION).u8(bits).u16(frag).f64(startNs).f64(endNs);
  if (key !== 'link') out.u8(flags).u8(credit).u8(epoch).u8(0).u16(seq).u16(ack);
  if (storedMessage) out.bytes(storedMessage);
  out.pad(metaLen).u32(0).u32(total);
  return key;
}

/** Writes the record's EPB into `out` and returns the interface it went to. */
export function writeRecordEpb(out: ByteBuffer, r: BuddyRecord, ids: InterfaceIds): InterfaceKey {
  switch (r.kind) {
    case 'frame':
      return frame(out, r, ids);
    case 'txn':
      txn(out, r, ids);
      return 'spi';
    case 'line':
      line(out, r, ids);
      return 'spi';
    case 'anomaly':
      encodeEpb(out, recordToPacket(r, ids));
      return 'events';
  }
}
