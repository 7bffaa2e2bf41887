/**
 * Streaming pcapng reader. Consumes a file path or a Readable; emits parsed blocks as the bytes
 * arrive, never holding more than the current chunk and one partial block.
 *
 * Emits: `shb` (either byte order, detected by the magic), `idb`, `epb`, `spb`, `unknown` (any other
 * block type, skipped whole), and at the end `truncated` when the input stops mid-block (an empty
 * input counts as truncated at byte 0). Unknown options are skipped. Interface ids restart in
 * every section; each `epb`/`spb` carries the IDB it names.
 *
 * Errors: structural damage (block total length < 12, not a multiple of 4, > 256 MiB, trailing
 * length mismatch, first block not an SHB, bad byte-order magic, option or packet data running past
 * its block, a packet naming an undeclared interface) throws `SourceError(source, 'byte N', reason)`
 * after every block before the fault has been emitted.
 *
 * Example:
 *   for await (const b of readPcapng('cap.pcapng')) if (b.type === 'epb') console.log(b.iface.name, b.data.length);
 */
import fs from 'node:fs';
import type { Readable } from 'node:stream';
import { isSystemError, systemErrorText } from '../errors.ts';
import { SourceError } from '../sources/errors.ts';
import {
  BLOCK_EPB, BLOCK_IDB, BLOCK_SHB, BLOCK_SPB, BYTE_ORDER_MAGIC, EPB_FLAGS, EPB_PACKETID, EPB_QUEUE, IF_DESCRIPTION,
  IF_HARDWARE, IF_NAME, IF_TSOFFSET, IF_TSRESOL, SHB_HARDWARE, SHB_OS, SHB_USERAPPL,
} from './blocks.ts';
import { OPT_COMMENT, OPT_CUSTOM_BINARY_COPY, OPT_CUSTOM_BINARY_NOCOPY, pad4, parseOptions, type CustomOption } from './options.ts';

export const MAX_BLOCK_LENGTH = 256 * 1024 * 1024;

const NO_COMMENTS: string[] = [];
const NO_CUSTOM: CustomOption[] = [];

export interface ShbBlock {
  readonly type: 'shb';
  readonly offset: number;
  readonly littleEndian: boolean;
  readonly major: number;
  readonly minor: number;
  readonly userappl?: string;
  readonly hardware?: string;
  readonly os?: string;
  readonly comments: readonly string[];
}

export interface IdbBlock {
  readonly type: 'idb';
  readonly offset: number;
  /** Index within its section. */
  readonly interfaceId: number;
  readonly linkType: number;
  readonly snapLen: number;
  readonly name?: string;
  readonly description?: string;
  readonly hardware?: string;
  /** if_tsresol byte (default 6: microseconds). */
  readonly tsresol: number;
  /** if_tsoffset in seconds (default 0). */
  readonly tsoffset: bigint;
  readonly comments: readonly string[];
}

export interface EpbBlock {
  readonly type: 'epb';
  readonly offset: number;
  readonly interfaceId: number;
  readonly iface: IdbBlock;
  /** Raw timestamp in if_tsresol units. */
  readonly timestamp: bigint;
  readonly originalLength: number;
  /** Captured bytes: a view into the read buffer. */
  readonly data: Buffer;
  readonly flags?: number;
  readonly packetId?: bigint;
  readonly queue?: number;
  readonly comments: readonly string[];
  readonly custom: readonly CustomOption[];
}

export interface SpbBlock {
  readonly type: 'spb';
  readonly offset: number;
  readonly iface: IdbBlock;
  readonly originalLength: number;
  readonly data: Buffer;
}

export interface UnknownBlock {
  readonly type: 'unknown';
  readonly blockType: number;
  readonly offset: number;
}

export interface TruncatedMarker {
  readonly type: 'truncated';
  /** File offset of the incomplete block. */
  readonly offset: number;
}

export type PcapngBlock = ShbBlock | IdbBlock | EpbBlock | SpbBlock | UnknownBlock | TruncatedMarker;

/** Converts a raw timestamp to nanoseconds (if_tsoffset not applied). */
export function timestampToNs(ts: bigint, tsresol: number): bigint {
  const exp = tsresol & 0x7f;
  if (tsresol & 0x80) return (ts * 1_000_000_000n) >> BigInt(exp);
  if (exp === 9) return ts;
  if (exp < 9) return ts * 10n ** BigInt(9 - exp);
  return ts / 10n ** BigInt(exp - 9);
}

