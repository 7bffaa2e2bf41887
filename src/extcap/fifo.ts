/**
 * Opens the capture fifo Wireshark names with --fifo, for writing. Opening a fifo blocks until
 * its reader (dumpcap) opens the other end, so the open runs off the main thread; `release()`
 * ends a wait that is still pending (Wireshark stopped before reading) by briefly opening the
 * read end ourselves. Without that, the process could not exit: Node joins its I/O threads at
 * exit, and one would stay blocked in open(2) forever.
 *
 * A path that does not exist is created as a regular file, which makes `--fifo out.pcapng` a
 * handy way to try the extcap by hand.
 *
 * Example:
 *   const fifo = openFifoForWriting(args.fifo);
 *   process.once('SIGTERM', () => fifo.release());
 *   const fd = await fifo.fd;   // null when released before a reader came
 */
import { closeSync, constants, open, openSync } from 'node:fs';

export interface PendingFifo {
  /** The write descriptor, or null when released before the reader opened the fifo. */
  readonly fd: Promise<number | null>;
  release(): void;
}

export function openFifoForWriting(path: string): PendingFifo {
  let settled = false;
  let released = false;
  let readEnd: number | null = null;
  const fd = new Promise<number | null>((resolve, reject) => {
    open(path, 'w', (err, opened) => {
      settled = true;
      if (readEnd !== null) closeSync(readEnd);
      if (err) {
        if (released) resolve(null);
        else reject(err);
        return;
      }
      if (released) {
        closeSync(opened);
        resolve(null);
      } else resolve(opened);
    });
  });
  return {
    fd,
    release() {
      if (settled || released) return;
      released = true;
      try {
        readEnd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch {
        // The fifo's name is gone (Wireshark removed it): there is no read end left to open.
      }
    },
  };
}
