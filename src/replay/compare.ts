/**
 * Compares what the simulated end put on the wire with what the capture shows, transaction by
 * transaction, at one of three levels:
 *
 * - `bytes`: the compared side's bytes, padding included, must be identical;
 * - `frames`: each transaction's frame is decoded on both sides and compared field by field
 *   (channel, flags, seq, ack, length, credit, epoch, payload); a control or trace message that
 *   fits in one frame is compared decoded, so ignored message fields (rssi, uptime_ms) apply;
 * - `messages`: frames are reassembled on both sides and the complete messages compared in order,
 *   wherever their transactions fell; header fields are not compared.
 *
 * A captured frame that fails its checks was corrupted on the wire (or the capture has no bytes
 * for it): what the end sent cannot be known, so it is counted as unverifiable, not compared. At
 * the messages level the simulated frame of that transaction is left out too, so both sides see
 * the same gap. `ignore` names header fields (seq, ack, credit, epoch, flags) and message fields
 * (at any depth: rssi, uptime_ms, id, ...).
 */
import { Channel, Flag } from '../protocol/constants.ts';
import { decodeFrame, type Frame } from '../protocol/frame.ts';
import { Reassembler } from '../protocol/fragment.ts';
import { decodeMessage, type DecodedMessage } from '../protocol/message.ts';
import { sameBytes, toHex } from '../protocol/bytes.ts';
import { frameSummary } from '../link/buddy/views.ts';
import type { Direction, FrameRecord } from '../records/types.ts';

export const COMPARE_LEVELS = ['bytes', 'frames', 'messages'] as const;
export type CompareLevel = (typeof COMPARE_LEVELS)[number];
export const HEADER_FIELDS = ['channel', 'flags', 'seq', 'ack', 'length', 'credit', 'epoch'] as const;

export interface Shown {
  /** One line: the decoded frame or message. */
  readonly summary: string;
  /** Hex of the first bytes, the differing byte marked with [..]. */
  readonly hex: string;
}

export interface Divergence {
  readonly txn: number;
  readonly atNs: number;
  readonly dir: Direction;
  readonly level: CompareLevel;
  /** One line: what differs. */
  readonly what: string;
  readonly expected: Shown | null;
  readonly actual: Shown | null;
}

export interface CompareStats {
  compared: number;
  matched: number;
  diverged: number;
  unverifiable: number;
  messages: number;
}

interface Msg {
  readonly txn: number;
  readonly atNs: number;
  readonly channel: number;
  readonly bytes: Uint8Array;
  readonly decoded: DecodedMessage | null;
}

export class Comparator {
  readonly stats: CompareStats = { compared: 0, matched: 0, diverged: 0, unverifiable: 0, messages: 0 };
  private readonly expReasm = new Reassembler();
  private readonly actReasm = new Reassembler();
  private readonly expMsgs: Msg[] = [];
  private readonly actMsgs: Msg[] = [];

  constructor(readonly level: CompareLevel, private readonly ignore: ReadonlySet<string>, readonly dir: Direction) {}

  /** Compares one transaction's side; returns the divergences found (none when it matched). */
  compare(txn: number, atNs: number, expected: Uint8Array | null, actual: Uint8Array): Divergence[] {
    this.stats.compared++;
    const unverifiableBefore = this.stats.unverifiable;
    const out: Divergence[] = [];
    if (this.level !== 'messages' && expected !== null && sameBytes(expected, actual)) {
      // Identical bytes are identical at every level (the common case, and the fast one).
      this.stats.matched++;
      return out;
    }
    if (this.level === 'bytes') {
      if (expected === null) this.stats.unverifiable++;
      else {
        const at = firstDifference(expected, actual);
        if (at >= 0) out.push(this.divergence(txn, atNs, at < Math.min(expected.length, actual.length) ? `byte ${at} differs (0x${hex2(expected[at])} captured, 0x${hex2(actual[at])} simulated)` : `length differs (${expected.length} bytes captured, ${actual.length} simulated)`, expected, actual, at));
      }
    } else {
      const e = expected ? decodeFrame(expected) : null;
      const a = decodeFrame(actual);
      if (!e || !e.ok) {
        this.stats.unverifiable++;
        if (this.level === 'messages' && a.ok && !isIdleFrame(a.value)) this.actReasm.abandon('captured frame unreadable');
        if (this.level === 'messages' && e) this.expReasm.abandon('captured frame unreadable');
      } else if (this.level === 'frames') {
        if (!a.ok) out.push(this.divergence(txn, atNs, `simulated frame is unreadable (${a.error.code}: ${a.error.detail})`, expected, actual, a.error.offset));
        else {
          const what = this.frameDifference(e.value, a.value);
          if (what) out.push(this.divergence(txn, atNs, what, expected, actual, firstDifference(expected as Uint8Array, actual)));
        }
      } else {
        this.collect(this.expReasm, this.expMsgs, e.value, txn, atNs);
        if (a.ok) this.collect(this.actReasm, this.actMsgs, a.value, txn, atNs);
        else out.push(this.divergence(txn, atNs, `simulated frame is unreadable (${a.error.code}: ${a.error.detail})`, expected, actual, a.error.offset));
        out.push(...this.pairMessages(false));
      }
    }
    if (out.length) this.stats.diverged++;
    else if (this.stats.unverifiable === unverifiableBefore) this.stats.matched++;
    return out;
  }

