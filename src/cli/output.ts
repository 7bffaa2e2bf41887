/**
 * Output for people and scripts: colour only on a TTY (and never with NO_COLOR), plain text when
 * piped, and one-line errors. Every command that prints data also has --json.
 */
import { styleText } from 'node:util';
import { UserFacingError } from '../errors.ts';

type Style = Parameters<typeof styleText>[0];

export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  if (process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '') return false;
  if (process.env.FORCE_COLOR !== undefined && process.env.FORCE_COLOR !== '0') return true;
  return stream.isTTY === true;
}

export function paint(style: Style, text: string, on = useColour()): string {
  return on ? styleText(style, text) : text;
}

/** Pads a row of cells to the given widths (the last cell is free). */
export function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i < widths.length ? c.padEnd(widths[i]) : c)).join(' ').trimEnd();
}

/** An error a user caused at the command line (a bad option or argument): one line, exit code 2. */
export class UserError extends UserFacingError {
  override name = 'UserError';
}

/**
 * A fact the user should know that is not a fault (an assumed SPI mode, a skipped link stage):
 * "buddyshark: note: ...", so people and scripts tell it from the one error line of a failure.
 */
/** Notes waiting while a full-screen view owns the terminal (see withNotesHeld), or null. */
let heldNotes: string[] | null = null;

/**
 * Runs a full-screen view with notes held back and printed after it: written while Ink draws on
 * the alternate screen, they would be drawn over, then lost with the screen.
 */
export async function withNotesHeld<T>(run: () => Promise<T>): Promise<T> {
  heldNotes = [];
  try {
    return await run();
  } finally {
    const notes = heldNotes;
    heldNotes = null;
    for (const n of notes) printNote(n);
  }
}

export function printNote(message: string): void {
  if (heldNotes) {
    heldNotes.push(message);
    return;
  }
  const on = useColour(process.stderr);
  process.stderr.write(`${paint('yellow', 'buddyshark: note:', on)} ${message}\n`);
}

export function printError(message: string): void {
  process.stderr.write(`${paint('red', 'buddyshark:', useColour(process.stderr))} ${message}\n`);
}

/** Writes one NDJSON line (a consumer that goes away early is handled in main.ts: EPIPE exits 0). */
export function writeJsonLine(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value)}\n`);
}
