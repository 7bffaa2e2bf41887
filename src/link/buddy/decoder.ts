/**
 * Link stage: SPI transactions -> link frames -> records.
 *
 * Consumes TxnRecords (and passes through LineRecords and AnomalyRecords from the stage below);
 * emits, per transaction: the TxnRecord itself, then for MOSI (cpu-to-buddy) and MISO
 * (buddy-to-cpu) either a FrameRecord or an AnomalyRecord saying why there is none, plus stream
 * anomalies (lost frames, buddy reset, stale epoch, credit overrun, fragment abandoned, bad CBOR).
 * Every anomaly is a record; nothing is dropped. Frame assembly never spans transactions: a
 * transaction carries exactly one frame each way, so a broken frame cannot desynchronise the next.
 *
 * Example: a transaction whose MISO header CRC fails yields
 *   {kind:'anomaly', code:'header-crc', dir:'buddy-to-cpu', txn:7, offset:12, detail:'header CRC ...'}
 */
import { Flag, HEADER_SIZE, channelName, isCreditedChannel } from '../../protocol/constants.ts';
import type { ProtocolError } from '../../protocol/errors.ts';
import { decodeFrame, decodeHeader, isIdle, type Frame, type FrameHeader } from '../../protocol/frame.ts';
import { decodeMessage } from '../../protocol/message.ts';
import type { AnomalyCode, AnomalyRecord, BuddyRecord, Direction, FrameRecord, TxnRecord } from '../../records/types.ts';
import { DirectionState } from './direction.ts';
import { countAnomaly, newLinkStats, type LinkStage, type LinkStats, type StageOptions } from '../protocol.ts';

/** A frame whose header is intact; `payload` is null when the rest of it is not. */
type Parsed = Frame | { readonly header: FrameHeader; readonly payload: null };


/**
 * A capture of some other SPI device gives a frame error per transaction per direction. Until a
 * valid header is seen, the records of the first transactions are held; if PROBE_TXNS pass without
 * one, a single `no-link-frames` anomaly stands for their frame errors, and frame errors stay
 * silent until a valid header appears (the transactions themselves are always emitted).
 */
const PROBE_TXNS = 4;
/** Records held while probing, at most: past this the probe gives up holding (not deciding). */
const PROBE_HOLD_LIMIT = 4096;

/** Options of the buddy link stage (context: the SPI mode, for the no-link-frames anomaly). */
export type LinkDecoderOptions = StageOptions;

export class LinkDecoder implements LinkStage {
  private cpu = new DirectionState('cpu-to-buddy');
  private buddy = new DirectionState('buddy-to-cpu');
  private buddyEpoch: number | null = null;
  /** The epoch the CPU last synced to: when it changes, the CPU restarted its sequence numbers. */
  private cpuEpoch: number | null = null;
  private lastEnd = 0;
  readonly stats: LinkStats = newLinkStats();
  /** A valid header has been seen: frame errors are reported one by one. */
  private linkSeen = false;
  /** PROBE_TXNS transactions passed without a valid header: frame errors are silent. */
  private silent = false;
  /** While probing: held records, and per held transaction the records that are its frame errors. */
  private held: BuddyRecord[] | null = [];
  private heldErrors = new Set<BuddyRecord>();
  private heldTxns = 0;

  constructor(private readonly opts: LinkDecoderOptions = {}) {}

  /** Decodes one batch from the stage below; returns the records to emit, in time order. */
  push(batch: readonly BuddyRecord[]): BuddyRecord[] {
    const out: BuddyRecord[] = [];
    for (const rec of batch) {
      if (rec.kind === 'txn') this.probeTransaction(rec, out);
      else {
        if (rec.kind === 'anomaly') countAnomaly(this.stats, rec.code);
        (this.held ?? out).push(rec);
        // The bridge restarted (a new session): what follows owes nothing to the frames before.
        if (rec.kind === 'anomaly' && rec.code === 'bridge-reset') this.forget();
      }
      this.lastEnd = Math.max(this.lastEnd, rec.endNs);
    }
    if (this.held && this.held.length > PROBE_HOLD_LIMIT) this.release(out);
    return out;
  }

