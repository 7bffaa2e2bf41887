/**
 * The detail pane's hex dump, as pure functions: the bytes behind a record and the named fields in
 * them. A frame is re-encoded (encodeFrame gives back its exact wire bytes, CRCs included) and its
 * header fields mapped to byte ranges; a transaction shows MOSI then MISO; an anomaly that names a
 * transaction shows that transaction's bytes in its direction with the faulty offset as a field.
 *
 * Example: hexView(frameRecord) -> { sections: [{ title: 'frame', bytes }], fields: [{ name: 'sync',
 *   section: 0, start: 0, end: 1 }, ..., { name: 'crc', start: 16 + len, end: 20 + len }] }
 */
import { encodeFrame } from '../protocol/frame.ts';
import type { BuddyRecord, FrameRecord, TxnRecord } from '../records/types.ts';

export interface HexSection {
  readonly title: string;
  readonly bytes: Uint8Array;
}

export interface HexField {
  readonly name: string;
  readonly section: number;
  readonly start: number;
  /** Exclusive. */
  readonly end: number;
}

export interface HexView {
  readonly sections: readonly HexSection[];
  readonly fields: readonly HexField[];
}

const FRAME_HEADER: readonly [string, number, number][] = [
  ['sync', 0, 1], ['version', 1, 2], ['channel', 2, 3], ['flags', 3, 4], ['seq', 4, 6], ['ack', 6, 8],
  ['len', 8, 10], ['credit', 10, 11], ['epoch', 11, 12], ['hcrc', 12, 16],
];

export const EMPTY_HEX: HexView = { sections: [], fields: [] };

function frameView(r: FrameRecord): HexView {
  let bytes: Uint8Array;
  try {
    bytes = encodeFrame({ channel: r.channel, flags: r.flags, seq: r.seq, ack: r.ack, credit: r.credit, epoch: r.epoch }, r.payload);
  } catch {
    return EMPTY_HEX; // a record built by hand with out-of-range fields has no wire form
  }
  const fields: HexField[] = FRAME_HEADER.map(([name, start, end]) => ({ name, section: 0, start, end }));
  if (r.payload.length > 0) {
    fields.push({ name: 'payload', section: 0, start: 16, end: 16 + r.payload.length });
    fields.push({ name: 'crc', section: 0, start: 16 + r.payload.length, end: 20 + r.payload.length });
  }
  return { sections: [{ title: `frame ${r.dir === 'cpu-to-buddy' ? 'MOSI' : 'MISO'}`, bytes }], fields };
}

function txnView(t: TxnRecord): HexView {
  return {
    sections: [{ title: 'MOSI', bytes: t.mosi }, { title: 'MISO', bytes: t.miso }],
    fields: [{ name: 'MOSI', section: 0, start: 0, end: t.mosi.length }, { name: 'MISO', section: 1, start: 0, end: t.miso.length }],
  };
}

/** The bytes and fields behind a record; `txn` is the transaction it came from, when known. */
export function hexView(r: BuddyRecord, txn: TxnRecord | null): HexView {
  switch (r.kind) {
    case 'frame':
      return frameView(r);
    case 'txn':
      return txnView(r);
    case 'anomaly': {
      if (!txn) return EMPTY_HEX;
      if (!r.dir) return txnView(txn);
      const bytes = r.dir === 'cpu-to-buddy' ? txn.mosi : txn.miso;
      const title = r.dir === 'cpu-to-buddy' ? 'MOSI' : 'MISO';
      const at = r.offset;
      const fields = at !== undefined && at < bytes.length ? [{ name: `offset ${at}`, section: 0, start: at, end: at + 1 }] : [];
      return { sections: [{ title, bytes }], fields };
    }
    case 'line':
      return EMPTY_HEX;
  }
}

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
