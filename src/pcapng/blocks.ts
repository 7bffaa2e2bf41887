/**
 * pcapng block encoders (little endian): Section Header, Interface Description and Enhanced Packet
 * blocks, each written whole into a `ByteBuffer` as type | total length | body | total length.
 *
 *   SHB 0x0A0D0D0A: magic 0x1A2B3C4D, version 1.0, section length -1; shb_hardware 2, shb_os 3,
 *       shb_userappl 4.
 *   IDB 1: linktype u16, reserved u16, snaplen u32; if_name 2, if_description 3, if_tsresol 9,
 *       if_tsoffset 14, if_hardware 15.
 *   EPB 6: interface id, timestamp high u32, low u32, captured length, original length, data padded
 *       to 4; epb_flags 2, epb_packetid 5, epb_queue 6, opt_comment 1 (repeatable), custom 2989.
 *
 * Example: const b = new ByteBuffer(); encodeEpb(b, { interfaceId: 0, timestamp: 1500n, data });
 */
import { splitU64, type ByteBuffer } from './bytes.ts';
import { OPT_COMMENT, OptionWriter, pad4, type CustomOption } from './options.ts';

export const BLOCK_SHB = 0x0a0d0d0a;
export const BLOCK_IDB = 0x00000001;
export const BLOCK_SPB = 0x00000003;
export const BLOCK_EPB = 0x00000006;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;

export const SHB_HARDWARE = 2;
export const SHB_OS = 3;
export const SHB_USERAPPL = 4;

export const IF_NAME = 2;
export const IF_DESCRIPTION = 3;
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;
export const IF_HARDWARE = 15;

export const EPB_FLAGS = 2;
export const EPB_PACKETID = 5;
export const EPB_QUEUE = 6;

/** epb_flags bits 0-1. The buddy link's CPU is the capturing host: CPU->buddy is outbound. */
export const DIR_INBOUND = 0b01;
export const DIR_OUTBOUND = 0b10;

/** Nanosecond timestamps: if_tsresol = 9 (10^-9 s). */
export const TSRESOL_NS = 9;

export interface SectionOptions {
  readonly userappl?: string;
  readonly hardware?: string;
  readonly os?: string;
  readonly comments?: readonly string[];
}

export interface InterfaceOptions {
  readonly linkType: number;
  /** 0 means no limit. */
  readonly snapLen?: number;
  readonly name?: string;
  readonly description?: string;
  readonly hardware?: string;
  /** if_tsresol byte; default 9 (nanoseconds). */
  readonly tsresol?: number;
  /** if_tsoffset: whole seconds added to every timestamp of this interface. */
  readonly tsoffset?: bigint;
  readonly comments?: readonly string[];
}

export interface PcapngPacket {
  readonly interfaceId: number;
  /** In units of the interface's if_tsresol (ns for buddyshark's interfaces). */
  readonly timestamp: bigint | number;
  /** Packet bytes; several parts are written back to back (e.g. a TLV header and a frame). */
  readonly data: Uint8Array | readonly Uint8Array[];
  readonly originalLength?: number;
  readonly flags?: number;
  readonly packetId?: bigint | number;
  readonly queue?: number;
  readonly comments?: readonly string[];
  readonly custom?: readonly CustomOption[];
}

function blockFrame(out: ByteBuffer, type: number, bodyLength: number, body: () => void): void {
  const total = 12 + bodyLength;
  out.ensure(total);
  out.u32(type).u32(total);
  body();
  out.u32(total);
}

export function encodeShb(out: ByteBuffer, opts: SectionOptions = {}): void {
  const o = new OptionWriter();
  for (const c of opts.comments ?? []) o.text(OPT_COMMENT, c);
  o.text(SHB_HARDWARE, opts.hardware).text(SHB_OS, opts.os).text(SHB_USERAPPL, opts.userappl);
  blockFrame(out, BLOCK_SHB, 16 + o.size, () => {
    out.u32(BYTE_ORDER_MAGIC).u16(1).u16(0).u32(0xffffffff).u32(0xffffffff);
    o.writeTo(out);
  });
}

export function encodeIdb(out: ByteBuffer, opts: InterfaceOptions): void {
  const o = new OptionWriter();
  for (const c of opts.comments ?? []) o.text(OPT_COMMENT, c);
  o.text(IF_NAME, opts.name).text(IF_DESCRIPTION, opts.description);
  o.u8(IF_TSRESOL, opts.tsresol ?? TSRESOL_NS);
  if (opts.tsoffset !== undefined && opts.tsoffset !== 0n) o.u64(IF_TSOFFSET, opts.tsoffset);
  o.text(IF_HARDWARE, opts.hardware);
  blockFrame(out, BLOCK_IDB, 8 + o.size, () => {
    out.u16(opts.linkType).u16(0).u32(opts.snapLen ?? 0);
    o.writeTo(out);
  });
}

/** Hot path: sizes the block first, then writes it straight into `out`. */
export function encodeEpb(out: ByteBuffer, p: PcapngPacket): void {
  const single = p.data instanceof Uint8Array ? p.data : null;
  const parts = p.data as readonly Uint8Array[];
  let dataLen = 0;
  if (single) dataLen = single.length;
  else for (const part of parts) dataLen += part.length;
  let optLen = 0;
  if (p.flags !== undefined) optLen += 8;
  if (p.packetId !== undefined) optLen += 12;
  if (p.queue !== undefined) optLen += 8;
  let comments: Buffer[] | undefined;
  if (p.comments && p.comments.length > 0) {
    comments = p.comments.map((c) => Buffer.from(c, 'utf8'));
    for (const c of comments) {
      if (c.length > 0xffff) throw new RangeError(`comment of ${c.length} bytes exceeds 65535`);
      optLen += 4 + pad4(c.length);
    }
  }
  if (p.custom) {
    for (const c of p.custom) {
      if (c.data.length + 4 > 0xffff) throw new RangeError(`custom option of ${c.data.length} bytes exceeds 65531`);
      optLen += 8 + pad4(c.data.length);
    }
  }
  if (optLen > 0) optLen += 4;
  const total = 32 + pad4(dataLen) + optLen;
  out.ensure(total);
  out.u32(BLOCK_EPB).u32(total).u32(p.interfaceId);
  // Timestamp high then low u32 (not one little-endian u64): the spec splits it this way.
  const [tsHi, tsLo] = splitU64(p.timestamp);
  out.u32(tsHi).u32(tsLo);
  out.u32(dataLen).u32(p.originalLength ?? dataLen);
  if (single) out.bytes(single);
  else for (const part of parts) out.bytes(part);
  out.pad(dataLen);
  if (optLen > 0) {
    if (comments) for (const c of comments) out.u16(OPT_COMMENT).u16(c.length).bytes(c).pad(c.length);
    if (p.flags !== undefined) out.u16(EPB_FLAGS).u16(4).u32(p.flags);
    if (p.packetId !== undefined) out.u16(EPB_PACKETID).u16(8).u64(p.packetId);
    if (p.queue !== undefined) out.u16(EPB_QUEUE).u16(4).u32(p.queue);
    if (p.custom) {
      for (const c of p.custom) out.u16(2989).u16(4 + c.data.length).u32(c.pen).bytes(c.data).pad(c.data.length);
    }
    out.u32(0);
  }
  out.u32(total);
}
