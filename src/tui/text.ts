/** Small text helpers shared by the viewer's views: fixed-width cells and squeezed lines. */

/** Cuts or pads to exactly `width` columns (the viewer's strings are single-width characters). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

/** A way to make a line laid out by `squeeze` shorter: piece `piece` becomes `text` ('' drops it). */
export interface Shortening {
  readonly piece: number;
  readonly text: string;
}

/**
 * Lays pieces out on one line of exactly `width` columns, joined by `sep` (empty pieces are left
 * out): while the line is too long, applies the next shortening, so the least important parts go
 * first; what still does not fit is cut by `fit`. An infinite width returns the whole line, unpadded.
 *
 * Example: squeeze(['a.pcapng (pcapng)', '1.2 s'], [{ piece: 0, text: 'a.pcapng' }], 16, '  ') -> 'a.pcapng  1.2 s '
 */
export function squeeze(pieces: readonly string[], shortenings: readonly Shortening[], width: number, sep: string): string {
  const now = [...pieces];
  const line = (): string => now.filter((p) => p !== '').join(sep);
  for (const s of shortenings) {
    if (line().length <= width) break;
    now[s.piece] = s.text;
  }
  return Number.isFinite(width) ? fit(line(), width) : line();
}
