/**
 * The header: file and format, duration, record counts per channel, anomalies and the SPI mode,
 * plus a loading count while the stream is still arriving. Props only. A live view shows the
 * connection state instead of "loading", and once its window is full, how many older records it
 * dropped (the counts then describe the window).
 */
import { Box, Text } from 'ink';
import { formatDuration, type RecordSummary } from '../../records/summary.ts';
import { fit } from '../text.ts';
import { theme } from '../theme.ts';

export interface HeaderProps {
  readonly summary: RecordSummary;
  readonly width: number;
  readonly loading: boolean;
  readonly error: string | null;
  readonly live?: LiveHeader | null;
}

export interface LiveHeader {
  /** Connection state: connecting, connected, disconnected, ended. */
  readonly state: string;
  readonly dropped: number;
  readonly window: number;
}

const list = (o: Record<string, number>): string =>
  Object.entries(o).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';

export function headerLines(s: RecordSummary, loading: boolean, error: string | null, live: LiveHeader | null = null): [string, string] {
  const anomalies = Object.values(s.anomalies).reduce((a, b) => a + b, 0);
  const count = `${loading && !error && !live ? 'loading… ' : ''}${s.records.toLocaleString('en')} records`;
  const window = live?.dropped ? `  (window: newest ${live.window.toLocaleString('en')}; ${live.dropped.toLocaleString('en')} older dropped)` : '';
  const state = live ? `  ${live.state === 'connected' ? '●' : '○'} ${live.state}` : '';
  const first = `${s.input} (${s.format})  ${formatDuration(s.durationNs)}  ${count}${window}${state}${error ? `  [stopped: ${error}]` : ''}`;
  const second = `frames: ${list(s.channels)} │ anomalies ${anomalies}${anomalies ? ` (${list(s.anomalies)})` : ''}${s.spiMode ? ` │ SPI ${s.spiMode}` : ''}`;
  return [first, second];
}

export function Header({ summary, width, loading, error, live = null }: HeaderProps) {
  const [first, second] = headerLines(summary, loading, error, live);
  const anomalies = Object.keys(summary.anomalies).length > 0;
  return (
    <Box flexDirection="column">
      <Text bold color={error ? 'red' : theme.header}>{fit(first, width)}</Text>
      <Text color={anomalies ? 'red' : 'gray'}>{fit(second, width)}</Text>
    </Box>
  );
}
