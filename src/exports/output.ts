/**
 * File output shared by the export writers: refuses to overwrite an existing file unless `force`,
 * and writes with backpressure so a fast producer cannot pile the export up in memory.
 *
 * `const out = await createOutput(path, force); await out.write('text'); await out.close();`
 * On failure call `out.abort()`: it closes the stream (the partial file is left for inspection).
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { WriteStream } from 'node:fs';
import { UserFacingError } from '../errors.ts';
import { drained } from '../stream/drained.ts';

/** An export that cannot be written as asked (the output exists, bad export options). */
export class ExportError extends UserFacingError {
  override name = 'ExportError';
}

export interface Output {
  readonly stream: WriteStream;
  write(chunk: string | Uint8Array): Promise<void>;
  close(): Promise<void>;
  abort(): void;
}

export async function createOutput(path: string, force = false): Promise<Output> {
  const stream = createWriteStream(path, { flags: force ? 'w' : 'wx' });
  try {
    await once(stream, 'open');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ExportError(code === 'EEXIST' ? `${path} exists: not overwriting it (use --force to replace it)` : `${path}: ${(e as Error).message}`);
  }
  let failed: Error | null = null;
  stream.on('error', (e) => {
    failed = e;
  });
  return {
    stream,
    async write(chunk) {
      if (failed) throw failed;
      if (!stream.write(chunk)) await drained(stream, 'error');
      if (failed) throw failed;
    },
    async close() {
      if (failed) throw failed;
      stream.end();
      await once(stream, 'close');
      if (failed) throw failed;
    },
    abort() {
      stream.destroy();
    },
  };
}
