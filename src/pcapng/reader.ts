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
import { SourceError } from '../sources/errors.ts';
import {
  BLOCK_EPB, BLOCK_IDB, BLOCK_SHB, BLOCK_SPB, BYTE_ORDER_MAGIC, EPB_FLAGS, EPB_PACKETID, EPB_QUEUE, IF_DESCRIPTION,
  IF_HARDWARE, IF_NAME, IF_TSOFFSET, IF_TSRESOL, SHB_HARDWARE, SHB_OS, SHB_USERAPPL,
} from './blocks.ts';
import { OPT_COMMENT, OPT_CUSTOM_BINARY_COPY, OPT_CUSTOM_BINARY_NOCOPY, optU32, optU64, pad4, parseOptions, type CustomOption } from './options.ts';

export const MAX_BLOCK_LENGTH = 256 * 1024 * 1024;

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

  /** Parses what `chunk` completes into `out`. Throws SourceError (blocks before the fault are already in `out`). */
  push(chunk: Buffer, out: PcapngBlock[]): void {
    if (chunk.length === 0) return;
    this.pending.push(chunk);
    this.pendingLen += chunk.length;
    if (this.pendingLen < this.need) return;
    const buf = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending, this.pendingLen);
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
      this.pendingLen = rest.length;
      this.offset += at;
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
    const block = buf.subarray(at, at + len);
    switch (type) {
      case BLOCK_SHB:
        out.push(this.shb(block, le, fileAt));
        break;
      case BLOCK_IDB:
        out.push(this.idb(block, le, fileAt));
        break;
      case BLOCK_EPB:
        out.push(this.epb(block, le, fileAt));
        break;
      case BLOCK_SPB:
        out.push(this.spb(block, le, fileAt));
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

  private epb(b: Buffer, le: boolean, fileAt: number): EpbBlock {
    if (b.length < 32) this.fail(fileAt + 4, `enhanced packet block of ${b.length} bytes is shorter than 32`);
    const r32 = le ? (i: number) => b.readUInt32LE(i) : (i: number) => b.readUInt32BE(i);
    const interfaceId = r32(8);
    const iface = this.iface(interfaceId, fileAt + 8);
    const timestamp = (BigInt(r32(12)) << 32n) | BigInt(r32(16));
    const capLen = r32(20);
    const originalLength = r32(24);
    if (28 + pad4(capLen) > b.length - 4) this.fail(fileAt + 20, `captured length ${capLen} runs past the end of its block`);
    const comments: string[] = [];
    const custom: CustomOption[] = [];
    let flags: number | undefined, packetId: bigint | undefined, queue: number | undefined;
    for (const o of parseOptions(b, 28 + pad4(capLen), b.length - 4, le, this.source, fileAt)) {
      switch (o.code) {
        case OPT_COMMENT:
          comments.push(o.value.toString('utf8'));
          break;
        case EPB_FLAGS:
          flags = optU32(o.value, le);
          break;
        case EPB_PACKETID:
          packetId = optU64(o.value, le);
          break;
        case EPB_QUEUE:
          queue = optU32(o.value, le);
          break;
        case OPT_CUSTOM_BINARY_COPY:
        case OPT_CUSTOM_BINARY_NOCOPY:
          if (o.value.length >= 4) custom.push({ pen: le ? o.value.readUInt32LE(0) : o.value.readUInt32BE(0), data: o.value.subarray(4) });
          break;
      }
    }
    const epb: EpbBlock = {
      type: 'epb', offset: fileAt, interfaceId, iface, timestamp, originalLength,
      data: b.subarray(28, 28 + capLen), comments, custom,
    };
    if (flags !== undefined) (epb as { flags?: number }).flags = flags;
    if (packetId !== undefined) (epb as { packetId?: bigint }).packetId = packetId;
    if (queue !== undefined) (epb as { queue?: number }).queue = queue;
    return epb;
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
  const tail: PcapngBlock[] = [];
  parser.end(tail);
  if (tail.length) yield tail;
}

/** Streams blocks one by one. */
export async function* readPcapng(input: string | Readable, opts: ReadOptions = {}): AsyncGenerator<PcapngBlock> {
  for await (const batch of readPcapngBatches(input, opts)) yield* batch;
}
