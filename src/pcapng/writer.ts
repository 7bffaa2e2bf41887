/**
 * Streaming pcapng writer. Consumes batches of packets, emits whole blocks: each call to
 * `writePackets` encodes its batch into one buffer and hands it to the output in one write, so a
 * killed process leaves a file that is readable up to the last complete block.
 *
 * Outputs: a new file (`create`, opened with `wx`: an existing file is never overwritten unless
 * `force: true`), an open file descriptor (`toFd`, e.g. an extcap fifo), or a Node Writable
 * (`toStream`, e.g. stdout; backpressure is honoured).
 *
 * Options: userappl (default "buddyshark <package version>"), hardware, os (default none), force
 * (default false).
 *
 * Example:
 *   const w = PcapngWriter.create('out.pcapng');
 *   const eth = w.addInterface({ linkType: 1, name: 'buddy-eth' });
 *   await w.writePackets([{ interfaceId: eth, timestamp: 1500n, data: frame, flags: DIR_INBOUND }]);
 *   await w.close();
 */
import fs from 'node:fs';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import { UserFacingError } from '../errors.ts';
import { ByteBuffer } from './bytes.ts';
import { encodeEpb, encodeIdb, encodeShb, type InterfaceOptions, type PcapngPacket, type SectionOptions } from './blocks.ts';
import { VERSION } from '../paths.ts';

/** From package.json, so shb_userappl names the build that wrote the file. */
export const BUDDYSHARK_VERSION: string = VERSION;

export interface WriterOptions extends SectionOptions {
  /** Overwrite an existing file (create only). Default false. */
  readonly force?: boolean;
}

/** Thrown by `create` when the output exists and `force` is not set. */
export class OutputExistsError extends UserFacingError {
  override name = 'OutputExistsError';

  constructor(readonly path: string) {
    super(`${path} already exists: refusing to overwrite it (use --force to replace it)`);
  }
}

interface Output {
  write(bytes: Buffer): void | Promise<void>;
  close(): void | Promise<void>;
}

function fdOutput(fd: number, closeFd: boolean): Output {
  return {
    write(bytes) {
      let at = 0;
      while (at < bytes.length) at += fs.writeSync(fd, bytes, at, bytes.length - at);
    },
    close() {
      if (closeFd) fs.closeSync(fd);
    },
  };
}

function streamOutput(stream: Writable, end: boolean): Output {
  return {
    async write(bytes) {
      // The batch buffer is reused, so the stream gets its own copy.
      if (!stream.write(Buffer.from(bytes))) await once(stream, 'drain');
    },
    async close() {
      if (!end) return;
      stream.end();
      if (!stream.writableFinished) await once(stream, 'finish');
    },
  };
}

export class PcapngWriter {
  private readonly out = new ByteBuffer(256 * 1024);
  private interfaces = 0;
  private closed = false;

  private constructor(private readonly output: Output, opts: SectionOptions) {
    encodeShb(this.out, { userappl: `buddyshark ${BUDDYSHARK_VERSION}`, ...opts });
  }

  /** Creates `path` (never replacing an existing file unless `force`) and writes the SHB. */
  static create(path: string, opts: WriterOptions = {}): PcapngWriter {
    let fd: number;
    try {
      fd = fs.openSync(path, opts.force ? 'w' : 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new OutputExistsError(path);
      throw err;
    }
    const w = new PcapngWriter(fdOutput(fd, true), opts);
    w.flushSync();
    return w;
  }

  /** Writes to an open descriptor (a fifo, a file opened elsewhere); `close` leaves it open unless `closeFd`. */
  static toFd(fd: number, opts: SectionOptions & { readonly closeFd?: boolean } = {}): PcapngWriter {
    const w = new PcapngWriter(fdOutput(fd, opts.closeFd ?? false), opts);
    w.flushSync();
    return w;
  }

  /** Writes to a stream; `close` ends it unless `end: false` (e.g. process.stdout). */
  static toStream(stream: Writable, opts: SectionOptions & { readonly end?: boolean } = {}): PcapngWriter {
    return new PcapngWriter(streamOutput(stream, opts.end ?? true), opts);
  }

  /** Queues an IDB (written with the next batch or flush) and returns its interface id. */
  addInterface(opts: InterfaceOptions): number {
    this.checkOpen();
    encodeIdb(this.out, opts);
    return this.interfaces++;
  }

  get interfaceCount(): number {
    return this.interfaces;
  }

  /** Encodes a batch and writes it with a single write. */
  async writePackets(batch: readonly PcapngPacket[]): Promise<void> {
    this.checkOpen();
    await this.writeBlocks((out) => {
      for (const p of batch) {
        if (p.interfaceId >= this.interfaces) throw new RangeError(`packet names interface ${p.interfaceId}, only ${this.interfaces} declared`);
        const at = out.pos;
        try {
          encodeEpb(out, p);
        } catch (err) {
          out.pos = at; // never leave half a block behind
          throw err;
        }
      }
    });
  }

  /**
   * Lets the caller encode blocks straight into the batch buffer, then writes the batch in one
   * write (the record sink's fast path). The caller must only name interfaces it has added.
   */
  async writeBlocks(encode: (out: ByteBuffer) => void): Promise<void> {
    this.checkOpen();
    try {
      encode(this.out);
    } finally {
      // Whole blocks written before a throw still go out (callers roll back a half-written block).
      await this.flush();
    }
  }

  /** Writes whatever is queued (SHB, IDBs). */
  async flush(): Promise<void> {
    if (this.out.pos === 0) return;
    const bytes = this.out.view();
    try {
      await this.output.write(bytes);
    } finally {
      this.out.reset();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    await this.output.close();
  }

  private flushSync(): void {
    void this.output.write(this.out.view());
    this.out.reset();
  }

  private checkOpen(): void {
    if (this.closed) throw new Error('pcapng writer is closed');
  }
}
