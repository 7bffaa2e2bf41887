/** Streaming wrapper around LinkDecoder: records in, records out, batch for batch. */
import type { BuddyRecord, RecordStream } from '../records/types.ts';
import { LinkDecoder } from './decoder.ts';

export async function* decodeLink(input: RecordStream, decoder = new LinkDecoder()): AsyncGenerator<BuddyRecord[]> {
  for await (const batch of input) {
    const out = decoder.push(batch);
    if (out.length) yield out;
  }
  const tail = decoder.finish();
  if (tail.length) yield tail;
}
