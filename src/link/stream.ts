/** Streaming wrapper around a link stage: records in, records out, batch for batch. */
import { nonEmpty, withTail } from '../stream/with-tail.ts';
import type { BuddyRecord, RecordStream } from '../records/types.ts';
import type { LinkStage } from './protocol.ts';

export async function* decodeLink(input: RecordStream, stage: LinkStage): AsyncGenerator<BuddyRecord[]> {
  async function* decode(): AsyncGenerator<BuddyRecord[]> {
    for await (const batch of input) {
      const out = stage.push(batch);
      if (out.length) yield out;
    }
  }
  // The end-of-capture checks (a message still in reassembly) apply at a fault too.
  yield* withTail(decode(), () => nonEmpty(stage.finish()));
}
