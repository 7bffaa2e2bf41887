/**
 * Opens a path or `-` (standard input) as a stream of byte chunks, with the first bytes available
 * up front for format detection.
 *
 * `openByteInput(path)` -> `{ name, path, head, chunks() }`: `head` is up to 4 KiB from the start
 * (fewer if the input is shorter); `chunks()` yields the whole input from byte 0, head included, in
 * chunks of up to 1 MiB. For stdin the head is consumed from the stream and replayed, so detection
 * does not lose data; `chunks()` may be called once for stdin.
 *
 * Example: `const inp = await openByteInput('-'); if (inp.head[0] === 0x24) ...`
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import type { Readable } from 'node:stream';

export const HEAD_BYTES = 4096;
const CHUNK_BYTES = 1 << 20;

export interface ByteInput {
  /** Name for messages: the path, or `<stdin>`. */
  readonly name: string;
  /** File path, or null for stdin. */
  readonly path: string | null;
  readonly head: Buffer;
  chunks(): AsyncIterable<Buffer>;
}

export async function openByteInput(path: string, stdin: Readable = process.stdin): Promise<ByteInput> {
  if (path === '-') return openStream('<stdin>', stdin);
  const fh = await open(path, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await fh.read(head, 0, HEAD_BYTES, 0);
    return {
      name: path,
      path,
      head: head.subarray(0, bytesRead),
      chunks: () => createReadStream(path, { highWaterMark: CHUNK_BYTES }),
    };
  } finally {
    await fh.close();
  }
}

/** Wraps any readable byte stream (stdin, a test's Readable) the same way. */
export async function openStream(name: string, stream: Readable): Promise<ByteInput> {
  const it = (stream as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const taken: Buffer[] = [];
  let have = 0;
  let ended = false;
  while (have < HEAD_BYTES) {
    const r = await it.next();
    if (r.done) {
      ended = true;
      break;
    }
    const b = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    taken.push(b);
    have += b.length;
  }
  const all = Buffer.concat(taken);
  let used = false;
  return {
    name,
    path: null,
    head: all.subarray(0, HEAD_BYTES),
    chunks: async function* () {
      if (used) throw new Error(`${name} can be read only once`);
      used = true;
      if (all.length > 0) yield all;
      if (ended) return;
      for (;;) {
        const r = await it.next();
        if (r.done) return;
        yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
      }
    },
  };
}
