/**
 * The header: file and format, duration, record counts per channel, anomalies, the link protocol
 * (when it is not the buddy link) and the SPI mode, plus a loading count while the stream is still
 * arriving. Props only. A live view shows the connection state instead of "loading", and once its
 * window is full, how many older records it dropped (the counts then describe the window).
 *
 * Two rows, each laid out for the width: when a row does not fit, the least important parts
 * shorten or go first, so at 80 columns the file name, duration, record count, connection state
 * and the anomaly count stay readable. First row: the format goes, then the window note shortens
 * ("(1,788 dropped)"), then the file loses its folders ("…/demo.pcapng"), then the window note
 * goes. Second row: the SPI mode shortens to "SPI mode 0", the anomaly kinds shorten to the
 * commonest, the idle frames leave the frame counts, the SPI mode goes, the anomaly kinds go
 * (the count stays), then the smallest channels leave the frame counts ("+2 more").
 *
 * Example: headerLines(summary, false, null, null, 80) -> ['captures/demo.pcapng (pcapng)  1.723 s  199 records   …', 'frames: …']
 */
import { Box, Text } from 'ink';
import { formatDuration, type RecordSummary } from '../../records/summary.ts';
import { squeeze, type Shortening } from '../text.ts';
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

const byCount = (o: Record<string, number>): [string, number][] => Object.entries(o).sort((a, b) => b[1] - a[1]);
const list = (entries: readonly [string, number][]): string => entries.map(([k, v]) => `${k} ${v}`).join(', ');
const n = (v: number): string => v.toLocaleString('en');

function firstLine(s: RecordSummary, loading: boolean, error: string | null, live: LiveHeader | null, width: number): string {
  const count = `${loading && !error && !live ? 'loading… ' : ''}${n(s.records)} records`;
  // Folders of a file path can go; a URL (tcp://host:port) stays whole.
  const slash = s.input.includes('://') ? -1 : s.input.lastIndexOf('/');
  const pieces = [
    `${s.input} (${s.format})`,
    formatDuration(s.durationNs),
    count,
    live?.dropped ? `(window: newest ${n(live.window)}; ${n(live.dropped)} older dropped)` : '',
    live ? `${live.state === 'connected' ? '●' : '○'} ${live.state}` : '',
    error ? `[stopped: ${error}]` : '',
  ];
  const shortenings: Shortening[] = [
    { piece: 0, text: s.input },
    ...(live?.dropped ? [{ piece: 3, text: `(${n(live.dropped)} older dropped)` }, { piece: 3, text: `(${n(live.dropped)} dropped)` }] : []),
    ...(slash > 0 && slash < s.input.length - 1 ? [{ piece: 0, text: `…${s.input.slice(slash)}` }] : []),
    // The connection state matters more than the note on what the window forgot.
    ...(live?.dropped ? [{ piece: 3, text: '' }] : []),
  ];
  return squeeze(pieces, shortenings, width, '  ');
}

function secondLine(s: RecordSummary, width: number): string {
  const anomalies = Object.values(s.anomalies).reduce((a, b) => a + b, 0);
  const kinds = byCount(s.anomalies);
  const channels = byCount(s.channels);
  const anomalyText = (k: number): string => `anomalies ${anomalies}${k > 0 ? ` (${list(kinds.slice(0, k))}${k < kinds.length ? ', …' : ''})` : ''}`;
  // Idle frames, once left out, are not counted in "+N more" (the list hides them too).
  const kept = channels.filter(([k]) => k !== 'idle');
  const framesText = (shown: readonly [string, number][]): string => {
    const more = (shown === channels ? channels.length : kept.length) - shown.length;
    return `frames: ${list(shown) || 'none'}${more > 0 ? ` +${more} more` : ''}`;
  };
  // The buddy link is the default; another link protocol is named, as decode's summary does.
  const protocol = s.protocol && s.protocol !== 'buddy' ? s.protocol : '';
  const pieces = [framesText(channels), anomalyText(kinds.length), protocol, s.spiMode ? `SPI ${s.spiMode}` : ''];
  const shortenings: Shortening[] = [];
  const shortMode = s.spiMode ? /^mode \d/.exec(s.spiMode) : null;
  if (shortMode) shortenings.push({ piece: 3, text: `SPI ${shortMode[0]}` });
  for (let k = kinds.length - 1; k >= 1; k--) shortenings.push({ piece: 1, text: anomalyText(k) });
  // Idle frames leave the counts first (the list hides them by default), the smallest channels last.
  if (kept.length < channels.length && kept.length > 0) shortenings.push({ piece: 0, text: framesText(kept) });
  if (s.spiMode) shortenings.push({ piece: 3, text: '' });
  if (kinds.length > 0) shortenings.push({ piece: 1, text: anomalyText(0) });
  for (let k = kept.length - 1; k >= 1; k--) shortenings.push({ piece: 0, text: framesText(kept.slice(0, k)) });
  return squeeze(pieces, shortenings, width, ' │ ');
}

/** The two header rows, each exactly `width` columns (the whole text, unpadded, without a width). */
export function headerLines(s: RecordSummary, loading: boolean, error: string | null, live: LiveHeader | null = null, width = Infinity): [string, string] {
  return [firstLine(s, loading, error, live, width), secondLine(s, width)];
}

export function Header({ summary, width, loading, error, live = null }: HeaderProps) {
  const [first, second] = headerLines(summary, loading, error, live, width);
  const anomalies = Object.keys(summary.anomalies).length > 0;
  return (
    <Box flexDirection="column">
      <Text bold color={error ? 'red' : theme.header}>{first}</Text>
      <Text color={anomalies ? 'red' : 'gray'}>{second}</Text>
    </Box>
  );
}
