/**
 * The viewer's state and its reducer: which records the list shows (a view of record indices that
 * pass the hidden-kinds toggle and the filter), the selection and the visible window
 * (`visibleFromIndex`, `listHeight` rows), the open prompt, the detail pane, zoom and follow.
 * Pure: `viewReducer(index)` returns a React reducer over a RecordIndex that grows at the end and,
 * in a live view, forgets records at the front (`index.dropped`): every action first renumbers the
 * rows for what was dropped (`syncDrops`), so no state ever names a forgotten record. The index is
 * read, never changed. Action types are strings, as in ink-ui's select state. A live view also has
 * the save key: it bumps `saveRequests`, and the viewer does the writing.
 *
 * While a file is still loading (the index is not done and the view is not `endless`), keys act
 * the way less acts on a file it is still reading, and Wireshark on a capture it is still loading:
 * moving within the records already there works at once (the list only grows at its end, so a move
 * is never undone by what arrives later); G/End means the end of the capture, so the selection
 * keeps to the last row until loading ends (`toEnd`); n and a search that finds nothing yet keep
 * looking in the records as they arrive (`seeking`), saying so in the status bar. Any other move
 * cancels the wait, as a key cancels less's wait for the end of a file. Ignoring or queueing the
 * keys instead would make the first screen of a big capture unusable for seconds.
 *
 * Two Esc keys in one read (typed fast, or sent together by tmux) reach the hook as one escape
 * with the input "\u001b" (Ink's parser keeps the second ESC): both count, in order.
 *
 * Example:
 *   const reduce = viewReducer(index);
 *   let s = initialViewState(index, 15);
 *   s = reduce(s, { type: 'select-next' });
 */
import { parseFilter, type Filter } from './filter.ts';
import { hexView } from './hex.ts';
import { actionForKey, isMouseReport } from './keymap.ts';
import type { KeyInfo, Pane, PromptKind, ViewAction, ViewRows, ViewState } from './view-types.ts';

export type { KeyInfo, Pane, PromptKind, ViewAction, ViewRows, ViewState } from './view-types.ts';
import type { RecordIndex } from './record-index.ts';

export const MAX_ZOOM = 40;

function passes(index: RecordIndex, i: number, showHidden: boolean, filter: Filter | null): boolean {
  if (!showHidden && !filter?.showsHidden && index.hiddenByDefault(i)) return false;
  return filter === null || filter.test(index, i);
}

/** Rows for records [from, index.length), appended to `rows` (sharing its buffer when it can). */
function extendRows(index: RecordIndex, rows: ViewRows, from: number, showHidden: boolean, filter: Filter | null): ViewRows {
  let buf = rows.buf;
  let n = rows.length;
  for (let i = from; i < index.length; i++) {
    if (!passes(index, i, showHidden, filter)) continue;
    if (n === buf.length) {
      const b = new Int32Array(Math.max(1024, buf.length * 2));
      b.set(buf.subarray(0, n));
      buf = b;
    }
    buf[n++] = i;
  }
  return { buf, length: n };
}