  /** A transaction, with the probe for captures that are not the buddy link (see PROBE_TXNS). */
  private probeTransaction(t: TxnRecord, out: BuddyRecord[]): void {
    if (this.linkSeen) {
      this.transaction(t, out);
      return;
    }
    const recs: BuddyRecord[] = [];
    const valid = this.transaction(t, recs);
    if (valid) {
      this.linkSeen = true;
      this.release(out);
      out.push(...recs);
      return;
    }
    if (this.silent) {
      // Only the transaction: its frame errors are what the no-link-frames anomaly stands for.
      for (const r of recs) if (r.kind === 'anomaly') this.uncountOne(r.code);
      out.push(t);
      return;
    }
    if (!this.held) {
      out.push(...recs);
      return;
    }
    for (const r of recs) {
      this.held.push(r);
      if (r.kind === 'anomaly') this.heldErrors.add(r);
    }
    if (++this.heldTxns === PROBE_TXNS) this.giveUp(out);
  }

  /** No valid header in the held transactions: one anomaly stands for their frame errors. */
  private giveUp(out: BuddyRecord[]): void {
    const held = this.held ?? [];
    const first = held.find((r) => r.kind === 'txn');
    if (!first) return;
    const ctx = this.opts.context?.();
    const errors = this.heldErrors;
    const kept = held.filter((r) => !errors.has(r));
    for (const r of errors) if (r.kind === 'anomaly') this.uncountOne(r.code);
    const note = this.anomaly('no-link-frames', first.startNs, first.endNs,
      `no buddy link frame in the first ${this.heldTxns} transaction(s)${ctx ? ` (${ctx})` : ''}: not the buddy link, or the wrong SPI mode; ` +
      'the SPI transactions are shown as they are, and frame errors are not reported until a valid frame appears', { txn: first.txn });
    this.held = null;
    this.heldErrors = new Set();
    this.silent = true;
    out.push(note, ...kept);
  }

  /** Stops holding: what was held goes out as it is. */
  private release(out: BuddyRecord[]): void {
    if (!this.held) return;
    out.push(...this.held);
    this.held = null;
    this.heldErrors = new Set();
  }

  /** A frame error that the no-link-frames anomaly stands for leaves the statistics. */
  private uncountOne(code: AnomalyCode): void {
    this.stats.anomalies--;
    const n = (this.stats.anomaliesPerCode[code] ?? 1) - 1;
    if (n > 0) this.stats.anomaliesPerCode[code] = n;
    else delete this.stats.anomaliesPerCode[code];
  }

  private forget(): void {
    this.cpu = new DirectionState('cpu-to-buddy');
    this.buddy = new DirectionState('buddy-to-cpu');
    this.buddyEpoch = null;
    this.cpuEpoch = null;
  }

  /** End of capture: a message still being reassembled is reported, not forgotten. */
  finish(): BuddyRecord[] {
    const out: BuddyRecord[] = [];
    // A short capture of another device: said once, like a long one.
    if (this.held && this.heldTxns > 0) this.giveUp(out);
    this.release(out);
    for (const side of [this.cpu, this.buddy]) {
      const ev = side.reassembly.abandon('capture ended mid-message');
      if (ev.kind === 'abandoned') {
        out.push(this.anomaly('fragment-abandoned', this.lastEnd, this.lastEnd, `${ev.fragments} fragment(s), ${ev.bytes} bytes on ${channelName(ev.channel)}: ${ev.reason}`, { dir: side.dir }));
      }
    }
    return out;
  }

  /** Decodes one transaction into `out`; returns whether either direction had a valid header. */
  private transaction(t: TxnRecord, out: BuddyRecord[]): boolean {
    this.stats.transactions++;
    out.push(t);
    const mosi = this.frameOf(t, 'cpu-to-buddy', t.mosi, out);
    const miso = this.frameOf(t, 'buddy-to-cpu', t.miso, out);
    // The buddy's epoch decides how the CPU's frame is judged, so a reset is noted first. Flow
    // control is judged the other way round: both headers cross at once, so the CPU's frame can
    // only have obeyed the window of an earlier MISO header.
    if (miso) this.noteBuddyEpoch(t, miso.header.epoch, out);
    if (mosi) this.accept(t, 'cpu-to-buddy', mosi, out);
    if (miso) this.accept(t, 'buddy-to-cpu', miso, out);
    return mosi !== null || miso !== null;
  }

