/**
 * One zip entry's decompressed bytes, read ahead, checked, and cut exactly at a fault.
 *
 * `openEntryBytes(zip, entry, path)` starts reading at once (so the next entry inflates on the
 * thread pool while the caller scans this one) and is iterated for the bytes, in chunks of up to
 * 1 MiB, as inflate produced them (no concatenation). Every failure is a SourceError at
 * `entry NAME`, thrown by the iterator after every byte that came before it:
 *
 * - corrupt deflate data: zlib drops what it decoded in the call that failed, so the entry is
 *   inflated again from its start, feeding the failing stretch in ever smaller pieces down to
 *   single bytes, and the bytes decodable before the bad one are delivered too;
 * - compressed data that stops early (its compressed size in the zip directory too small, or the
 *   file cut): everything decodable is delivered (final flush Z_SYNC_FLUSH), then the shortfall
 *   against the declared size is the error; a compressed size too large is harmless (inflate
 *   stops at the end of the deflate stream);
 * - more bytes than the declared size (bytes past it are not delivered), a CRC-32 that does not
 *   match, a read error, a compression method other than stored or deflate.
 *
 * No error is ever left as an unhandled 'error' event, whether or not the caller is iterating.
 */
import { crc32 } from '@node-rs/crc32';
import type { Readable } from 'node:stream';
import { constants, createInflateRaw } from 'node:zlib';
import type { InflateRaw } from 'node:zlib';
import type { Entry, ZipFile } from 'yauzl';
import { SourceError } from './errors.ts';
import { drained } from '../stream/drained.ts';

export interface EntryBytes extends AsyncIterable<Buffer> {
  /** Stops reading and releases the entry (also done when iteration ends or is abandoned). */
  close(): void;
}

const OUT_CHUNK = 1 << 20;
/** Compressed bytes per inflate write: bounds what one failing write can hide. */
const PIECE = 16 * 1024;
/** Output chunks queued ahead of the consumer (each write may add up to ~1000x its size). */
const DEPTH = 4;
/** How much finer each salvage pass cuts the failing stretch. */
const NARROWING = 64;

/** How one pass feeds the compressed bytes: `fineSize` pieces over [fineFrom, fineTo), stop at fineTo. */
interface Plan {
  readonly skip: number;
  readonly fine?: { readonly from: number; readonly to: number; readonly size: number };
}

type RawOpener = () => Promise<Readable>;

/** One reading of the entry from its first compressed byte. */
class Pass {
  private readonly out: Buffer[] = [];
  private produced = 0;
  /** Compressed bytes inflated without error, and written to the engine. */
  goodIn = 0;
  fedIn = 0;
  inflateError: Error | null = null;
  ioError: Error | null = null;
  private done = false;
  private closed = false;
  private raw: Readable | null = null;
  private readonly inflate: InflateRaw | null;
  private wakeConsumer: (() => void) | null = null;
  private wakePump: (() => void) | null = null;

  constructor(openRaw: RawOpener, deflated: boolean, private readonly plan: Plan, private readonly limit: number) {
    this.inflate = deflated ? createInflateRaw({ chunkSize: OUT_CHUNK, finishFlush: constants.Z_SYNC_FLUSH }) : null;
    if (this.inflate) {
      this.inflate.on('data', (b: Buffer) => this.accept(b));
      this.inflate.on('end', () => this.finish());
      this.inflate.on('error', (e: Error) => {
        this.inflateError ??= e;
        this.finish();
      });
    }
    this.pump(openRaw).catch((e: unknown) => {
      // A read cut short by close() is not a read error.
      if (!this.closed) this.ioError ??= e instanceof Error ? e : new Error(String(e));
      this.finish();
    });
  }

