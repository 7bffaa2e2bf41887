/**
 * The record list, virtualised: only the rows of the visible window are built. Each row shows the
 * time from capture start with its unit (captureTime: the detail pane's time base), the direction arrow, the lane label in its colour, the frame's
 * sequence number and the one-line summary. Props only; `rowText` is the pure row formatter.
 */
import { Box, Text } from 'ink';
import { columnOf, directionArrow } from '../../link/describe.ts';
import type { RecordIndex } from '../record-index.ts';
import { captureTime } from '../../records/summary.ts';
import { txnSummary } from '../../records/describe.ts';
import { fit } from '../text.ts';
import { theme } from '../theme.ts';
import { visibleWindow, type ViewState } from '../view-state.ts';

export interface RecordListProps {
  readonly index: RecordIndex;
  readonly state: ViewState;
  readonly width: number;
  readonly focused: boolean;
  readonly loading: boolean;
}

/**
 * One list row, without colour: "     12.000 µs  C→B  CTRL      1  hello #1 ...". Within `width`, a
 * transaction shows fewer bytes a side, so its MISO stays on the row.
 */
export function rowText(index: RecordIndex, i: number, width = Infinity): string {
  const r = index.record(i);
  const time = captureTime(r.startNs).padStart(15);
  const seq = columnOf(r).padStart(5);
  const label = theme.label[index.lane(i)].padEnd(5);
  const head = `${time}  ${directionArrow(r)}  ${label} ${seq}  `;
  return head + (r.kind === 'txn' ? txnSummary(r, width - head.length) : index.summaryText(i));
}

export function RecordList({ index, state, width, focused, loading }: RecordListProps) {
  const { visibleFromIndex, visibleToIndex } = visibleWindow(state);
  const rows = [];
  for (let p = visibleFromIndex; p < visibleToIndex; p++) {
    const i = state.rows.buf[p];
    const selected = p === state.selected;
    const text = fit(`${selected ? '›' : ' '}${rowText(index, i, width - 1)}`, width);
    rows.push(
      <Text key={i} color={theme.lane[index.lane(i)]} inverse={selected && focused} bold={selected}>
        {text}
      </Text>,
    );
  }
  if (rows.length === 0) {
    const why = loading ? 'loading…' : state.filter ? `no records match "${state.filter.text}" (Esc clears the filter)` : 'no records (a: show idle frames and transactions)';
    rows.push(<Text key="empty" color="gray">{fit(`  ${why}`, width)}</Text>);
  }
  return (
    <Box flexDirection="column" height={state.listHeight}>
      {rows}
    </Box>
  );
}
