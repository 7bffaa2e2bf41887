/** Small text helpers shared by the viewer's views: fixed-width cells and relative times. */

/** Cuts or pads to exactly `width` columns (the viewer's strings are single-width characters). */
export function fit(text: string, width: number): string {
  if (width <= 0) return '';
  return text.length > width ? `${text.slice(0, Math.max(0, width - 1))}…` : text.padEnd(width);
}

/** Time since capture start in µs, as the list shows it: "     123.456". */
export function relativeMicros(tNs: number, t0Ns: number): string {
  return ((tNs - t0Ns) / 1000).toFixed(3);
}
