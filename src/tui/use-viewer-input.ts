/**
 * The viewer's input hook: every key press goes to the reducer as a 'key' action (see keymap.ts),
 * so the mapping always sees the current state. `isActive: false` ignores input.
 */
import { useInput } from 'ink';
import type { Dispatch } from 'react';
import type { ViewAction } from './view-state.ts';

export function useViewerInput(dispatch: Dispatch<ViewAction>, isActive = true): void {
  useInput((input, key) => {
    dispatch({ type: 'key', input, key });
  }, { isActive });
}
