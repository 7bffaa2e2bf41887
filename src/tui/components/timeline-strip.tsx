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

const LABEL = 6;

export function TimelineStrip({ index, lanes, width, zoom, selectedNs }: TimelineStripProps) {
  if (lanes.length === 0 || index.length === 0) return null;
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
          <Text color="gray">{r.name.padEnd(LABEL)}</Text>
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