  /** End of the capture: messages left on one side only. */
  finish(): Divergence[] {
    return this.level === 'messages' ? this.pairMessages(true) : [];
  }

  private collect(reasm: Reassembler, into: Msg[], f: Frame, txn: number, atNs: number): void {
    if (isIdleFrame(f)) return;
    for (const ev of reasm.push(f)) {
      if (ev.kind !== 'complete') continue;
      const d = decodeMessage(ev.channel, ev.message);
      into.push({ txn, atNs, channel: ev.channel, bytes: ev.message, decoded: d && d.ok ? d.value : null });
    }
  }

  private pairMessages(final: boolean): Divergence[] {
    const out: Divergence[] = [];
    while (this.expMsgs.length && this.actMsgs.length) {
      const e = this.expMsgs.shift() as Msg;
      const a = this.actMsgs.shift() as Msg;
      this.stats.messages++;
      const what = this.messageDifference(e, a);
      if (what) out.push({ txn: e.txn, atNs: e.atNs, dir: this.dir, level: this.level, what: `${what} (simulated in txn #${a.txn})`, expected: showMessage(e), actual: showMessage(a) });
    }
    if (final) {
      for (const e of this.expMsgs.splice(0)) out.push({ txn: e.txn, atNs: e.atNs, dir: this.dir, level: this.level, what: 'captured message never sent by the simulation', expected: showMessage(e), actual: null });
      for (const a of this.actMsgs.splice(0)) out.push({ txn: a.txn, atNs: a.atNs, dir: this.dir, level: this.level, what: 'simulation sent a message the capture does not have', expected: null, actual: showMessage(a) });
    }
    return out;
  }

  private frameDifference(e: Frame, a: Frame): string | null {
    for (const k of HEADER_FIELDS) {
      if (this.ignore.has(k)) continue;
      if (e.header[k] !== a.header[k]) return `${k} differs: ${e.header[k]} captured, ${a.header[k]} simulated`;
    }
    if (sameBytes(e.payload, a.payload)) return null;
    const whole = (f: Frame): boolean => (f.header.flags & (Flag.more | Flag.cont)) === 0;
    if (whole(e) && whole(a) && e.header.channel === a.header.channel) {
      const de = decodeMessage(e.header.channel, e.payload);
      const da = decodeMessage(a.header.channel, a.payload);
      if (de?.ok && da?.ok) {
        const d = diffValues(de.value, da.value, '', this.ignore);
        return d ? `payload differs: ${d}` : null;
      }
    }
    const at = firstDifference(e.payload, a.payload);
    return `payload differs at byte ${at} (${e.payload.length} bytes captured, ${a.payload.length} simulated)`;
  }

  private messageDifference(e: Msg, a: Msg): string | null {
    if (e.channel !== a.channel) return `channel differs: ${channelName(e.channel)} captured, ${channelName(a.channel)} simulated`;
    if (e.decoded && a.decoded) {
      const d = diffValues(e.decoded, a.decoded, '', this.ignore);
      return d ? `${channelName(e.channel)} message differs: ${d}` : null;
    }
    if (sameBytes(e.bytes, a.bytes)) return null;
    return `${channelName(e.channel)} message differs at byte ${firstDifference(e.bytes, a.bytes)} (${e.bytes.length} bytes captured, ${a.bytes.length} simulated)`;
  }

