/**
 * The detail pane's hex dump, as pure functions: the lines of the dump with a field highlighted, and
 * the text of a field's value. What bytes a record has and which fields are in them is the record's
 * protocol's (src/link/describe.ts hexView: a buddy frame re-encoded with its header fields, a
 * transaction's MOSI then MISO, an anomaly's transaction with the faulty offset).
 *
 * Example: hexLines(hexView(frameRecord, null), field, 16) -> title line, then 16 bytes a line
 */
import type { HexField, HexView } from '../link/protocol.ts';

export type { HexField, HexSection, HexView } from '../link/protocol.ts';
export { EMPTY_HEX, hexView } from '../link/describe.ts';

export interface HexSegment {
  readonly text: string;
  readonly highlight: boolean;
}

export interface HexLine {
  /** Title lines carry one segment and no offset. */
  readonly segments: readonly HexSegment[];
  readonly isTitle: boolean;
  /** True when the line holds highlighted bytes. */
  readonly hasHighlight: boolean;
}

/** Lines of the dump, `perLine` bytes each, with the bytes of `field` marked for highlighting. */
export function hexLines(view: HexView, field: HexField | null, perLine: number): HexLine[] {
  const out: HexLine[] = [];
  view.sections.forEach((sec, si) => {
    out.push({ segments: [{ text: `${sec.title} (${sec.bytes.length} bytes)`, highlight: false }], isTitle: true, hasHighlight: false });
    for (let off = 0; off < sec.bytes.length; off += perLine) {
      const segments: HexSegment[] = [{ text: off.toString(16).padStart(4, '0'), highlight: false }];
      let any = false;
      for (let k = off; k < Math.min(off + perLine, sec.bytes.length); k++) {
        const hl = field !== null && field.section === si && k >= field.start && k < field.end;
        any ||= hl;
        segments.push({ text: ' ', highlight: false });
        segments.push({ text: sec.bytes[k].toString(16).padStart(2, '0'), highlight: hl });
      }
      out.push({ segments, isTitle: false, hasHighlight: any });
    }
  });
  return out;
}

/** The value a field holds, for the line under the dump ("seq (bytes 4-5) = 2"). */
export function fieldText(view: HexView, f: HexField): string {
  const b = view.sections[f.section].bytes.subarray(f.start, f.end);
  const range = f.end - f.start === 1 ? `byte ${f.start}` : `bytes ${f.start}-${f.end - 1}`;
  let value = '';
  if (b.length === 1) value = ` = ${b[0]} (0x${b[0].toString(16).padStart(2, '0')})`;
  else if (b.length === 2) value = ` = ${b[0] | (b[1] << 8)}`;
  else if (b.length === 4 && f.name.endsWith('crc')) value = ` = 0x${((b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0).toString(16).padStart(8, '0')}`;
  return `${f.name} (${range})${value}`;
}
