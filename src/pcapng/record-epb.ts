/**
 * The sink's fast path: writes the EPB of one record straight into the batch buffer, with no
 * intermediate packet object, option list or per-record header buffers (the garbage those make
 * costs more than the encoding). Byte for byte the same block as
 * `encodeEpb(out, recordToPacket(r, ids))` (tested); anomalies, which are rare, take that path.
 *
 * Example: writeRecordEpb(batchBuffer, record, BUDDY_INTERFACE_IDS) // -> 'eth'
 */
import type { BuddyRecord, FrameRecord, LineRecord, TxnRecord } from '../records/types.ts';
import { BLOCK_EPB, EPB_FLAGS, EPB_PACKETID, encodeEpb } from './blocks.ts';
import type { ByteBuffer } from './bytes.ts';
import type { InterfaceKey } from './interfaces.ts';
import { BUDDY_PEN } from './interfaces.ts';
import { LINE_HEADER_SIZE, TXN_HEADER_SIZE, frameMetaSize, startTimestamp, writeFrameMeta, writeLineHeader, writeTxnHeader } from './layout.ts';
import { OPT_CUSTOM_BINARY_COPY, pad4 } from './options.ts';
import { BLE_PHDR, LINK_HEADERS, dirFlags, dirIndex, frameInterface, frameMetaOf, recordToPacket, wireFrame, type InterfaceIds } from './record-packets.ts';

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
  writeTxnHeader(out, r.startNs, r.endNs, r.partialBits, r.mosi.length, r.miso.length);
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

function frame(out: ByteBuffer, r: FrameRecord, ids: InterfaceIds): InterfaceKey {
  const key = frameInterface(r);
  const meta = frameMetaOf(r, key);
  const metaLen = frameMetaSize(meta);
  if (metaLen + 4 > 0xffff) throw new RangeError(`custom option of ${metaLen} bytes exceeds 65531`);
  const d = dirIndex(r.dir);
  let head: Uint8Array | null = null;
  let body = r.payload;
  if (key === 'ble') head = BLE_PHDR[d];
  else if (key === 'link') (head = LINK_HEADERS[d]), (body = wireFrame(r));
  const dataLen = (head ? head.length : 0) + body.length;
  const total = 32 + pad4(dataLen) + 8 + 12 + 8 + pad4(metaLen) + 4;
  epbHead(out, total, ids[key], r.startNs, dataLen);
  if (head) out.bytes(head);
  out.bytes(body).pad(dataLen);
  out.u16(EPB_FLAGS).u16(4).u32(dirFlags(r.dir));
  packetIdOption(out, r.txn);
  out.u16(OPT_CUSTOM_BINARY_COPY).u16(4 + metaLen).u32(BUDDY_PEN);
  writeFrameMeta(out, meta);
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