  private divergence(txn: number, atNs: number, what: string, expected: Uint8Array | null, actual: Uint8Array, at: number): Divergence {
    return { txn, atNs, dir: this.dir, level: this.level, what, expected: expected ? showFrame(expected, txn, this.dir, at) : null, actual: showFrame(actual, txn, this.dir, at) };
  }
}

/** The first path where two decoded values differ, as `path: a captured, b simulated`; null if equal. */
export function diffValues(a: unknown, b: unknown, path: string, ignore: ReadonlySet<string>): string | null {
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (a instanceof Uint8Array && b instanceof Uint8Array && sameBytes(a, b)) return null;
    return `${path || '(value)'}: ${valueText(a)} captured, ${valueText(b)} simulated`;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = diffValues(a[i], b[i], `${path}[${i}]`, ignore);
      if (d) return d;
    }
    return null;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      if (ignore.has(k)) continue;
      const d = diffValues(a[k], b[k], path ? `${path}.${k}` : k, ignore);
      if (d) return d;
    }
    return null;
  }
  return Object.is(a, b) ? null : `${path || '(value)'}: ${valueText(a)} captured, ${valueText(b)} simulated`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function valueText(v: unknown): string {
  if (v === undefined) return '(absent)';
  if (v instanceof Uint8Array) return `<${toHex(v.subarray(0, 16))}${v.length > 16 ? '...' : ''}>`;
  const s = JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? toHex(x) : x));
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function isIdleFrame(f: Frame): boolean {
  return f.header.channel === Channel.link && f.header.length === 0;
}

function channelName(c: number): string {
  return ['link', 'control', 'ethernet', 'trace', 'ble-hci'][c] ?? `channel ${c}`;
}

/** Offset of the first differing byte (the shorter length when one is a prefix), -1 if equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

function hex2(v: number | undefined): string {
  return v === undefined ? '--' : v.toString(16).padStart(2, '0');
}

/** Hex of a window of bytes around `at` (the first 48 when at < 0), with bytes[at] in brackets. */
export function hexAround(b: Uint8Array, at: number): string {
  const from = at < 32 ? 0 : at - 16;
  const to = Math.min(b.length, from + 48);
  const parts: string[] = [];
  for (let i = from; i < to; i++) parts.push(i === at ? `[${hex2(b[i])}]` : hex2(b[i]));
  return `${from > 0 ? `+${from}: ... ` : ''}${parts.join(' ')}${to < b.length ? ` ... (${b.length} bytes)` : ''}`;
}

function showFrame(bytes: Uint8Array, txn: number, dir: Direction, at: number): Shown {
  return { summary: describeFrameBytes(bytes, txn, dir), hex: hexAround(bytes, at) };
}

function showMessage(m: Msg): Shown {
  const rec: FrameRecord = {
    kind: 'frame', startNs: m.atNs, endNs: m.atNs, txn: m.txn, dir: 'cpu-to-buddy', channel: m.channel, flags: 0, seq: 0, ack: 0, credit: 0, epoch: 0,
    payload: m.bytes, message: m.bytes, ...(m.decoded ? { decoded: m.decoded } : {}),
  };
  return { summary: frameSummary(rec), hex: hexAround(m.bytes, -1) };
}

/** One line for a frame's bytes: its decoded summary, or why it is unreadable. */
export function describeFrameBytes(bytes: Uint8Array, txn: number, dir: Direction): string {
  const r = decodeFrame(bytes);
  if (!r.ok) return bytes.every((x) => x === 0xff) ? 'nothing (MISO floating high: no frame armed)' : `unreadable (${r.error.code}: ${r.error.detail})`;
  const { header, payload } = r.value;
  const whole = (header.flags & (Flag.more | Flag.cont)) === 0 && payload.length > 0;
  const d = whole ? decodeMessage(header.channel, payload) : null;
  const rec: FrameRecord = {
    kind: 'frame', startNs: 0, endNs: 0, txn, dir, channel: header.channel, flags: header.flags, seq: header.seq, ack: header.ack, credit: header.credit,
    epoch: header.epoch, payload, ...(whole ? { message: payload } : {}), ...(d && d.ok ? { decoded: d.value } : {}),
  };
  return `seq ${header.seq} ack ${header.ack} credit ${header.credit} epoch ${header.epoch}: ${frameSummary(rec)}`;
}
