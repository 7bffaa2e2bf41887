/**
 * The timeline strip, as pure functions: which time window it shows (centred on the selected
 * record; zoom 0 is the whole capture and each zoom step halves the span), and one row of block
 * characters per lane over that window. Cells are read from the index's running totals (two binary
 * searches each), so a whole-capture strip of a million records costs as little as a zoomed one.
 *
 * Lanes: MOSI and MISO (bytes of non-idle frames each way), READY and IRQ (line level: ▇ high,
 * ▁ low, ▒ when it toggles within a cell), then records per channel and anomalies.
 *
 * Example: stripRows(index, stripWindow(index, t, 2, 70), 70, ['MOSI', 'CTRL'], t)
 *   -> [{ name: 'MOSI', cells: '  ▁▃█ ...' }, { name: 'CTRL', ... }] plus the axis row.
 */
import { formatDuration } from '../records/summary.ts';
import type { Lane } from '../records/describe.ts';
import type { LineName } from '../records/types.ts';
import { DIR_MISO, DIR_MOSI, LANE_CODES, STRIP_COUNT_LANES, type RecordIndex } from './record-index.ts';

export type StripLaneName = 'MOSI' | 'MISO' | 'READY' | 'IRQ' | 'CTRL' | 'ETH' | 'TRACE' | 'BLE' | 'ANOM';
export const STRIP_LANES: readonly StripLaneName[] = ['MOSI', 'MISO', 'READY', 'IRQ', 'CTRL', 'ETH', 'TRACE', 'BLE', 'ANOM'];
const CHANNEL_LANE: Partial<Record<StripLaneName, Lane>> = { CTRL: 'control', ETH: 'ethernet', TRACE: 'trace', BLE: 'ble', ANOM: 'anomaly' };
const SIGNAL_LINE: Partial<Record<StripLaneName, LineName>> = { READY: 'ready', IRQ: 'irq' };
const BLOCKS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
/** The smallest window: one microsecond per cell. */
const MIN_NS_PER_CELL = 1000;

export interface TimeWindow {
  readonly fromNs: number;
  readonly toNs: number;
}

export interface StripRow {
  readonly name: StripLaneName;
  /** What the lane is called on screen: a side-band line by the link protocol's name for it. */
  readonly label: string;
  readonly lane: Lane | 'signal';
  readonly cells: string;
}

/** Lanes with anything to draw in this capture, in display order. */
export function activeLanes(index: RecordIndex): StripLaneName[] {
  const total = (l: Lane): number => index.laneTotals[LANE_CODES.indexOf(l)];
  const framed = index.summary.kinds.frame ?? 0;
  return STRIP_LANES.filter((name) => {
    const ch = CHANNEL_LANE[name];
    if (ch) return total(ch) > 0;
    const line = SIGNAL_LINE[name];
    if (line) return index.lines[line].t.length > 0;
    return framed > 0;
  });
}

export function stripWindow(index: RecordIndex, centreNs: number, zoom: number, columns: number): TimeWindow {
  const first = index.firstNs;
  const last = Math.max(index.lastNs, first + 1);
  const full = last - first;
  const span = Math.min(full, Math.max(full / 2 ** zoom, MIN_NS_PER_CELL * columns));
  let from = centreNs - span / 2;
  from = Math.max(first, Math.min(from, last - span));
  return { fromNs: from, toNs: from + span };
}

function blocks(values: Float64Array): string {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  let out = '';
  for (const v of values) out += v <= 0 ? ' ' : BLOCKS[Math.min(7, Math.ceil((v / max) * 8) - 1)];
  return out;
}

/** Index of the first time > t. */
function firstAfter(ts: readonly number[], t: number): number {
  let lo = 0;
  let hi = ts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ts[mid] <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function signalCells(index: RecordIndex, line: LineName, w: TimeWindow, columns: number): string {
  const dt = (w.toNs - w.fromNs) / columns;
  const ts = index.lines[line].t;
  let out = '';
  for (let c = 0; c < columns; c++) {
    const a = w.fromNs + c * dt;
    const b = a + dt;
    const level = index.levelAt(line, a);
    // A change inside the cell shows as a toggle mark, so short pulses stay visible when zoomed out.
    const changed = firstAfter(ts, a) < firstAfter(ts, b - 1e-9);
    out += changed ? '▒' : level ? '▇' : '▁';
  }
  return out;
}

/** One row of cells per requested lane over the window: per cell two binary searches, whatever the record count. */
export function stripRows(index: RecordIndex, w: TimeWindow, columns: number, lanes: readonly StripLaneName[]): StripRow[] {
  const cols = Math.max(1, columns);
  const dt = (w.toNs - w.fromNs) / cols;
  // Record index bounds of each cell: cell c holds records starting in [from + c*dt, from + (c+1)*dt);
  // the last cell also holds those starting at the window's end, which the window includes.
  const bounds = new Int32Array(cols + 1);
  for (let c = 0; c < cols; c++) bounds[c] = index.lowerBound(w.fromNs + c * dt);
  bounds[cols] = index.upperBound(w.toNs);
  const cells = (value: (from: number, to: number) => number): Float64Array => {
    const v = new Float64Array(cols);
    for (let c = 0; c < cols; c++) v[c] = value(bounds[c], bounds[c + 1]);
    return v;
  };
  return lanes.map((name): StripRow => {
    const line = SIGNAL_LINE[name];
    if (line) return { name, label: index.lineLabels[line]?.toUpperCase() ?? name, lane: 'signal', cells: signalCells(index, line, w, cols) };
    if (name === 'MOSI') return { name, label: name, lane: 'signal', cells: blocks(cells((a, b) => index.bytesBetween(DIR_MOSI, a, b))) };
    if (name === 'MISO') return { name, label: name, lane: 'signal', cells: blocks(cells((a, b) => index.bytesBetween(DIR_MISO, a, b))) };
    const ch = CHANNEL_LANE[name] as Lane;
    const slot = STRIP_COUNT_LANES.indexOf(ch);
    return { name, label: name, lane: ch, cells: blocks(cells((a, b) => index.countBetween(slot, a, b))) };
  });
}

/** The axis under the lanes: window start and end times, and ▲ under the selected record. */
export function axisRow(index: RecordIndex, w: TimeWindow, columns: number, selectedNs: number | null): { text: string; marker: number } {
  // Times from capture start, as the list and the detail pane give them.
  const left = formatDuration(w.fromNs);
  const right = formatDuration(w.toNs);
  const cells = Array.from({ length: columns }, () => '─');
  const put = (at: number, s: string): void => {
    for (let k = 0; k < s.length && at + k < columns; k++) if (at + k >= 0) cells[at + k] = s[k];
  };
  let marker = -1;
  if (selectedNs !== null && selectedNs >= w.fromNs && selectedNs <= w.toNs) {
    marker = Math.min(columns - 1, Math.floor(((selectedNs - w.fromNs) / (w.toNs - w.fromNs || 1)) * columns));
  }
  // A label the marker would cut is left out: the marker matters more.
  const leftText = `${left} `;
  const rightText = ` ${right}`;
  if (marker < 0 || marker >= leftText.length) put(0, leftText);
  if (marker < columns - rightText.length) put(columns - rightText.length, rightText);
  if (marker >= 0) cells[marker] = '▲';
  return { text: cells.join(''), marker };
}
