/**
 * What the viewer needs to follow a live source: the bounded window (how many records to forget
 * once the index holds more than `window`), the connection state shown in the header (set from the
 * source's status callback, with a redraw hook), and saving the window to a pcapng file named
 * buddyshark-live-<YYYYMMDDHHMMSS>.pcapng (then -2, -3... if taken) in a folder, the cwd by default.
 *
 * Example:
 *   const live = new LiveView(200_000);
 *   openLiveSource(spec, { onStatus: (s) => live.setState(s.state, s.detail) });
 *   const { path, records } = await saveWindow(index.records);
 */
import path from 'node:path';
import { writeRecordsToPcapng } from '../pcapng/sink.ts';
import { ringTimestamp } from '../pcapng/ring.ts';
import { OutputExistsError } from '../pcapng/writer.ts';
import type { BuddyRecord } from '../records/types.ts';

export const DEFAULT_WINDOW = 200_000;
/** Records written per pcapng batch when saving. */
const SAVE_BATCH = 4096;

/**
 * How many records to drop so the index stays within `window`. A drop rebuilds the index over what
 * is kept, so drops come in chunks of a quarter of the window: the index then holds 3/4 to all of
 * it, and the rebuilds cost about 3 appends per record on average.
 */
export function recordsToDrop(length: number, window: number): number {
  if (length <= window) return 0;
  return length - window + Math.floor(window / 4);
}

export class LiveView {
  state = 'connecting';
  detail = '';
  /** Set by the viewer: redraws the screen (a state change while no records flow). */
  onChange: (() => void) | null = null;

  constructor(readonly window: number = DEFAULT_WINDOW) {
    if (!Number.isInteger(window) || window < 1) throw new RangeError(`window must be a whole number >= 1 (got ${window})`);
  }

  setState(state: string, detail: string): void {
    this.state = state;
    this.detail = detail;
    this.onChange?.();
  }
}

/** buddyshark-live-<timestamp>.pcapng, or with -2, -3... when that name is taken. */
export function liveFileName(dir: string, at: Date, attempt: number): string {
  return path.join(dir, `buddyshark-live-${ringTimestamp(at)}${attempt > 1 ? `-${attempt}` : ''}.pcapng`);
}

/** Writes the records (a snapshot: the caller's array may change meanwhile) to a new file. */
export async function saveWindow(records: readonly BuddyRecord[], dir = process.cwd(), at = new Date()): Promise<{ path: string; records: number }> {
  const snapshot = records.slice();
  async function* batches(): AsyncGenerator<readonly BuddyRecord[]> {
    for (let i = 0; i < snapshot.length; i += SAVE_BATCH) yield snapshot.slice(i, i + SAVE_BATCH);
  }
  for (let attempt = 1; ; attempt++) {
    const file = liveFileName(dir, at, attempt);
    try {
      await writeRecordsToPcapng(batches(), file);
      return { path: path.resolve(file), records: snapshot.length };
    } catch (err) {
      if (err instanceof OutputExistsError && attempt < 1000) continue;
      throw err;
    }
  }
}
