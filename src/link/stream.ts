/** Streaming wrapper around LinkDecoder: records in, records out, batch for batch. */
import type { BuddyRecord, RecordStream } from '../records/types.ts';
import { LinkDecoder } from './decoder.ts';

export async function* decodeLink(input: RecordStream, decoder = new LinkDecoder()): AsyncGenerator<BuddyRecord[]> {
  try {
    for await (const batch of input) {
      const out = decoder.push(batch);
      if (out.length) yield out;
    }
  } catch (err) {
    // Records up to the fault are out already; the end-of-capture checks still apply to them.
    const tail = decoder.finish();
    if (tail.length) yield tail;
    throw err;
  }
  const tail = decoder.finish();
  if (tail.length) yield tail;
}
