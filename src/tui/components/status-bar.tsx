/**
 * The status bar: the open filter/search prompt, or the last message, or the key help; with the
 * list position and the active modes (filter, search, all records, follow) on the left. A live
 * view's help starts with its own keys (s save, f follow).
 */
import { Text } from 'ink';
import { fit } from '../text.ts';
import type { ViewState } from '../view-state.ts';

export interface StatusBarProps {
  readonly state: ViewState;
  readonly width: number;
}

export const KEY_HELP = '↑↓/jk move  PgUp/PgDn  g/G ends  ⏎ detail  Tab pane  / filter  ? find  n/N match  r req↔reply  +/- zoom  a all  f follow  q quit';
/** A live view: saving and following first, so they show on a narrow terminal. */
export const LIVE_KEY_HELP = 's save  f follow  ↑↓/jk move  PgUp/PgDn  g/G ends  ⏎ detail  Tab pane  / filter  ? find  n/N match  r req↔reply  +/- zoom  a all  q quit';

export function statusText(s: ViewState): string {
  if (s.prompt) return `${s.prompt.kind === 'filter' ? '/' : '?'}${s.prompt.text}█  (Enter applies, Esc cancels)`;
  const modes = [
    `${s.selected + 1}/${s.rows.length}`,
    ...(s.filter ? [`filter: ${s.filter.text}`] : []),
    ...(s.search ? [`find: ${s.search.text}`] : []),
    ...(s.showHidden ? ['all'] : []),
    ...(s.follow ? ['follow'] : []),
  ].map((m) => `[${m}]`).join(' ');
  return `${modes}  ${s.message ?? (s.live ? LIVE_KEY_HELP : KEY_HELP)}`;
}

export function StatusBar({ state, width }: StatusBarProps) {
  return (
    <Text inverse={state.prompt === null} color={state.message && !state.prompt ? 'yellow' : undefined}>
      {fit(statusText(state), width)}
    </Text>
  );
}