interface Section {
  readonly le: boolean;
  readonly interfaces: IdbBlock[];
}

/**
 * The incremental core: feed chunks, collect blocks. Knows nothing of streams (the readers below
 * wrap it in a few lines).
 */
export class PcapngParser {
  private pending: Buffer[] = [];
  private pendingLen = 0;
  /** Bytes the parse loop needs before it can make progress. */
  private need = 1;
  /** File offset of the first pending byte. */
  private offset = 0;
  private section: Section | null = null;

  constructor(private readonly source: string) {}

  /**
   * Parses what `chunk` completes into `out`. Throws SourceError (blocks before the fault are
   * already in `out`). A block that straddles chunks is stitched from just the bytes it needs, so
   * no chunk is copied whole.
   */
  push(chunk: Buffer, out: PcapngBlock[]): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
    // Invariant between calls: pendingLen < need.
    while (this.pendingLen >= this.need) {
      let buf: Buffer;
      let tail: Buffer | null = null;
      if (this.pending.length === 1) buf = this.pending[0];
      else {
        const last = this.pending[this.pending.length - 1];
        const take = this.need - (this.pendingLen - last.length);
        buf = Buffer.concat([...this.pending.slice(0, -1), last.subarray(0, take)]);
        tail = last.subarray(take);
      }
      let at = 0;
      try {
        for (;;) {
          const r = this.parseOne(buf, at, out);
          if (r < 0) {
            this.need = -r;
            break;
          }
          at += r;
        }
      } finally {
        const rest = buf.subarray(at);
        this.pending = rest.length ? [rest] : [];
        if (tail && tail.length) this.pending.push(tail);
        this.pendingLen = rest.length + (tail ? tail.length : 0);
        this.offset += at;
      }
      if (!tail) break;
    }
  }

  /** Call at end of input: adds a `truncated` marker when bytes of an incomplete block remain. */
  end(out: PcapngBlock[]): void {
    if (this.pendingLen > 0 || this.offset === 0) out.push({ type: 'truncated', offset: this.offset });
  }

  private fail(where: number, reason: string): never {
    throw new SourceError(this.source, `byte ${where}`, reason);
  }

  /** Parses the block at `at`: returns bytes consumed, or minus the bytes needed from `at`. */
  private parseOne(buf: Buffer, at: number, out: PcapngBlock[]): number {
    const avail = buf.length - at;
    if (avail < 8) return -8;
    const fileAt = this.offset + at;
    let le: boolean;
    const rawType = buf.readUInt32LE(at);
    if (rawType === BLOCK_SHB) {
      if (avail < 12) return -12;
      if (buf.readUInt32LE(at + 8) === BYTE_ORDER_MAGIC) le = true;
      else if (buf.readUInt32BE(at + 8) === BYTE_ORDER_MAGIC) le = false;
      else this.fail(fileAt + 8, `bad byte-order magic 0x${buf.readUInt32BE(at + 8).toString(16)} in section header`);
    } else {
      if (!this.section) this.fail(fileAt, `first block has type 0x${buf.readUInt32BE(at).toString(16)}, not a section header: not a pcapng file`);
      le = this.section.le;
    }
    const type = le ? rawType : buf.readUInt32BE(at);
    const len = le ? buf.readUInt32LE(at + 4) : buf.readUInt32BE(at + 4);
    if (len < 12 || len % 4 !== 0) this.fail(fileAt + 4, `block total length ${len} is ${len < 12 ? 'below 12' : 'not a multiple of 4'}`);
    if (len > MAX_BLOCK_LENGTH) this.fail(fileAt + 4, `block total length ${len} exceeds ${MAX_BLOCK_LENGTH}`);
    if (avail < len) return -len;
    const trail = le ? buf.readUInt32LE(at + len - 4) : buf.readUInt32BE(at + len - 4);
    if (trail !== len) this.fail(fileAt + len - 4, `trailing block length ${trail} differs from leading ${len}`);
    switch (type) {
      case BLOCK_SHB:
        out.push(this.shb(buf.subarray(at, at + len), le, fileAt));
        break;
      case BLOCK_IDB:
        out.push(this.idb(buf.subarray(at, at + len), le, fileAt));
        break;
      case BLOCK_EPB:
        out.push(this.epb(buf, at, len, le, fileAt));
        break;
      case BLOCK_SPB:
        out.push(this.spb(buf.subarray(at, at + len), le, fileAt));
        break;
      default:
        out.push({ type: 'unknown', blockType: type, offset: fileAt });
    }
    return len;
  }

  private shb(b: Buffer, le: boolean, fileAt: number): ShbBlock {
    if (b.length < 28) this.fail(fileAt + 4, `section header of ${b.length} bytes is shorter than 28`);
    const major = le ? b.readUInt16LE(12) : b.readUInt16BE(12);
    const minor = le ? b.readUInt16LE(14) : b.readUInt16BE(14);
    if (major !== 1) this.fail(fileAt + 12, `pcapng version ${major}.${minor} is not supported (1.x only)`);
    this.section = { le, interfaces: [] };
    const comments: string[] = [];
    let userappl: string | undefined, hardware: string | undefined, os: string | undefined;
    for (const o of parseOptions(b, 24, b.length - 4, le, this.source, fileAt)) {
      if (o.code === OPT_COMMENT) comments.push(o.value.toString('utf8'));
      else if (o.code === SHB_USERAPPL) userappl = o.value.toString('utf8');
      else if (o.code === SHB_HARDWARE) hardware = o.value.toString('utf8');
      else if (o.code === SHB_OS) os = o.value.toString('utf8');
    }
    return { type: 'shb', offset: fileAt, littleEndian: le, major, minor, userappl, hardware, os, comments };
  }

  private idb(b: Buffer, le: boolean, fileAt: number): IdbBlock {
    const section = this.section as Section;
    if (b.length < 20) this.fail(fileAt + 4, `interface description of ${b.length} bytes is shorter than 20`);
    const comments: string[] = [];
    let name: string | undefined, description: string | undefined, hardware: string | undefined;
    let tsresol = 6;
    let tsoffset = 0n;
    for (const o of parseOptions(b, 16, b.length - 4, le, this.source, fileAt)) {
      if (o.code === OPT_COMMENT) comments.push(o.value.toString('utf8'));
      else if (o.code === IF_NAME) name = o.value.toString('utf8');
      else if (o.code === IF_DESCRIPTION) description = o.value.toString('utf8');
      else if (o.code === IF_HARDWARE) hardware = o.value.toString('utf8');
      else if (o.code === IF_TSRESOL && o.value.length === 1) tsresol = o.value[0];
      else if (o.code === IF_TSOFFSET && o.value.length === 8) tsoffset = le ? o.value.readBigInt64LE(0) : o.value.readBigInt64BE(0);
    }
    const idb: IdbBlock = {
      type: 'idb', offset: fileAt, interfaceId: section.interfaces.length,
      linkType: le ? b.readUInt16LE(8) : b.readUInt16BE(8),
      snapLen: le ? b.readUInt32LE(12) : b.readUInt32BE(12),
      name, description, hardware, tsresol, tsoffset, comments,
    };
    section.interfaces.push(idb);
    return idb;
  }

  private iface(id: number, fileAt: number): IdbBlock {
    const section = this.section as Section;
    const idb = section.interfaces[id];
    if (!idb) this.fail(fileAt, `packet names interface ${id}, but its section declares ${section.interfaces.length}`);
    return idb;
  }

  /**
   * The hot path (one call per packet): reads straight from the chunk at `at`, options inline,
   * one object shape for every EPB (absent options are undefined), shared empty arrays.
   */
  private epb(buf: Buffer, at: number, len: number, le: boolean, fileAt: number): EpbBlock {
    if (len < 32) this.fail(fileAt + 4, `enhanced packet block of ${len} bytes is shorter than 32`);
    const r32 = le ? (i: number) => buf.readUInt32LE(at + i) : (i: number) => buf.readUInt32BE(at + i);
    const r16 = le ? (i: number) => buf.readUInt16LE(at + i) : (i: number) => buf.readUInt16BE(at + i);
    const interfaceId = r32(8);
    const iface = this.iface(interfaceId, fileAt + 8);
    const hi = r32(12);
    const lo = r32(16);
    const n = hi * 0x1_0000_0000 + lo;
    const timestamp = n <= Number.MAX_SAFE_INTEGER ? BigInt(n) : (BigInt(hi) << 32n) | BigInt(lo);
    const capLen = r32(20);
    const originalLength = r32(24);
    const end = len - 4;
    const optionsAt = 28 + pad4(capLen);
    if (optionsAt > end) this.fail(fileAt + 20, `captured length ${capLen} runs past the end of its block`);
    let comments: string[] = NO_COMMENTS;
    let custom: CustomOption[] = NO_CUSTOM;
    let flags: number | undefined, packetId: bigint | undefined, queue: number | undefined;
    let o = optionsAt;
    while (o < end) {
      if (end - o < 4) this.fail(fileAt + o, 'option header cut by the end of its block');
      const code = r16(o);
      const olen = r16(o + 2);
      if (code === 0) break;
      const v = o + 4;
      if (v + olen > end) this.fail(fileAt + o, `option ${code} of ${olen} bytes runs past the end of its block`);
      switch (code) {
        case OPT_COMMENT:
          if (comments === NO_COMMENTS) comments = [];
          comments.push(buf.toString('utf8', at + v, at + v + olen));
          break;
        case EPB_FLAGS:
          if (olen === 4) flags = r32(v);
          break;
        case EPB_PACKETID:
          if (olen === 8) packetId = le ? buf.readBigUInt64LE(at + v) : buf.readBigUInt64BE(at + v);
          break;
        case EPB_QUEUE:
          if (olen === 4) queue = r32(v);
          break;
        case OPT_CUSTOM_BINARY_COPY:
        case OPT_CUSTOM_BINARY_NOCOPY:
          if (olen >= 4) {
            if (custom === NO_CUSTOM) custom = [];
            custom.push({ pen: r32(v), data: buf.subarray(at + v + 4, at + v + olen) });
          }
          break;
      }
      o = v + pad4(olen);
    }
    return {
      type: 'epb', offset: fileAt, interfaceId, iface, timestamp, originalLength,
      data: buf.subarray(at + 28, at + 28 + capLen), flags, packetId, queue, comments, custom,
    };
  }

  private spb(b: Buffer, le: boolean, fileAt: number): SpbBlock {
    if (b.length < 16) this.fail(fileAt + 4, `simple packet block of ${b.length} bytes is shorter than 16`);
    const iface = this.iface(0, fileAt);
    const originalLength = le ? b.readUInt32LE(8) : b.readUInt32BE(8);
    const room = b.length - 16;
    const capLen = Math.min(originalLength, room, iface.snapLen || room);
    return { type: 'spb', offset: fileAt, iface, originalLength, data: b.subarray(12, 12 + capLen) };
  }
}

