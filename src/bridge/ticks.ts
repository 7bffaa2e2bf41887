/**
 * Bridge ticks -> ns, exact to the nearest ns for any clock up to 4.29 GHz and any tick count below
 * 2^53 (a plain `ticks * 1e9 / hz` loses the last digits once the product passes 2^53). A 1 GHz
 * clock (the simulator's) maps ticks to ns one to one.
 *
 * Example: ticksToNs(3, 48_000_000) -> 63 (62.5 rounded)
 */
export function ticksToNs(ticks: number, hz: number): number {
  if (hz === 1e9) return ticks;
  const whole = Math.floor(ticks / hz);
  const rem = ticks - whole * hz;
  return whole * 1e9 + Math.round((rem * 1e9) / hz);
}

export function nsToTicks(ns: number, hz: number): number {
  if (hz === 1e9) return Math.round(ns);
  const whole = Math.floor(ns / 1e9);
  const rem = ns - whole * 1e9;
  return whole * hz + Math.round((rem * hz) / 1e9);
}

export function formatHz(hz: number): string {
  if (hz >= 1e9 && hz % 1e8 === 0) return `${hz / 1e9} GHz`;
  if (hz >= 1e6 && hz % 1e4 === 0) return `${hz / 1e6} MHz`;
  if (hz >= 1e3 && hz % 10 === 0) return `${hz / 1e3} kHz`;
  return `${hz} Hz`;
}
