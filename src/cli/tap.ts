/** Passes a record stream through unchanged while a callback sees every batch (summary, progress). */
import type { BuddyRecord, RecordStream } from '../records/types.ts';

export async function* tap(records: RecordStream, see: (batch: readonly BuddyRecord[]) => void): AsyncGenerator<readonly BuddyRecord[]> {
  for await (const batch of records) {
    see(batch);
    yield batch;
  }
}
