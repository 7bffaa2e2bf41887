/** Streaming wrapper around LinkDecoder: records in, records out, batch for batch. */
import { nonEmpty, withTail } from '../stream/with-tail.ts';
import type { BuddyRecord, RecordStream } from '../records/types.ts';
import { LinkDecoder } from './decoder.ts';

export async function* decodeLink(input: RecordStream, decoder = new LinkDecoder()): AsyncGenerator<BuddyRecord[]> {
  async function* decode(): AsyncGenerator<BuddyRecord[]> {
    for await (const batch of input) {
      const out = decoder.push(batch);
      if (out.length) yield out;
    }
  }
  // The end-of-capture checks (a message still in reassembly) apply at a fault too.
  yield* withTail(decode(), () => nonEmpty(decoder.finish()));
}
