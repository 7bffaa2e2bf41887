/**
 * The detail pane for the selected record: the decoded tree and the SPI transaction on the left,
 * the hex dump with the field under the cursor highlighted on the right (↑/↓ move the cursor when
 * the pane has focus; PgUp/PgDn scroll the tree), and the request/reply link with its latency.
 * Props only.
 */
import { Box, Text } from 'ink';
import { pairLine, recordTree, txnLine } from '../detail.ts';
import { fieldText, hexLines, hexView } from '../hex.ts';
import type { RecordIndex } from '../record-index.ts';
import { fit } from '../text.ts';
import { theme } from '../theme.ts';

export interface DetailPaneProps {
  readonly index: RecordIndex;
  /** Record index, or -1 when nothing is selected. */
  readonly record: number;
  /** The selection's place in the list, as positionText says it ("12 of 133 shown"). */
  readonly position: string;
  readonly field: number;
  /** First tree line shown (clamped). */
  readonly treeOffset?: number;
  readonly width: number;
  readonly height: number;
  readonly focused: boolean;
}

export function DetailPane({ index, record, position, field, treeOffset = 0, width, height, focused }: DetailPaneProps) {
  const bodyRows = Math.max(1, height - 1);
  const title = record < 0 ? ' detail ' : ` record ${position} `;
  const rule = (
    <Text color={focused ? theme.focusBorder : theme.border}>{`──${title}${'─'.repeat(width)}`.slice(0, width)}</Text>
  );
  if (record < 0) return <Box flexDirection="column" height={height}>{rule}</Box>;

  const perLine = width >= 120 ? 16 : 8;
  const hexWidth = 4 + perLine * 3 + 2;
  const view = hexView(index.record(record), index.txnOf(record));
  const hasHex = view.sections.length > 0;
  const leftWidth = hasHex ? width - hexWidth - 1 : width;

  const info = [txnLine(index, record)];
  const pair = pairLine(index, record);
  if (pair) info.push(pair);
  const tree = recordTree(index, record, Math.max(0, bodyRows - info.length), treeOffset);
  const left = [...tree, ...info];

  const f = view.fields.length ? view.fields[Math.min(field, view.fields.length - 1)] : null;
  const lines = hexLines(view, f, perLine);
  const hexRows = Math.max(1, bodyRows - 1);
  const hl = lines.findIndex((l) => l.hasHighlight);
  const from = hl < 0 ? 0 : Math.max(0, Math.min(hl - Math.floor(hexRows / 3), lines.length - hexRows));
  const shown = lines.slice(from, from + hexRows);

  return (
    <Box flexDirection="column" height={height}>
      {rule}
      <Box flexDirection="row">
        <Box flexDirection="column" width={leftWidth}>
          {left.map((l, k) => (
            <Text key={k} color={k >= tree.length ? 'yellow' : undefined}>{fit(l, leftWidth)}</Text>
          ))}
        </Box>
        {hasHex ? (
          <Box flexDirection="column" width={hexWidth} marginLeft={1}>
            {shown.map((l, k) => (
              <Text key={k} color={l.isTitle ? 'gray' : undefined}>
                {l.segments.map((s, j) => (
                  <Text key={j} inverse={s.highlight} color={s.highlight ? theme.focusBorder : undefined}>{s.text}</Text>
                ))}
              </Text>
            ))}
            {f ? <Text color={theme.focusBorder}>{fit(`▸ ${fieldText(view, f)}`, hexWidth)}</Text> : null}
          </Box>
        ) : null}
      </Box>
    </Box>
  );
}