  private noteBuddyEpoch(t: TxnRecord, epoch: number, out: BuddyRecord[]): void {
    if (this.buddyEpoch !== null && epoch !== this.buddyEpoch) {
      out.push(this.anomaly('buddy-reset', t.startNs, t.endNs, `buddy epoch ${this.buddyEpoch} -> ${epoch}: the buddy rebooted; link state reset`, { txn: t.txn, dir: 'buddy-to-cpu' }));
      this.stats.buddyResets++;
      this.cpu.reset();
      this.buddy.reset();
    }
    this.buddyEpoch = epoch;
  }

  /**
   * The frame, or only its header when the header is intact but the rest is not (payload CRC
   * mismatch, frame cut short): the header CRC vouches for seq, ack, credit and epoch, so the frame
   * still counts in the sequence (docs/protocol.md, "Sequence numbers") and one corruption is
   * reported once, not again as a lost frame.
   */
  private frameOf(t: TxnRecord, dir: Direction, bytes: Uint8Array, out: BuddyRecord[]): Parsed | null {
    const r = decodeFrame(bytes);
    if (r.ok) return r.value;
    out.push(this.frameError(t, dir, bytes, r.error));
    const h = r.error.offset >= HEADER_SIZE ? decodeHeader(bytes) : null;
    return h?.ok ? { header: h.value, payload: null } : null;
  }

  private frameError(t: TxnRecord, dir: Direction, bytes: Uint8Array, e: ProtocolError): AnomalyRecord {
    let detail = e.detail;
    if (e.code === 'bad-sync' && bytes.length > 0 && bytes.every((b) => b === bytes[0]) && (bytes[0] === 0xff || bytes[0] === 0x00)) {
      detail = `${dir === 'buddy-to-cpu' ? 'MISO' : 'MOSI'} is all 0x${bytes[0].toString(16).padStart(2, '0')} (${bytes.length} bytes): nothing driving the line, or the buddy was not armed`;
    }
    const code: AnomalyCode = e.code === 'fragment' || e.code === 'bad-cbor' || e.code === 'schema' ? 'bad-sync' : e.code;
    return this.anomaly(code, t.startNs, t.endNs, detail, { txn: t.txn, dir, offset: e.offset });
  }

