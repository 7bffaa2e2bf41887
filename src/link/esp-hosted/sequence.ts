/**
 * Sequence-number gaps (FG and MCU carry seq_num). Senders number differently: the ESP counts per
 * interface (serial_write_data's own counter), embassy's host driver one counter for everything it
 * sends, and many senders leave 0. So a frame is in order when it follows either the last frame of
 * its interface or the last frame of its direction; 0 never counts as a gap (unnumbered frames, and
 * the wrap from 65535).
 */
import type { Direction } from '../../records/types.ts';

export interface Gap {
  readonly expected: number;
  readonly got: number;
  readonly missing: number;
}

export class SequenceTracker {
  private readonly byIface = new Map<string, number>();
  private readonly byDir = new Map<Direction, number>();

  /** Records `seq` and returns the gap it shows, if any. */
  next(dir: Direction, ifType: number, seq: number): Gap | undefined {
    const k = `${dir}:${ifType}`;
    const lastIf = this.byIface.get(k);
    const lastDir = this.byDir.get(dir);
    this.byIface.set(k, seq);
    this.byDir.set(dir, seq);
    if (seq === 0 || lastIf === undefined || lastIf === 0) return undefined;
    const follows = (last: number | undefined): boolean => last !== undefined && ((last + 1) & 0xffff) === seq;
    if (follows(lastIf) || follows(lastDir)) return undefined;
    const missing = (seq - lastIf - 1 + 0x10000) & 0xffff;
    // A repeat or a step backwards is a restart of the sender's numbering, not a loss.
    if (missing === 0xffff || missing >= 0x8000) return undefined;
    return { expected: (lastIf + 1) & 0xffff, got: seq, missing };
  }

  reset(): void {
    this.byIface.clear();
    this.byDir.clear();
  }
}