/** Position of the first row whose record index is >= record. */
export function rowAtOrAfter(rows: ViewRows, record: number): number {
  let lo = 0;
  let hi = rows.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (rows.buf[mid] < record) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function selectedRecord(s: ViewState): number {
  return s.selected < 0 ? -1 : s.rows.buf[s.selected];
}

/** The window [from, to) of rows on screen, always containing the selection. */
export function visibleWindow(s: ViewState): { visibleFromIndex: number; visibleToIndex: number } {
  const h = Math.max(1, s.listHeight);
  let from = Math.min(s.visibleFromIndex, Math.max(0, s.rows.length - h));
  if (s.selected >= 0) {
    if (s.selected < from) from = s.selected;
    if (s.selected >= from + h) from = s.selected - h + 1;
  }
  from = Math.max(0, from);
  return { visibleFromIndex: from, visibleToIndex: Math.min(s.rows.length, from + h) };
}

function select(s: ViewState, position: number, extra: Partial<ViewState> = {}): ViewState {
  const selected = s.rows.length === 0 ? -1 : Math.max(0, Math.min(s.rows.length - 1, position));
  const same = selected === s.selected;
  const next = { ...s, ...extra, selected, field: same ? s.field : 0, treeOffset: same ? s.treeOffset : 0 };
  return { ...next, visibleFromIndex: visibleWindow(next).visibleFromIndex };
}

export interface InitialViewOptions {
  /** Start in follow mode (a live view). Default false. */
  readonly follow?: boolean;
  /** A live view: the save key works. Default false. */
  readonly live?: boolean;
  /** The input never ends (a live source): G and n do not wait for the end. Default false. */
  readonly endless?: boolean;
}

export function initialViewState(index: RecordIndex, listHeight: number, opts: InitialViewOptions = {}): ViewState {
  const rows = extendRows(index, { buf: new Int32Array(1024), length: 0 }, 0, false, null);
  const follow = opts.follow ?? false;
  return {
    rows, scanned: index.length, selected: rows.length ? (follow ? rows.length - 1 : 0) : -1, visibleFromIndex: 0, listHeight, showHidden: false,
    filter: null, search: null, prompt: null, detail: false, focus: 'list', field: 0, treeOffset: 0, zoom: 0, follow, message: null, quit: false,
    dropped: index.dropped, live: opts.live ?? false, saveRequests: 0, endless: opts.endless ?? false, toEnd: false, seeking: -1,
  };
}

/**
 * The state renumbered for the records the index dropped since it was made: rows of dropped
 * records leave the list, the rest move down by the count, and the selection stays on its record
 * (or the first row, if its record was dropped). The same state when nothing was dropped.
 */
export function syncDrops(index: RecordIndex, s: ViewState): ViewState {
  const n = index.dropped - s.dropped;
  if (n === 0) return s;
  const from = rowAtOrAfter(s.rows, n);
  const length = s.rows.length - from;
  // A new buffer: the old state shares its buffer and must keep meaning what it meant.
  const buf = new Int32Array(Math.max(1024, length * 2));
  for (let k = 0; k < length; k++) buf[k] = s.rows.buf[from + k] - n;
  const kept = s.selected - from;
  const selected = length === 0 ? -1 : kept >= 0 ? kept : 0;
  const moved = kept < 0;
  const next: ViewState = {
    ...s, rows: { buf, length }, scanned: Math.max(0, s.scanned - n), dropped: index.dropped, selected,
    visibleFromIndex: Math.max(0, s.visibleFromIndex - from), ...(moved ? { field: 0, treeOffset: 0 } : {}),
  };
  return { ...next, visibleFromIndex: visibleWindow(next).visibleFromIndex };
}

/**
 * The list position as the status bar and the detail pane both say it: "12 of 133", or "12 of 133
 * shown" when the hidden kinds or the filter leave records out of the list.
 */
export function positionText(s: ViewState): string {
  return `${(s.selected + 1).toLocaleString('en')} of ${s.rows.length.toLocaleString('en')}${s.rows.length < s.scanned ? ' shown' : ''}`;
}

/** Actions that move the selection by the user's choice: they cancel a wait for the end or a match. */
const MOVES: ReadonlySet<ViewAction['type']> = new Set([
  'select-next', 'select-previous', 'page-down', 'page-up', 'scroll', 'select-first', 'select-last', 'select-record',
  'next-match', 'previous-match', 'jump-pair',
]);

/** One character of a multi-key string as Ink would have parsed it alone. */
function plainKey(ch: string, base: KeyInfo): { input: string; key: KeyInfo } {
  if (ch === '\r' || ch === '\n') return { input: '', key: { ...base, return: true } };
  if (ch === '\t') return { input: '', key: { ...base, tab: true } };
  if (ch === '\u007f' || ch === '\b') return { input: '', key: { ...base, backspace: true } };
  return { input: ch, key: base };
}

export function viewReducer(index: RecordIndex): (s: ViewState, a: ViewAction) => ViewState {
  const loading = (s: ViewState): boolean => !index.done && !s.endless;
  /** Recomputes the rows from scratch, keeping the selected record (or the nearest after it). */
  const rebuild = (s: ViewState, showHidden: boolean, filter: Filter | null, extra: Partial<ViewState> = {}): ViewState => {
    const keep = selectedRecord(s);
    const rows = extendRows(index, { buf: new Int32Array(1024), length: 0 }, 0, showHidden, filter);
    const at = keep < 0 ? 0 : Math.min(rowAtOrAfter(rows, keep), rows.length - 1);
    // A search still looking ahead would continue from a row position of the old list.
    return select({ ...s, rows, scanned: index.length, showHidden, filter, selected: -1, seeking: -1 }, at, { ...extra, field: 0 });
  };
  const findMatch = (s: ViewState, step: 1 | -1, start = s.selected + step): ViewState => {
    const query = s.search ?? s.filter;
    if (!query) return { ...s, seeking: -1, message: 'no filter or search: press / or ?' };
    for (let p = start; p >= 0 && p < s.rows.length; p += step) {
      if (query.test(index, s.rows.buf[p])) return select(s, p, { message: null, follow: false, seeking: -1 });
    }
    // Earlier records are all there; later ones may still be on their way. The messages leave the
    // query out: the status bar shows it already ([find: …] or [filter: …]), and 80 columns are few.
    if (step > 0 && loading(s)) return { ...s, seeking: s.rows.length, message: 'looking further as records load…' };
    return { ...s, seeking: -1, message: `no ${step > 0 ? 'further' : 'earlier'} match` };
  };
  /** After records arrived (or loading ended): keeps a pending G or n going, or ends it. */
  const keepWaiting = (s: ViewState): ViewState => {
    if (s.toEnd) {
      const next = select(s, s.rows.length - 1);
      return loading(s) ? next : { ...next, toEnd: false, message: null };
    }
    if (s.seeking >= 0) return findMatch(s, 1, s.seeking);
    return s;
  };

  const reduce = (current: ViewState, a: ViewAction): ViewState => {
    const synced = syncDrops(index, current);
    const s = MOVES.has(a.type) && (synced.toEnd || synced.seeking >= 0) ? { ...synced, toEnd: false, seeking: -1 } : synced;
    const page = Math.max(1, s.listHeight - 1);
    switch (a.type) {
      case 'records-appended': {
        // Also sent when loading ends, so a pending G or n can finish.
        if (index.length === s.scanned) return keepWaiting(s);
        const rows = extendRows(index, s.rows, s.scanned, s.showHidden, s.filter);
        const next = { ...s, rows, scanned: index.length };
        if (s.follow || s.selected < 0) return keepWaiting(select(next, s.follow ? rows.length - 1 : 0));
        return keepWaiting(next);
      }
      case 'resize':
        return select({ ...s, listHeight: Math.max(1, a.listHeight) }, s.selected);
      case 'select-next':
        return select(s, s.selected + 1, { message: null });
      case 'select-previous':
        return select(s, s.selected - 1, { message: null, follow: false });
      case 'page-down':
        return select(s, s.selected + page, { message: null, visibleFromIndex: s.visibleFromIndex + page });
      case 'page-up':
        return select(s, s.selected - page, { message: null, follow: false, visibleFromIndex: Math.max(0, s.visibleFromIndex - page) });
      case 'scroll':
        return select(s, s.selected + a.delta, { message: null, ...(a.delta < 0 ? { follow: false } : {}) });
      case 'select-first':
        return select(s, 0, { message: null, follow: false });
      case 'select-last':
        // Like less's G on a file still being read: the end of the capture, not of what is loaded yet.
        if (loading(s)) return select(s, s.rows.length - 1, { toEnd: true, message: 'to the last record when loading ends…' });
        return select(s, s.rows.length - 1, { message: null });
      case 'select-record':
        return select(s, rowAtOrAfter(s.rows, a.record));
      case 'toggle-hidden':
        return rebuild(s, !s.showHidden, s.filter, { message: s.showHidden ? 'idle frames and transactions hidden' : 'showing idle frames and transactions' });
      case 'open-prompt':
        return { ...s, prompt: { kind: a.kind, text: '' }, message: null };
      case 'prompt-input':
        return s.prompt ? { ...s, prompt: { ...s.prompt, text: s.prompt.text + a.text } } : s;
      case 'prompt-backspace':
        return s.prompt ? { ...s, prompt: { ...s.prompt, text: s.prompt.text.slice(0, -1) } } : s;
      case 'prompt-cancel':
        return { ...s, prompt: null };
      case 'prompt-submit': {
        if (!s.prompt) return s;
        const query = parseFilter(s.prompt.text);
        if (s.prompt.kind === 'filter') {
          const next = rebuild(s, s.showHidden, query, { prompt: null });
          // The status bar says [loading…] beside it.
          const soFar = loading(s) ? ' so far' : '';
          return { ...next, message: query ? `${next.rows.length} ${next.rows.length === 1 ? "record matches" : "records match"} "${query.text}"${soFar}` : 'filter cleared' };
        }
        const next = { ...s, prompt: null, search: query };
        if (!query) return { ...next, message: 'search cleared' };
        // A search starts at the selection itself, so the first match may be the current row.
        const here = next.selected >= 0 && query.test(index, next.rows.buf[next.selected]);
        return here ? { ...next, seeking: -1 } : findMatch({ ...next, toEnd: false }, 1);
      }
      case 'clear-filter':
        if (!s.filter && !s.search) return { ...s, message: null };
        return rebuild({ ...s, search: null }, s.showHidden, null, { message: 'filter cleared' });
      case 'next-match':
        return findMatch(s, 1);
      case 'previous-match':
        return findMatch(s, -1);
      case 'zoom-in':
        return { ...s, zoom: Math.min(MAX_ZOOM, s.zoom + 1) };
      case 'zoom-out':
        return { ...s, zoom: Math.max(0, s.zoom - 1) };
      case 'toggle-follow': {
        const follow = !s.follow;
        return follow ? select(s, s.rows.length - 1, { follow, message: 'follow: on' }) : { ...s, follow, message: 'follow: off' };
      }
      case 'open-detail':
        return { ...s, detail: true, focus: s.detail ? 'detail' : s.focus };
      case 'close-detail':
        return { ...s, detail: false, focus: 'list' };
      case 'switch-pane':
        if (!s.detail) return { ...s, detail: true, focus: 'detail' };
        return { ...s, focus: s.focus === 'list' ? 'detail' : 'list' };
      case 'field-next': {
        const at = selectedRecord(s);
        const count = at < 0 ? 0 : hexView(index.record(at), index.txnOf(at)).fields.length;
        return { ...s, field: Math.max(0, Math.min(count - 1, s.field + 1)) };
      }
      case 'field-previous':
        return { ...s, field: Math.max(0, s.field - 1) };
      case 'tree-scroll':
        // Clamped when drawn: the pane knows how many lines the tree has and how many fit.
        return { ...s, treeOffset: Math.max(0, s.treeOffset + a.delta) };
      case 'jump-pair': {
        const at = selectedRecord(s);
        const other = at < 0 ? -1 : index.pairOf(at);
        if (other < 0) return { ...s, message: 'no linked request or reply' };
        const p = rowAtOrAfter(s.rows, other);
        if (p >= s.rows.length || s.rows.buf[p] !== other) return { ...s, message: 'the linked record is filtered out' };
        return select(s, p, { message: null, follow: false });
      }
      case 'save':
        return s.live ? { ...s, saveRequests: s.saveRequests + 1, message: `saving ${index.length.toLocaleString('en')} records…` } : s;
      case 'show-message':
        return { ...s, message: a.text };
      case 'key': {
        // Keys typed faster than they are read arrive as one string ("j\r"): each one counts, in order.
        if (a.input.length > 1 && !a.input.includes('\u001b') && !isMouseReport(a.input)) {
          return [...a.input].reduce((acc, ch) => reduce(acc, { type: 'key', ...plainKey(ch, a.key) }), s);
        }
        // Two Escs in one read: Ink parses "\u001b\u001b" as one escape whose input is the second ESC.
        if (a.key.escape && a.input === '\u001b') {
          const esc = { type: 'key', input: '', key: a.key } as const;
          return reduce(reduce(s, esc), esc);
        }
        const action = actionForKey(s, a.input, a.key);
        if (action === 'quit') return { ...s, quit: true };
        return action ? reduce(s, action) : s;
      }
    }
  };
  return reduce;
}
