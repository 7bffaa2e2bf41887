/**
 * The viewer: header, timeline strip, record list, detail pane and status bar over a RecordIndex.
 * State lives in one reducer (view-state.ts), keys in useViewerInput; the views are functions of
 * props. `loaded` changes whenever the loader appended records, which extends the list (and
 * follows the end in follow mode). Width and height are props so tests render at a fixed size;
 * `ViewerScreen` feeds them from the terminal and tracks resizes.
 *
 * A live view (`live`) starts in follow mode, shows the connection state and the window in the
 * header, and saves the window with s through `onSave` (its message goes to the status bar).
 *
 * Example: render(<Viewer index={index} loaded={index.length} width={80} height={23} onQuit={exit} />)
 */
import { Box, useApp, useStdout } from 'ink';
import { useEffect, useMemo, useReducer, useState } from 'react';
import { computeLayout } from '../layout.ts';
import type { RecordIndex } from '../record-index.ts';
import { activeLanes } from '../strip.ts';
import { useViewerInput } from '../use-viewer-input.ts';
import type { LiveView } from '../live.ts';
import { initialViewState, positionText, selectedRecord, syncDrops, viewReducer, type ViewState } from '../view-state.ts';
import { DetailPane } from './detail-pane.tsx';
import { Header } from './header.tsx';
import { RecordList } from './record-list.tsx';
import { StatusBar } from './status-bar.tsx';
import { TimelineStrip } from './timeline-strip.tsx';

export interface ViewerProps {
  readonly index: RecordIndex;
  /** Records loaded so far (dropped ones included): a new value makes the viewer pick up appended records. */
  readonly loaded: number;
  readonly width: number;
  readonly height: number;
  readonly onQuit?: () => void;
  readonly isActive?: boolean;
  /** A live view: follow on, connection state and window in the header, s saves. */
  readonly live?: LiveView | null;
  /** Saves the window; resolves to the status message ("saved 1,200 records to /x/y.pcapng"). */
  readonly onSave?: () => Promise<string>;
}

export function Viewer({ index, loaded, width, height, onQuit, isActive = true, live = null, onSave }: ViewerProps) {
  const reducer = useMemo(() => viewReducer(index), [index]);
  const [stored, dispatch] = useReducer(reducer, null, () =>
    initialViewState(index, computeLayout(width, height, false, activeLanes(index).length).listHeight, { follow: live !== null, live: live !== null && onSave !== undefined, endless: live !== null }));
  // The loader may have dropped records since the last action: draw the renumbered state.
  const state = useMemo(() => syncDrops(index, stored), [stored, index.dropped]);
  const lanesAll = activeLanes(index);
  const layout = computeLayout(width, height, state.detail, lanesAll.length);
  const app = useApp();
  useViewerInput(dispatch, isActive);
  useEffect(() => {
    if (state.quit) (onQuit ?? (() => app.exit()))();
  }, [state.quit]);

  // Also when loading ends: a G or n waiting for the end of the file finishes then.
  useEffect(() => {
    dispatch({ type: 'records-appended' });
  }, [loaded, index.done]);
  useEffect(() => {
    if (state.saveRequests === 0 || !onSave) return;
    onSave().then(
      (text) => dispatch({ type: 'show-message', text }),
      (err: unknown) => dispatch({ type: 'show-message', text: `save failed: ${err instanceof Error ? err.message : String(err)}` }),
    );
  }, [state.saveRequests]);
  useEffect(() => {
    if (layout.listHeight !== state.listHeight) dispatch({ type: 'resize', listHeight: layout.listHeight });
  }, [layout.listHeight, state.listHeight]);

  return <ViewerFrame index={index} state={state} width={width} height={height} live={live} />;
}

export interface ViewerFrameProps {
  readonly index: RecordIndex;
  readonly state: ViewState;
  readonly width: number;
  readonly height: number;
  readonly live?: LiveView | null;
}

/** One frame of the viewer for a given state: a pure function of its props (the benchmark renders it directly). */
export function ViewerFrame({ index, state, width, height, live = null }: ViewerFrameProps) {
  const lanesAll = activeLanes(index);
  const layout = computeLayout(width, height, state.detail, lanesAll.length);
  const sel = selectedRecord(state);
  const loading = !index.done;
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header summary={index.summary} width={layout.width} loading={loading} error={index.error}
        live={live ? { state: index.done ? 'ended' : live.state, dropped: index.dropped, window: live.window } : null} />
      <TimelineStrip index={index} lanes={lanesAll.slice(0, layout.stripLanes)} width={layout.width} zoom={state.zoom} selectedNs={sel < 0 ? null : index.startNs(sel)} />
      <RecordList index={index} state={{ ...state, listHeight: layout.listHeight }} width={layout.width} focused={state.focus === 'list'} loading={loading} />
      {state.detail ? (
        <DetailPane index={index} record={sel} position={positionText(state)} field={state.field} treeOffset={state.treeOffset} width={layout.width} height={layout.detailHeight} focused={state.focus === 'detail'} />
      ) : null}
      <StatusBar state={state} width={layout.width} loading={loading && live === null} />
    </Box>
  );
}

/** The terminal's size, updated on resize. One row is left free: Ink redraws a full-height frame by clearing the screen. */
export function useTerminalSize(): { width: number; height: number } {
  const { stdout } = useStdout();
  const read = () => ({ width: stdout.columns || 80, height: Math.max(8, (stdout.rows || 24) - 1) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = () => setSize(read());
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}

export interface ViewerScreenProps {
  readonly index: RecordIndex;
  readonly loaded: number;
  readonly live?: LiveView | null;
  readonly onSave?: () => Promise<string>;
}

export function ViewerScreen({ index, loaded, live = null, onSave }: ViewerScreenProps) {
  const { width, height } = useTerminalSize();
  return <Viewer index={index} loaded={loaded} width={width} height={height} live={live} {...(onSave ? { onSave } : {})} />;
}