export interface ReadOptions {
  /** Name used in error messages for a Readable input. Default: the path, or "<stream>". */
  readonly name?: string;
  /** Read chunk size for a path input. Default 1 MiB. */
  readonly chunkSize?: number;
}

/** Streams blocks in batches (one batch per input chunk): the form record sources consume. */
export async function* readPcapngBatches(input: string | Readable, opts: ReadOptions = {}): AsyncGenerator<PcapngBlock[]> {
  const source = opts.name ?? (typeof input === 'string' ? input : '<stream>');
  const stream = typeof input === 'string' ? fs.createReadStream(input, { highWaterMark: opts.chunkSize ?? 1 << 20 }) : input;
  const parser = new PcapngParser(source);
  try {
    for await (const chunk of stream as AsyncIterable<Buffer | string>) {
      const out: PcapngBlock[] = [];
      try {
        parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, out);
      } catch (err) {
        if (out.length) yield out;
        throw err;
      }
      if (out.length) yield out;
    }
  } catch (err) {
    // A read that fails (a directory opens, then EISDIR) carries no path: name the source here.
    if (isSystemError(err)) throw new SourceError(source, err.syscall ?? 'read', systemErrorText(err));
    throw err;
  }
  const tail: PcapngBlock[] = [];
  parser.end(tail);
  if (tail.length) yield tail;
}

/** Streams blocks one by one. */
export async function* readPcapng(input: string | Readable, opts: ReadOptions = {}): AsyncGenerator<PcapngBlock> {
  for await (const batch of readPcapngBatches(input, opts)) yield* batch;
}
