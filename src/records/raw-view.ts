/**
 * Whether SPI transactions are the thing to list (decode's table, the TUI's default list): the link
 * stage did not run (one data line, other word widths), or found no frames (another device, said by
 * a no-link-frames anomaly), until a frame shows up. Fed every record in stream order.
 *
 *   const raw = new RawView(opened.linkSkipped !== undefined);
 *   for (const r of records) if (raw.shows(r)) list(r);   // shows() is true for raw transactions only
 */
import type { BuddyRecord } from './types.ts';

export class RawView {
  constructor(private on: boolean) {}

  /** Takes the record into account; true when it is a transaction to list as it is. */
  shows(r: BuddyRecord): boolean {
    if (r.kind === 'anomaly' && r.code === 'no-link-frames') this.on = true;
    else if (r.kind === 'frame' || r.kind === 'link') this.on = false;
    return r.kind === 'txn' && this.on;
  }
}
