/**
 * The viewer's filter language: space-separated terms, all of which must match (AND).
 *
 *   ctl, control, eth, ethernet, trace, ble, hci, idle, line, txn, spi   a lane (channel or kind)
 *   ready, irq, reset, cs                                                a side-band line
 *   !, anomalies, anomaly, anom                                          anomalies only
 *   100ms..2s, ..500us, 1.5s..                                           time range from capture start
 *                                                                        (units ns, us, µs, ms, s; default µs)
 *   hello, scan_result, header-crc, ...                                  a control message or anomaly code
 *   anything else                                                        case-insensitive text in the summary
 *
 * Example: parseFilter('ctl 0..1s') keeps control frames in the first second.
 * Terms naming idle frames or transactions make those visible even while they are hidden by default.
 */
import { CONTROL_CODES } from '../protocol/control-schema.ts';
import type { Lane } from '../records/describe.ts';
import { ANOMALY_CODES } from '../records/types.ts';
import type { RecordIndex } from './record-index.ts';
import { messageNameOf } from '../link/describe.ts';
import { PROTOCOLS } from '../link/registry.ts';

export interface Filter {
  readonly text: string;
  /** True when a term asks for idle frames or raw transactions, which the list hides by default. */
  readonly showsHidden: boolean;
  test(index: RecordIndex, i: number): boolean;
}

type Term = (index: RecordIndex, i: number) => boolean;

const LANE_WORDS: Readonly<Record<string, Lane>> = {
  ctl: 'control', ctrl: 'control', control: 'control', eth: 'ethernet', ethernet: 'ethernet', trace: 'trace', trc: 'trace',
  ble: 'ble', hci: 'ble', idle: 'idle', line: 'line', lines: 'line', txn: 'txn', spi: 'txn', rsvd: 'reserved', reserved: 'reserved',
  '!': 'anomaly', anomalies: 'anomaly', anomaly: 'anomaly', anom: 'anomaly',
};
const LINE_WORDS = new Set(['ready', 'irq', 'reset', 'cs']);
/** Lines by what a link protocol calls them (esp-hosted's handshake and data-ready). */
const LINE_LABELS = new Set<string>(PROTOCOLS.flatMap((p) => Object.values(p.lineLabels)));
const MESSAGE_NAMES = new Set<string>([...Object.keys(CONTROL_CODES), ...ANOMALY_CODES]);
const UNIT_NS: Readonly<Record<string, number>> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9 };
const TIME = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s)?$/;

/** Parses "100ms", "2s", "15" (µs) to ns; null when it is not a time. */
export function parseTime(text: string): number | null {
  const m = TIME.exec(text);
  if (!m) return null;
  return Number(m[1]) * UNIT_NS[m[2] ?? 'us'];
}

function timeRange(term: string): Term | null {
  const at = term.indexOf('..');
  if (at < 0) return null;
  const a = term.slice(0, at);
  const b = term.slice(at + 2);
  const from = a === '' ? 0 : parseTime(a);
  const to = b === '' ? Infinity : parseTime(b);
  if (from === null || to === null || (a === '' && b === '')) return null;
  return (index, i) => {
    const t = index.startNs(i);
    return t >= from && t <= to;
  };
}

function messageName(index: RecordIndex, i: number): string | null {
  const r = index.record(i);
  if (r.kind === 'anomaly') return r.code;
  return messageNameOf(r)?.toLowerCase() ?? null;
}

function termOf(word: string): { term: Term; hidden: boolean } {
  const lower = word.toLowerCase();
  const lane = LANE_WORDS[lower];
  if (lane) return { term: (index, i) => index.lane(i) === lane, hidden: lane === 'idle' || lane === 'txn' };
  if (LINE_WORDS.has(lower)) {
    return { term: (index, i) => { const r = index.record(i); return r.kind === 'line' && r.line === lower; }, hidden: false };
  }
  if (LINE_LABELS.has(lower)) {
    return { term: (index, i) => { const r = index.record(i); return r.kind === 'line' && r.label === lower; }, hidden: false };
  }
  const range = timeRange(lower);
  if (range) return { term: range, hidden: false };
  if (MESSAGE_NAMES.has(lower)) return { term: (index, i) => messageName(index, i) === lower, hidden: false };
  return { term: (index, i) => index.summaryText(i).toLowerCase().includes(lower), hidden: false };
}

/** Parses a filter; an empty query gives null (no filter). */
export function parseFilter(query: string): Filter | null {
  const words = query.trim().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return null;
  const parsed = words.map(termOf);
  const terms = parsed.map((p) => p.term);
  return {
    text: words.join(' '),
    showsHidden: parsed.some((p) => p.hidden),
    test: (index, i) => {
      for (const t of terms) if (!t(index, i)) return false;
      return true;
    },
  };
}
