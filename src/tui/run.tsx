/**
 * Runs the viewer on a terminal: switches to the alternate screen, renders ViewerScreen, and loads
 * the record stream into the index in the background, redrawing with the loading count a few times
 * a second (and yielding to the event loop, so keys work while a big capture loads). Resolves when
 * the user quits; quitting while loading stops reading the input.
 *
 * Example: await runViewer(opened.records, sum)
 */
import { render } from 'ink';
import { messageFor } from '../cli/errors.ts';
import type { RecordSummary } from '../cli/record-summary.ts';
import type { RecordStream } from '../records/types.ts';
import { ViewerScreen } from './components/viewer.tsx';
import { RecordIndex } from './record-index.ts';

const REDRAW_MS = 150;
const YIELD_MS = 30;

export interface RunViewerOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
}

/** Appends the stream to the index; `redraw` is called every REDRAW_MS and at the end. */
export async function loadIndex(records: RecordStream, index: RecordIndex, redraw: () => void, stopped: () => boolean): Promise<void> {
  let lastDraw = Date.now();
  let lastYield = Date.now();
  try {
    for await (const batch of records) {
      index.append(batch);
      const now = Date.now();
      if (now - lastDraw >= REDRAW_MS) {
        lastDraw = now;
        redraw();
      }
      if (now - lastYield >= YIELD_MS) {
        // Let key presses and frames through between batches of a fast source.
        await new Promise((resolve) => setImmediate(resolve));
        lastYield = Date.now();
      }
      if (stopped()) break;
    }
  } catch (err) {
    // Bad input ends the stream after what decoded before the fault: keep that on screen.
    index.error = messageFor(err) ?? (err instanceof Error ? err.message : String(err));
  } finally {
    index.done = true;
    redraw();
  }
}

export async function runViewer(records: RecordStream, summary: RecordSummary, opts: RunViewerOptions = {}): Promise<RecordIndex> {
  const stdout = opts.stdout ?? process.stdout;
  const index = new RecordIndex(summary);
  let quit = false;
  // Alternate screen (the shell's screen comes back on quit), and SGR mouse reports for the wheel.
  stdout.write('\x1b[?1049h\x1b[H\x1b[?1000h\x1b[?1006h');
  const instance = render(<ViewerScreen index={index} loaded={0} />, {
    stdout, ...(opts.stdin ? { stdin: opts.stdin } : {}), patchConsole: false,
  });
  const redraw = (): void => {
    if (!quit) instance.rerender(<ViewerScreen index={index} loaded={index.length} />);
  };
  const exited = instance.waitUntilExit().finally(() => {
    quit = true;
  });
  const loading = loadIndex(records, index, redraw, () => quit);
  try {
    await exited;
  } finally {
    stdout.write('\x1b[?1000l\x1b[?1006l\x1b[?1049l');
  }
  await loading;
  return index;
}
