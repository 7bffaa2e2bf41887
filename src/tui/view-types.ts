/**
 * The viewer's state and actions, as types: what view-state.ts reduces and keymap.ts produces from
 * key presses. A module of its own so the two do not import each other.
 */
import type { Key } from 'ink';
import type { Filter } from './filter.ts';

/** The keys the viewer reads (Ink's Key, narrowed). */
export type KeyInfo = Pick<Key, 'upArrow' | 'downArrow' | 'leftArrow' | 'rightArrow' | 'pageDown' | 'pageUp' | 'home' | 'end' | 'return' | 'escape' | 'ctrl' | 'meta' | 'tab' | 'backspace' | 'delete'>;

/** Record indices in the list, ascending. Append-only buffer shared between successive states. */
export interface ViewRows {
  readonly buf: Int32Array;
  readonly length: number;
}

export type Pane = 'list' | 'detail';
export type PromptKind = 'filter' | 'search';

export interface ViewState {
  readonly rows: ViewRows;
  /** How many index records the rows were computed over (records after it arrived since). */
  readonly scanned: number;
  /** Position of the selected row in `rows`, -1 when the list is empty. */
  readonly selected: number;
  readonly visibleFromIndex: number;
  readonly listHeight: number;
  readonly showHidden: boolean;
  readonly filter: Filter | null;
  readonly search: Filter | null;
  readonly prompt: { readonly kind: PromptKind; readonly text: string } | null;
  readonly detail: boolean;
  readonly focus: Pane;
  /** Field under the cursor in the detail pane's hex dump. */
  readonly field: number;
  /** First line of the detail pane's tree on screen (PgUp/PgDn with the pane focused). */
  readonly treeOffset: number;
  /** 0 shows the whole capture in the strip; each step halves the time window. */
  readonly zoom: number;
  readonly follow: boolean;
  readonly message: string | null;
  /** index.dropped when the rows were last renumbered. */
  readonly dropped: number;
  /** A live view (the save key works, the help shows it). */
  readonly live: boolean;
  /** Bumped by the save key; the viewer saves the window when it changes. */
  readonly saveRequests: number;
  /** Set by the quit key; the viewer exits when it sees it. */
  readonly quit: boolean;
  /** The records never stop arriving (a live view): nothing waits for the end of the input. */
  readonly endless: boolean;
  /** G pressed while loading: the selection keeps to the last row until loading ends. */
  readonly toEnd: boolean;
  /**
   * n (or a search) found nothing yet while loading: the first row not searched yet, where the
   * search goes on when records arrive; -1 when not seeking.
   */
  readonly seeking: number;
}

export type ViewAction =
  | { type: 'records-appended' }
  | { type: 'resize'; listHeight: number }
  | { type: 'select-next' } | { type: 'select-previous' }
  | { type: 'page-down' } | { type: 'page-up' }
  | { type: 'scroll'; delta: number }
  | { type: 'select-first' } | { type: 'select-last' }
  | { type: 'select-record'; record: number }
  | { type: 'toggle-hidden' }
  | { type: 'open-prompt'; kind: PromptKind }
  | { type: 'prompt-input'; text: string }
  | { type: 'prompt-backspace' } | { type: 'prompt-submit' } | { type: 'prompt-cancel' }
  | { type: 'clear-filter' }
  | { type: 'next-match' } | { type: 'previous-match' }
  | { type: 'zoom-in' } | { type: 'zoom-out' }
  | { type: 'toggle-follow' }
  | { type: 'open-detail' } | { type: 'close-detail' } | { type: 'switch-pane' }
  | { type: 'field-next' } | { type: 'field-previous' }
  | { type: 'tree-scroll'; delta: number }
  | { type: 'jump-pair' }
  | { type: 'save' }
  | { type: 'show-message'; text: string }
  | { type: 'key'; input: string; key: KeyInfo };

