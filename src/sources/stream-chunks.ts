/**
 * Iterates a byte stream's chunks exactly as they were pushed, without concatenation.
 *
 * `for await (const b of stream)` goes through `read()`, which concatenates every buffered chunk
 * into one new Buffer: with a deep read-ahead (inflate) that copies the whole capture once more.
 * This reads via 'data' events instead, pausing the stream while `maxQueued` chunks wait.
 *
 * Example: for await (const chunk of streamChunks(inflate)) scan(chunk);
 */
import type { Readable } from 'node:stream';

export async function* streamChunks(stream: Readable, maxQueued = 4): AsyncGenerator<Buffer> {
  const queue: Buffer[] = [];
  let ended = false;
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const notify = (): void => {
    const w = wake;
    wake = null;
    w?.();
  };
  const onData = (b: Buffer): void => {
    queue.push(b);
    if (queue.length >= maxQueued) stream.pause();
    notify();
  };
  const onEnd = (): void => {
    ended = true;
    notify();
  };
  const onError = (e: Error): void => {
    failure = e;
    notify();
  };
  stream.on('data', onData);
  stream.on('end', onEnd);
  stream.on('error', onError);
  try {
    for (;;) {
      if (queue.length > 0) {
        const b = queue.shift() as Buffer;
        if (queue.length < maxQueued && stream.isPaused()) stream.resume();
        yield b;
        continue;
      }
      if (failure) throw failure;
      if (ended) return;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    stream.off('data', onData);
    stream.off('end', onEnd);
    stream.off('error', onError);
  }
}

/** A typed array without the zero-fill of `new Float64Array(n)`: every slot is written before use. */
export function uninitFloat64(n: number): Float64Array {
  return new Float64Array(Buffer.allocUnsafeSlow(n * 8).buffer, 0, n);
}

export function uninitUint32(n: number): Uint32Array {
  return new Uint32Array(Buffer.allocUnsafeSlow(n * 4).buffer, 0, n);
}
