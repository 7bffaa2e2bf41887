/**
 * Runs the viewer on a terminal: switches to the alternate screen, renders ViewerScreen, and loads
 * the record stream into the index in the background, redrawing with the loading count a few times
 * a second (and yielding to the event loop, so keys work while a big capture loads). Resolves when
 * the user quits; quitting while loading stops reading the input.
 *
 * Live (`opts.live`): the stream never ends by itself, follow mode starts on, the index keeps at
 * most `live.window` records (older ones are dropped in chunks, see live.ts), a connection state
 * change redraws the header, and s saves the window to buddyshark-live-<time>.pcapng in `saveDir`.
 *
 * Example: await runViewer(opened.records, sum)
 *          await runViewer(decodeLink(source.records), sum, { live: new LiveView(200_000) })
 */
import path from 'node:path';
import { render } from 'ink';
import { userMessage } from '../errors.ts';
import type { RecordSummary } from '../records/summary.ts';
import type { RecordStream } from '../records/types.ts';
import { ViewerScreen } from './components/viewer.tsx';
import { recordsToDrop, saveWindow, type LiveView } from './live.ts';
import { RecordIndex } from './record-index.ts';

const REDRAW_MS = 150;
const YIELD_MS = 30;

export interface RunViewerOptions {
  readonly stdout?: NodeJS.WriteStream;
  readonly stdin?: NodeJS.ReadStream;
  /** Follow a live source (see above). */
  readonly live?: LiveView;
  /** Where s saves the window (default: the current directory). */
  readonly saveDir?: string;
  /** Called when the user quits, before the loader is awaited (a live source must be stopped). */
  readonly onQuit?: () => void;
}

/**
 * Appends the stream to the index; `redraw` is called every REDRAW_MS and at the end. With a
 * `window`, the oldest records are dropped whenever the index would hold more.
 */
export async function loadIndex(records: RecordStream, index: RecordIndex, redraw: () => void, stopped: () => boolean, window?: number): Promise<void> {
  let lastDraw = Date.now();
  let lastYield = Date.now();
  try {
    for await (const batch of records) {
      index.append(batch);
      if (window !== undefined) index.dropOldest(recordsToDrop(index.length, window));
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
    index.error = userMessage(err) ?? (err instanceof Error ? err.message : String(err));
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
  const live = opts.live ?? null;
  const onSave = live
    ? async (): Promise<string> => {
      const saved = await saveWindow(index.records, opts.saveDir);
      // Short enough for the status bar: relative to the cwd when it is in it (the default).
      const rel = path.relative(process.cwd(), saved.path);
      const where = rel.startsWith('..') || path.isAbsolute(rel) ? saved.path : `./${rel}`;
      return `saved ${saved.records.toLocaleString('en')} records to ${where}`;
    }
    : undefined;
  const screen = (): React.JSX.Element => (
    <ViewerScreen index={index} loaded={index.dropped + index.length} live={live} {...(onSave ? { onSave } : {})} />
  );
  const instance = render(screen(), {
    stdout, ...(opts.stdin ? { stdin: opts.stdin } : {}), patchConsole: false,
  });
  const redraw = (): void => {
    if (!quit) instance.rerender(screen());
  };
  if (live) live.onChange = redraw;
  const exited = instance.waitUntilExit().finally(() => {
    quit = true;
    opts.onQuit?.();
  });
  const loading = loadIndex(records, index, redraw, () => quit, live?.window);
  try {
    await exited;
  } finally {
    stdout.write('\x1b[?1000l\x1b[?1006l\x1b[?1049l');
  }
  if (live) live.onChange = null;
  await loading;
  return index;
}
