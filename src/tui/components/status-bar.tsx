/**
 * The status bar: the open filter/search prompt, or the last message, or the key help; with the
 * list position ("12 of 133 shown", the same words as the detail pane's title) and the active
 * modes (filter, search, all records, follow, loading) on the left. A live view's help starts with
 * its own keys (s save, f follow).
 */
import { Text } from 'ink';
import { fit } from '../text.ts';
import { positionText, type ViewState } from '../view-state.ts';

export interface StatusBarProps {
  readonly state: ViewState;
  readonly width: number;
  /** A file still loading: the list is not complete yet. Default false. */
  readonly loading?: boolean;
}

export const KEY_HELP = '↑↓/jk move  PgUp/PgDn  g/G ends  ⏎ detail  Tab pane  / filter  ? find  n/N match  r req↔reply  +/- zoom  a all  f follow  q quit';
/** A live view: saving and following first, so they show on a narrow terminal. */
export const LIVE_KEY_HELP = 's save  f follow  ↑↓/jk move  PgUp/PgDn  g/G ends  ⏎ detail  Tab pane  / filter  ? find  n/N match  r req↔reply  +/- zoom  a all  q quit';

export function statusText(s: ViewState, loading = false): string {
  if (s.prompt) return `${s.prompt.kind === 'filter' ? '/' : '?'}${s.prompt.text}█  (Enter applies, Esc cancels)`;
  const modes = [
    positionText(s),
    ...(loading ? ['loading…'] : []),
    ...(s.filter ? [`filter: ${s.filter.text}`] : []),
    ...(s.search ? [`find: ${s.search.text}`] : []),
    ...(s.showHidden ? ['all'] : []),
    ...(s.follow ? ['follow'] : []),
  ].map((m) => `[${m}]`).join(' ');
  return `${modes}  ${s.message ?? (s.live ? LIVE_KEY_HELP : KEY_HELP)}`;
}

export function StatusBar({ state, width, loading = false }: StatusBarProps) {
  return (
    <Text inverse={state.prompt === null} color={state.message && !state.prompt ? 'yellow' : undefined}>
      {fit(statusText(state, loading), width)}
    </Text>
  );
}