  private accept(t: TxnRecord, dir: Direction, frame: Parsed, out: BuddyRecord[]): void {
    const h = frame.header;
    const side = dir === 'cpu-to-buddy' ? this.cpu : this.buddy;
    const peer = dir === 'cpu-to-buddy' ? this.buddy : this.cpu;
    const at = { txn: t.txn, dir };

    const idle = isIdle(h);
    if (dir === 'cpu-to-buddy') {
      if (h.epoch !== 0 && this.buddyEpoch !== null && h.epoch !== this.buddyEpoch) {
        // The buddy drops it, so it takes no part in sequence, credit or reassembly tracking.
        out.push(this.anomaly('stale-epoch', t.startNs, t.endNs, `CPU frame carries epoch ${h.epoch}, buddy is at ${this.buddyEpoch}: the buddy drops it`, at));
        if (frame.payload === null) return;
        this.countFrame(h.channel, idle);
        out.push(this.standalone(t, dir, frame));
        return;
      }
      if (this.cpuEpoch !== null && h.epoch !== this.cpuEpoch) this.cpu.reset();
      this.cpuEpoch = h.epoch;
    }

    const v = side.seq.observe(h.seq, !idle);
    if (v.kind === 'gap') {
      out.push(this.anomaly('lost-frames', t.startNs, t.endNs, `${v.lost} frame(s) lost: expected seq ${v.expected}, got ${h.seq}`, { ...at, count: v.lost }));
    } else if (v.kind === 'repeat') {
      out.push(this.anomaly('repeat-frame', t.startNs, t.endNs, `seq ${h.seq} repeats or steps back (expected ${v.expected})`, at));
    }

    // This side's header advertises its window to the peer.
    peer.peerWindow(h.flags & Flag.ackValid ? h.ack : null, h.credit);
    if (!idle && isCreditedChannel(h.channel)) {
      const over = side.sentCredited(h.seq);
      if (over) out.push(this.anomaly('credit-overrun', t.startNs, t.endNs, `credited frame sent with ${over.outstanding} outstanding against a credit of ${over.credit}`, at));
    }
    if (frame.payload === null) {
      // Its payload is lost: a message it belonged to cannot complete.
      const ev = side.reassembly.abandon(`fragment seq ${h.seq} arrived corrupt`);
      if (ev.kind === 'abandoned') {
        out.push(this.anomaly('fragment-abandoned', t.startNs, t.endNs, `${ev.fragments} fragment(s), ${ev.bytes} bytes on ${channelName(ev.channel)}: ${ev.reason}`, at));
      }
      return;
    }
    // A reserved channel is not an error (a newer peer may use it): the frame is kept raw.
    const base = {
      kind: 'frame' as const, startNs: t.startNs, endNs: t.endNs, txn: t.txn, dir, channel: h.channel, flags: h.flags,
      seq: h.seq, ack: h.ack, credit: h.credit, epoch: h.epoch, payload: frame.payload,
    };
    this.countFrame(h.channel, idle);
    const chan = channelName(h.channel);
    if (idle) {
      out.push(base);
      return;
    }
    let record: FrameRecord = base;
    const trailing: AnomalyRecord[] = [];
    for (const ev of side.reassembly.push(frame)) {
      if (ev.kind === 'abandoned') {
        trailing.push(this.anomaly('fragment-abandoned', t.startNs, t.endNs, `${ev.fragments} fragment(s), ${ev.bytes} bytes on ${channelName(ev.channel)}: ${ev.reason}`, at));
      } else if (ev.kind === 'complete') {
        const decoded = decodeMessage(ev.channel, ev.message);
        record = { ...base, fragments: ev.fragments, message: ev.message };
        if (decoded?.ok) {
          record = { ...record, decoded: decoded.value };
          const d = decoded.value;
          if (d.kind === 'control' && d.msg.type === 'unknown') {
            trailing.push(this.anomaly('unknown-message', t.startNs, t.endNs, `control type code 0x${d.msg.code.toString(16).padStart(2, '0')} is not in the catalogue`, at));
          } else if (d.kind === 'trace' && d.event.type === 'unknown') {
            trailing.push(this.anomaly('unknown-message', t.startNs, t.endNs, `trace variant ${d.event.variant} is not known`, at));
          }
        } else if (decoded && !decoded.ok) {
          const code: AnomalyCode = decoded.error.code === 'schema' ? 'schema' : 'bad-cbor';
          trailing.push(this.anomaly(code, t.startNs, t.endNs, `${chan} message: ${decoded.error.detail}`, at));
        }
      }
    }
    // Abandonment refers to frames before this one, so it is reported first.
    for (const a of trailing.filter((x) => x.code === 'fragment-abandoned')) out.push(a);
    out.push(record);
    for (const a of trailing.filter((x) => x.code !== 'fragment-abandoned')) out.push(a);
  }

  private countFrame(channel: number, idle: boolean): void {
    this.stats.frames++;
    if (idle) this.stats.idleFrames++;
    const chan = channelName(channel);
    this.stats.framesPerChannel[chan] = (this.stats.framesPerChannel[chan] ?? 0) + 1;
  }

  /** A frame outside the stream's tracking (stale epoch): kept, and decoded when it is whole. */
  private standalone(t: TxnRecord, dir: Direction, frame: Frame): FrameRecord {
    const h = frame.header;
    const base: FrameRecord = {
      kind: 'frame', startNs: t.startNs, endNs: t.endNs, txn: t.txn, dir, channel: h.channel, flags: h.flags,
      seq: h.seq, ack: h.ack, credit: h.credit, epoch: h.epoch, payload: frame.payload,
    };
    if (isIdle(h) || h.flags & (Flag.more | Flag.cont)) return base;
    const decoded = decodeMessage(h.channel, frame.payload);
    return { ...base, fragments: 1, message: frame.payload, ...(decoded?.ok ? { decoded: decoded.value } : {}) };
  }

  private anomaly(code: AnomalyCode, startNs: number, endNs: number, detail: string, extra: Partial<Pick<AnomalyRecord, 'txn' | 'dir' | 'offset' | 'count'>> = {}): AnomalyRecord {
    countAnomaly(this.stats, code);
    return { kind: 'anomaly', code, startNs, endNs, detail, ...extra };
  }

}
