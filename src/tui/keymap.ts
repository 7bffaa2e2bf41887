/**
 * Keys to viewer actions, as a pure function of the state (so the reducer can apply it to the state
 * current when the key is handled: keys typed faster than frames must not see a stale prompt).
 * With the filter/search prompt open, typed text goes to the prompt; otherwise keys move, open
 * panes, filter, zoom and quit; in a live view, s saves the records in the window. With the detail pane focused (Tab), ↑/↓ move the hex field cursor
 * and PgUp/PgDn scroll the decoded tree.
 * The mouse wheel moves the selection by three rows.
 * What a key does while a file is still loading (G waits for the end, n keeps looking) and how two
 * Escs in one read count is the reducer's business: see view-state.ts.
 */
import type { KeyInfo, ViewAction, ViewState } from './view-types.ts';

export type { KeyInfo } from './view-types.ts';

const MOUSE = /^\[<(\d+);\d+;\d+[Mm]$/;

/** True for an SGR mouse report as Ink passes it on ("[<65;10;12M"). */
export function isMouseReport(input: string): boolean {
  return MOUSE.test(input);
}
const WHEEL_ROWS = 3;

/** The action for a key press, or 'quit', or null for keys the viewer does not use. */
export function actionForKey(s: ViewState, input: string, key: KeyInfo): ViewAction | 'quit' | null {
  // SGR mouse reports (run.tsx turns them on; Ink hands them over without the ESC): wheel scrolls.
  const mouse = MOUSE.exec(input);
  if (mouse) {
    const button = Number(mouse[1]);
    if (button === 64) return { type: 'scroll', delta: -WHEEL_ROWS };
    if (button === 65) return { type: 'scroll', delta: WHEEL_ROWS };
    return null;
  }
  if (s.prompt) {
    if (key.return) return { type: 'prompt-submit' };
    if (key.escape) return { type: 'prompt-cancel' };
    if (key.backspace || key.delete) return { type: 'prompt-backspace' };
    if (key.ctrl || key.meta || key.upArrow || key.downArrow || key.leftArrow || key.rightArrow || key.tab) return null;
    return input ? { type: 'prompt-input', text: input } : null;
  }
  const inDetail = s.detail && s.focus === 'detail';
  if (key.upArrow || input === 'k') return inDetail ? { type: 'field-previous' } : { type: 'select-previous' };
  if (key.downArrow || input === 'j') return inDetail ? { type: 'field-next' } : { type: 'select-next' };
  if (key.pageDown || input === ' ') return inDetail ? { type: 'tree-scroll', delta: 5 } : { type: 'page-down' };
  if (key.pageUp) return inDetail ? { type: 'tree-scroll', delta: -5 } : { type: 'page-up' };
  if (key.home || input === 'g') return { type: 'select-first' };
  if (key.end || input === 'G') return { type: 'select-last' };
  if (key.return) return { type: 'open-detail' };
  if (key.tab) return { type: 'switch-pane' };
  if (key.escape) return s.detail ? { type: 'close-detail' } : { type: 'clear-filter' };
  switch (input) {
    case 'q': return 'quit';
    case '/': return { type: 'open-prompt', kind: 'filter' };
    case '?': return { type: 'open-prompt', kind: 'search' };
    case 'n': return { type: 'next-match' };
    case 'N': return { type: 'previous-match' };
    case '+': case '=': return { type: 'zoom-in' };
    case '-': case '_': return { type: 'zoom-out' };
    case 'f': return { type: 'toggle-follow' };
    case 'a': return { type: 'toggle-hidden' };
    case 'r': return { type: 'jump-pair' };
    case 's': return s.live ? { type: 'save' } : null;
    default: return null;
  }
}

