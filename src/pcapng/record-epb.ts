/**
 * The sink's fast path: writes the EPB of one record straight into the batch buffer, with no
 * intermediate packet object, option list or per-record header buffers (the garbage those make
 * costs more than the encoding). Byte for byte the same block as
 * `encodeEpb(out, recordToPacket(r, ids))` (tested); anomalies, which are rare, take that path.
 *
 * Example: writeRecordEpb(batchBuffer, record, BUDDY_INTERFACE_IDS) // -> 'eth'
 */
import type { BuddyRecord, FrameRecord, LineRecord, LinkRecord, TxnRecord } from '../records/types.ts';
import { BLOCK_EPB, DIR_INBOUND, DIR_OUTBOUND, EPB_FLAGS, EPB_PACKETID, encodeEpb, type PcapngPacket } from './blocks.ts';
import type { ByteBuffer } from './bytes.ts';
import { BUDDY_PEN, type InterfaceKey } from './interfaces.ts';
import { LINE_HEADER_SIZE, TXN_HEADER_SIZE, startTimestamp, writeLineHeader, writeTxnHeader } from './layout.ts';
import { OPT_CUSTOM_BINARY_COPY, pad4 } from './options.ts';
import { mappingOf, planHead, recordToPacket, type InterfaceIds } from './record-packets.ts';

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

/**
 * A link record (a buddy frame, another protocol's record) from its mapping's plan: the plan writes
 * its meta straight into the batch buffer, so nothing is built per packet but the plan's own state.
 */
function link(out: ByteBuffer, r: FrameRecord | LinkRecord, ids: InterfaceIds): InterfaceKey | null {
  const m = mappingOf(r);
  const plan = m.plan(r);
  if (!plan) return null;
  const head = planHead(m, plan, r.dir);
  const body = plan.body;
  const metaLen = plan.metaLength;
  if (metaLen + 4 > 0xffff) throw new RangeError(`custom option of ${metaLen} bytes exceeds 65531`);
  const dataLen = (head ? head.length : 0) + body.length;
  const total = 32 + pad4(dataLen) + 8 + 12 + 8 + pad4(metaLen) + 4;
  epbHead(out, total, ids[plan.iface], r.startNs, dataLen);
  if (head) out.bytes(head);
  out.bytes(body).pad(dataLen);
  out.u16(EPB_FLAGS).u16(4).u32(r.dir === 'cpu-to-buddy' ? DIR_OUTBOUND : DIR_INBOUND);
  packetIdOption(out, r.txn);
  // Custom option: PEN, then the protocol's meta.
  out.u16(OPT_CUSTOM_BINARY_COPY).u16(4 + metaLen).u32(BUDDY_PEN);
  const at = out.pos;
  plan.writeMeta(out);
  if (out.pos - at !== metaLen) throw new RangeError(`${m.dissector} meta wrote ${out.pos - at} bytes, planned ${metaLen}`);
  out.pad(metaLen).u32(0).u32(total);
  return plan.iface;
}

/** Writes the record's EPB into `out` and returns the interface it went to (null: not written). */
export function writeRecordEpb(out: ByteBuffer, r: BuddyRecord, ids: InterfaceIds): InterfaceKey | null {
  switch (r.kind) {
    case 'frame':
    case 'link':
      return link(out, r, ids);
    case 'txn':
      txn(out, r, ids);
      return 'spi';
    case 'line':
      line(out, r, ids);
      return 'spi';
    case 'anomaly':
      encodeEpb(out, recordToPacket(r, ids) as PcapngPacket);
      return 'events';
  }
}
