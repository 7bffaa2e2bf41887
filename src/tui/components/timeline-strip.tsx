/**
 * The timeline strip: one row of activity blocks per lane over the current time window (see
 * strip.ts), then an axis with the window's start and end and ▲ under the selected record.
 */
import { Box, Text } from 'ink';
import type { RecordIndex } from '../record-index.ts';
import { axisRow, stripRows, stripWindow, type StripLaneName } from '../strip.ts';
import { theme } from '../theme.ts';

export interface TimelineStripProps {
  readonly index: RecordIndex;
  readonly lanes: readonly StripLaneName[];
  readonly width: number;
  readonly zoom: number;
  /** Start time of the selected record, or null. */
  readonly selectedNs: number | null;
}

/** The label column: wide enough for the lane names, wider when a link protocol names a line longer (HANDSHAKE). */
function labelWidth(index: RecordIndex): number {
  return Math.max(6, ...Object.values(index.lineLabels).map((l) => l.length + 1));
}

export function TimelineStrip({ index, lanes, width, zoom, selectedNs }: TimelineStripProps) {
  if (lanes.length === 0 || index.length === 0) return null;
  const LABEL = labelWidth(index);
  const columns = Math.max(1, width - LABEL);
  const centre = selectedNs ?? index.firstNs;
  const w = stripWindow(index, centre, zoom, columns);
  const rows = stripRows(index, w, columns, lanes);
  const axis = axisRow(index, w, columns, selectedNs);
  const zoomText = zoom ? `×${2 ** zoom}`.slice(0, LABEL - 1) : 'all';
  return (
    <Box flexDirection="column">
      {rows.map((r) => (
        <Text key={r.name}>
          <Text color="gray">{r.label.padEnd(LABEL)}</Text>
          <Text color={r.lane === 'signal' ? theme.signal : theme.lane[r.lane]}>{r.cells}</Text>
        </Text>
      ))}
      <Text>
        <Text color="gray">{zoomText.padEnd(LABEL)}</Text>
        <Text color="gray">{axis.marker < 0 ? axis.text : axis.text.slice(0, axis.marker)}</Text>
        {axis.marker < 0 ? null : <Text color={theme.marker} bold>▲</Text>}
        {axis.marker < 0 ? null : <Text color="gray">{axis.text.slice(axis.marker + 1)}</Text>}
      </Text>
    </Box>
  );
}