  /** The next output chunk, or null when the pass is over (then see the error fields). */
  async take(): Promise<Buffer | null> {
    for (;;) {
      const b = this.out.shift();
      if (b !== undefined) {
        this.notify('pump');
        return b;
      }
      if (this.done) return null;
      await new Promise<void>((r) => (this.wakeConsumer = r));
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.raw?.destroy();
    this.inflate?.destroy();
    this.finish();
  }

  private accept(b: Buffer): void {
    if (this.closed) return;
    const start = this.produced;
    this.produced += b.length;
    if (this.produced > this.plan.skip) this.out.push(start >= this.plan.skip ? b : b.subarray(this.plan.skip - start));
    // Past the declared size: the consumer reports it; no need to inflate any more of a bomb.
    if (this.produced > this.limit) this.close();
    this.notify('consumer');
  }

  private written(err: Error | null | undefined, end: number): void {
    if (!err) this.goodIn = end;
  }

  private finish(): void {
    this.done = true;
    this.notify('consumer');
    this.notify('pump');
  }

  private notify(who: 'consumer' | 'pump'): void {
    const w = who === 'consumer' ? this.wakeConsumer : this.wakePump;
    if (who === 'consumer') this.wakeConsumer = null;
    else this.wakePump = null;
    w?.();
  }

  private async pump(openRaw: RawOpener): Promise<void> {
    const raw = await openRaw();
    this.raw = raw;
    if (this.closed) return void raw.destroy();
    const fine = this.plan.fine;
    for await (const chunk of raw as AsyncIterable<Buffer>) {
      for (let o = 0; o < chunk.length; ) {
        while (this.out.length >= DEPTH && !this.done) await new Promise<void>((r) => (this.wakePump = r));
        if (this.done) return void raw.destroy();
        const at = this.fedIn;
        const size = fine && at >= fine.from ? fine.size : fine ? Math.min(PIECE, fine.from - at) : PIECE;
        const piece = chunk.subarray(o, o + size);
        o += piece.length;
        this.fedIn += piece.length;
        if (!this.inflate) {
          this.accept(piece);
        } else if (!this.inflate.write(piece, (err) => this.written(err, at + piece.length))) {
          await drained(this.inflate, 'close');
        }
        // A salvage pass stops after its fine stretch: the fault is inside it.
        if (fine && this.fedIn >= fine.to) return void this.endInput(raw);
      }
    }
    this.endInput(raw);
  }

  private endInput(raw: Readable): void {
    raw.destroy();
    if (this.inflate) {
      if (!this.inflate.destroyed) this.inflate.end();
    } else {
      this.finish();
    }
  }
}

export function openEntryBytes(zip: ZipFile, entry: Entry, path: string): EntryBytes {
  const where = `entry ${entry.fileName}`;
  const method = entry.compressionMethod;
  const openRaw: RawOpener = () =>
    new Promise<Readable>((resolve, reject) => {
      zip.openReadStream(entry, { decodeFileData: false }, (err, s) => (err ? reject(err) : resolve(s)));
    });
  const declared = entry.uncompressedSize;
  let pass: Pass | null = method === 0 || method === 8 ? new Pass(openRaw, method === 8, { skip: 0 }, declared) : null;

  async function* bytes(): AsyncGenerator<Buffer> {
    if (pass === null) throw new SourceError(path, where, `compression method ${method} is not supported (only stored or deflate)`);
    let delivered = 0;
    let crc = 0;
    // Yields one pass's bytes, counted and checksummed; stops at the declared size.
    async function* drain(p: Pass): AsyncGenerator<Buffer, void> {
      for (let b = await p.take(); b !== null; b = await p.take()) {
        if (delivered + b.length > declared) {
          const head = b.subarray(0, declared - delivered);
          delivered += head.length;
          crc = crc32(head, crc);
          if (head.length > 0) yield head;
          throw new SourceError(path, where, `holds more than its declared size of ${declared} bytes`);
        }
        delivered += b.length;
        crc = crc32(b, crc);
        yield b;
      }
    }
    try {
      yield* drain(pass);
      if (pass.ioError) throw new SourceError(path, where, `read error: ${pass.ioError.message}`);
      if (pass.inflateError) {
        const cause = pass.inflateError.message;
        let from = pass.goodIn;
        let to = pass.fedIn;
        while (to - from > 1) {
          const size = Math.ceil((to - from) / NARROWING);
          pass.close();
          pass = new Pass(openRaw, true, { skip: delivered, fine: { from, to, size } }, declared);
          yield* drain(pass);
          if (!pass.inflateError) break; // not reproducible (should not happen): report what the first pass saw
          from = pass.goodIn;
          to = Math.min(pass.fedIn, from + size);
        }
        throw new SourceError(path, where, `corrupt compressed data at compressed byte ${from}, after ${delivered} of ${declared} bytes: ${cause}`);
      }
      if (delivered < declared) {
        throw new SourceError(path, where, `compressed data ends after ${delivered} of ${declared} bytes (a wrong compressed size in the zip directory, or a cut file)`);
      }
      if (crc >>> 0 !== entry.crc32 >>> 0) throw new SourceError(path, where, `CRC-32 mismatch: the data is damaged`);
    } finally {
      pass.close();
    }
  }

  return {
    [Symbol.asyncIterator]: () => bytes(),
    close: () => pass?.close(),
  };
}
