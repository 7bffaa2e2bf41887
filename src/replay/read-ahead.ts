/**
 * Reading the capture ahead of the simulation. A message carried in a later transaction may have
 * to reach the simulated end before earlier transactions are replayed (the PENDING rule,
 * host-actions.ts), so each event is first read (`onRead`: schedule what it reveals), and only
 * released to the simulation (`release`) once more than `lookahead` transactions have been read
 * after it and it comes before `holdNs()`, the earliest time the next message may need.
 */
import { eventTime, type CapturedEvent } from './captured.ts';

export interface ReadAheadOptions {
  readonly lookahead: number;
  readonly holdNs: () => number;
  readonly onRead: (e: CapturedEvent) => void;
  readonly release: (e: CapturedEvent) => Promise<void>;
  /** Checked after each release: true ends the replay early (what is left is not released). */
  readonly stop?: () => boolean;
}

export async function replayReadingAhead(events: AsyncIterable<readonly CapturedEvent[]>, o: ReadAheadOptions): Promise<void> {
  const ahead: CapturedEvent[] = [];
  let txnsAhead = 0;
  const releaseFirst = async (): Promise<boolean> => {
    const e = ahead.shift() as CapturedEvent;
    if (e.kind === 'txn') txnsAhead--;
    await o.release(e);
    return o.stop?.() ?? false;
  };
  for await (const batch of events) {
    for (const e of batch) {
      o.onRead(e);
      ahead.push(e);
      if (e.kind === 'txn') txnsAhead++;
      while (txnsAhead > o.lookahead && ahead.length && eventTime(ahead[0]) < o.holdNs()) {
        if (await releaseFirst()) return;
      }
    }
  }
  while (ahead.length) if (await releaseFirst()) return;
}
