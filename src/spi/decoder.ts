/**
 * The synchronous core of the SPI stage: a state machine fed one ChangeBatch at a time.
 *
 * Consumes: ChangeBatches (state carried across batches, so a boundary may fall anywhere, even
 * between the two edges of one clock pulse) plus a ChannelMap saying which bit is which role.
 * Emits (from `push` and `finish`), ordered by startNs (ties keep production order):
 *   - TxnRecord per CS assertion: startNs = CS assert, endNs = CS release, whole words only; bits
 *     left over at release are counted in `partialBits` and reported by a `partial-word` anomaly.
 *     Words wider than 8 bits are stored big-endian in ceil(wordBits / 8) bytes.
 *   - LineRecord per edge of READY, IRQ, RESET (when mapped) and, with `csLines`, CS. With
 *     `initialLevels`, also one per line at the capture start giving its level there.
 *   - AnomalyRecords: `cs-glitch` (a CS assertion that clocked no bit, whatever its length; or a CS
 *     pulse, active or inactive, shorter than glitchNs: ignored for
 *     framing), `mid-transaction-start` (see "The capture's first transaction" below),
 *     `partial-word`, `clock-outside-cs` (one per burst, `count` = SCK edges; a burst ends at CS
 *     assertion or after a clock gap) and `truncated-capture` (capture ends with CS active: the
 *     transaction is emitted up to there).
 * Without a CS channel (map.cs = -1) transactions are framed by clock gaps: a gap longer than
 * `gapBits` bit periods (the shortest sampling-edge interval seen so far) or `gapNs` ends one. Its
 * span is first to last SCK edge.
 *
 * Sampling: each data line is read in the sample where SCK shows its sampling edge, changes in that
 * same sample included, as sigrok's SPI decoder does. A real transmitter may change its line within
 * a sample of the edge on either side: a late setup (the new bit arrives in the edge's sample) is
 * read as the new bit, and a change one sample after the edge (a short hold) is not seen by it.
 * Reading the sample before the edge instead reads a late-set bit as the previous one (a flash
 * command 0x05 as 0x85).
 *
 * The capture's first transaction: a capture that starts with CS active (the usual CS-edge
 * trigger), or without CS with the clock already running, may have cut the transaction. Its bits
 * are kept until it ends, then:
 *   - If SCK was idle at the start and its first edge came more than half a bit period later, the
 *     transaction started with the capture: decoded like any other.
 *   - Otherwise the start is suspect. Transmitters end transactions on a word boundary, so the
 *     words are aligned to the end (CS release, or the clock gap without CS): the first
 *     `bits mod wordBits` bits belong to a word cut by the capture start and are skipped. A
 *     `mid-transaction-start` anomaly says what was assumed and how many bits were skipped
 *     (`count`, 0 when the bits were a whole number of words). If the capture also ends inside it,
 *     there is no end to align to: words count from the first edge, and the anomaly says so.
 * Only a line that is mapped is decoded: a MOSI-only or MISO-only capture gives an empty array for
 * the other direction.
 * When CS asserts with SCK away from the configured idle level (CPOL), `onNote` is told once: the
 * mode is probably wrong and the bytes shifted (sigrok says nothing in that case).
 *
 * Example: mode 0, CS low, bytes 0xA5 out / 0x3C in between 1000 and 2700 ns gives
 *   {kind:'txn', txn:0, startNs:1000, endNs:2700, mosi:[0xa5], miso:[0x3c]}
 */
import type { ChangeBatch, ChannelMap } from '../signals/types.ts';
import type { BuddyRecord, LineName } from '../records/types.ts';
import type { SpiMode } from './types.ts';
import { OrderedRecords } from './ordered-records.ts';
import { TxnBytes } from './txn-bytes.ts';
import { BitLog, bitText, packWord } from './word-bits.ts';

export interface DecoderConfig {
  readonly mode: SpiMode;
  /** CS pulses shorter than this are glitches. */
  readonly glitchNs: number;
  /** Clock-gap framing (no CS) and burst splitting: a gap of more than this many bit periods. */
  readonly gapBits: number;
  /** Absolute gap in ns; overrides gapBits when set. */
  readonly gapNs?: number;
  /** Emit LineRecords for CS edges too. */
  readonly csLines: boolean;
  /** Emit a LineRecord per mapped line at the capture start. Default false. */
  readonly initialLevels?: boolean;
  /** Told once about facts that are not wire faults (a clock idling at the wrong level). */
  readonly onNote?: (text: string) => void;
}

/** While a CS edge waits for the glitch verdict, later changes queue; past this, commit early. */
const QUEUE_LIMIT = 4096;
/**
 * The capture's first transaction keeps its bits until it ends, so its words can be aligned to its
 * end. Past this many bits (a CS tied active, a clock that never pauses) it is aligned to its start.
 */
const START_LOG_LIMIT = 1 << 20;
const EMPTY = new Uint8Array(0);
const SIDE_LINES: readonly LineName[] = ['ready', 'irq', 'reset'];

function maskOf(bit: number): number {
  return bit >= 0 ? (1 << bit) >>> 0 : 0;
}

export class SpiDecoder {
  private readonly sckMask: number;
  private readonly mosiMask: number;
  private readonly misoMask: number;
  private readonly csMask: number;
  private readonly csActiveBits: number;
  private readonly slowMask: number;
  private readonly lineMasks: number[] = [];
  private readonly lineNames: LineName[] = [];
  private readonly sampleRising: boolean;
  private readonly msb: boolean;
  private readonly wordBits: number;
  private readonly bytesPerWord: number;
  private readonly noCs: boolean;
  private readonly glitchNs: number;
  /** Words wider than 32 bits do not fit the integer shift registers: their bits are logged. */
  private readonly wide: boolean;
  private readonly hasMosi: boolean;
  private readonly hasMiso: boolean;

  private started = false;
  private prev = 0;
  private lastT = 0;
  private captureStart = 0;
  private effCs = 0;
  // Current transaction.
  private inTxn = false;
  /** The transaction open at the capture start (or the first burst without CS): see the header. */
  private startTxn = false;
  /** Bits go to the logs instead of the integer words (wide words, or the start transaction). */
  private logging = false;
  private readonly mosiLog = new BitLog();
  private readonly misoLog = new BitLog();
  private readonly wordBuf: { mosi: Uint8Array; miso: Uint8Array };
  private txnFirstEdgeT = -1;
  private txnStart = 0;
  private txnIndex = 0;
  private bits = 0;
  private mosiW = 0;
  private misoW = 0;
  private wordStart = 0;
  private readonly bytes: TxnBytes;
  // Clock timing, for gap framing.
  private lastSampleT = -Infinity;
  private minPeriod = Infinity;
  private lastClockT = 0;
  private sckBusyAtStart = false;
  private firstBurst = true;
  // Clock burst while CS is inactive.
  private burstOpen = false;
  private burstStart = 0;
  private burstLast = 0;
  private burstCount = 0;
  // A CS edge awaiting the glitch verdict, and the changes since.
  private pending = false;
  private pendT = 0;
  private pendBits = 0;
  private queueT: number[] = [];
  private queueS: number[] = [];

  private readonly held = new OrderedRecords();
  private cpolWarned = false;

  constructor(map: ChannelMap, private readonly cfg: DecoderConfig) {
    const m = cfg.mode;
    this.sckMask = maskOf(map.sck);
    this.mosiMask = maskOf(map.mosi);
    this.misoMask = maskOf(map.miso);
    this.csMask = maskOf(map.cs);
    this.noCs = map.cs < 0;
    this.csActiveBits = m.csActive === 'high' ? this.csMask : 0;
    let lines = 0;
    for (const name of SIDE_LINES) {
      if (map[name] >= 0) {
        this.lineMasks.push(maskOf(map[name]));
        this.lineNames.push(name);
        lines |= maskOf(map[name]);
      }
    }
    this.slowMask = (lines | this.csMask) >>> 0;
    // Leading edge leaves the idle level: CPOL 0 leads with a rising edge; CPHA 1 samples on the trailing one.
    this.sampleRising = m.cpol === m.cpha;
    this.msb = m.bitOrder === 'msb';
    this.wordBits = m.wordBits;
    this.bytesPerWord = Math.ceil(m.wordBits / 8);
    this.bytes = new TxnBytes(this.bytesPerWord);
    this.glitchNs = cfg.glitchNs;
    this.wide = m.wordBits > 32;
    this.hasMosi = map.mosi >= 0;
    this.hasMiso = map.miso >= 0;
    this.wordBuf = { mosi: new Uint8Array(this.bytesPerWord), miso: new Uint8Array(this.bytesPerWord) };
  }

  /** Feed one batch; returns the records that can no longer be preceded by a later one. */
  push(batch: ChangeBatch): BuddyRecord[] {
    const { times, states, length } = batch;
    let i = 0;
    if (!this.started && length > 0) {
      this.init(times[0], states[0]);
      i = 1;
    }
    const slow = this.slowMask;
    const sck = this.sckMask;
    const mosiMask = this.mosiMask;
    const misoMask = this.misoMask;
    const sampleRising = this.sampleRising;
    const msb = this.msb;
    const wordBits = this.wordBits;
    const csMode = !this.noCs;
    // The hot case, a clock edge inside a decoded transaction, runs on locals; every other path
    // writes them back and reloads them around the method it calls (no closures: they would move
    // these locals to the heap).
    let prev = this.prev;
    let bits = this.bits;
    let mosiW = this.mosiW;
    let misoW = this.misoW;
    let lastSampleT = this.lastSampleT;
    let minPeriod = this.minPeriod;
    let fast = csMode && this.inTxn && !this.logging;
    for (; i < length; i++) {
      const s = states[i];
      // While a CS edge is pending, prev holds the old CS level, so a CS return shows no diff.
      if (this.pending) {
        this.prev = prev; this.bits = bits; this.mosiW = mosiW; this.misoW = misoW; this.lastSampleT = lastSampleT; this.minPeriod = minPeriod;
        this.step(times[i], s);
        prev = this.prev; bits = this.bits; mosiW = this.mosiW; misoW = this.misoW; lastSampleT = this.lastSampleT; minPeriod = this.minPeriod;
        fast = csMode && this.inTxn && !this.logging;
        continue;
      }
      const diff = s ^ prev;
      if (diff === 0) continue;
      if ((diff & slow) !== 0) {
        this.prev = prev; this.bits = bits; this.mosiW = mosiW; this.misoW = misoW; this.lastSampleT = lastSampleT; this.minPeriod = minPeriod;
        this.step(times[i], s);
        prev = this.prev; bits = this.bits; mosiW = this.mosiW; misoW = this.misoW; lastSampleT = this.lastSampleT; minPeriod = this.minPeriod;
        fast = csMode && this.inTxn && !this.logging;
      } else if ((diff & sck) !== 0) {
        if (!fast) {
          this.prev = prev; this.bits = bits; this.mosiW = mosiW; this.misoW = misoW; this.lastSampleT = lastSampleT; this.minPeriod = minPeriod;
          this.clock(times[i], s);
          bits = this.bits; mosiW = this.mosiW; misoW = this.misoW; lastSampleT = this.lastSampleT; minPeriod = this.minPeriod;
          fast = csMode && this.inTxn && !this.logging;
        } else if (((s & sck) !== 0) === sampleRising) {
          const t = times[i];
          const d = t - lastSampleT;
          if (d > 0 && d < minPeriod) minPeriod = d;
          lastSampleT = t;
          // Read in the edge's own sample (see the header).
          const mb = (s & mosiMask) !== 0 ? 1 : 0;
          const ib = (s & misoMask) !== 0 ? 1 : 0;
          if (bits === 0) this.wordStart = t;
          if (msb) {
            mosiW = (mosiW << 1) | mb;
            misoW = (misoW << 1) | ib;
          } else {
            mosiW |= mb << bits;
            misoW |= ib << bits;
          }
          if (++bits === wordBits) {
            this.bytes.store(mosiW, misoW);
            bits = 0;
            mosiW = 0;
            misoW = 0;
          }
        }
        prev = s;
      } else {
        prev = s;
      }
    }
    this.prev = prev; this.bits = bits; this.mosiW = mosiW; this.misoW = misoW; this.lastSampleT = lastSampleT; this.minPeriod = minPeriod;
    if (length > 0) this.lastT = times[length - 1];
    return this.drain(false);
  }

  /** End of the stream: close whatever is open and return everything held. */
  finish(): BuddyRecord[] {
    if (!this.started) return [];
    if (this.pending) this.commitCs();
    this.closeBurst();
    if (this.inTxn) {
      if (this.noCs) {
        // A burst still clocking when the capture stops was cut by it, not ended by a gap.
        this.closeTxn(this.lastClockT, this.lastT - this.lastClockT > this.gap());
      } else {
        const idx = this.txnIndex;
        const start = this.txnStart;
        if (this.closeTxn(this.lastT, false)) {
          this.held.push({
            kind: 'anomaly', code: 'truncated-capture', startNs: start, endNs: this.lastT, txn: idx,
            detail: 'capture ends with CS active: transaction decoded up to the last change',
          });
        }
      }
    }
    return this.drain(true);
  }

  private init(t: number, s: number): void {
    this.started = true;
    this.captureStart = t;
    this.lastT = t;
    this.prev = s;
    this.effCs = s & this.csMask;
    const sckHigh = (s & this.sckMask) !== 0;
    this.sckBusyAtStart = sckHigh !== (this.cfg.mode.cpol === 1);
    if (!this.noCs && this.effCs === this.csActiveBits) this.openTxn(t, true);
    if (this.cfg.initialLevels) {
      if (this.cfg.csLines && !this.noCs) this.held.push({ kind: 'line', line: 'cs', level: this.effCs !== 0 ? 1 : 0, startNs: t, endNs: t });
      for (let k = 0; k < this.lineMasks.length; k++) {
        this.held.push({ kind: 'line', line: this.lineNames[k], level: (s & this.lineMasks[k]) !== 0 ? 1 : 0, startNs: t, endNs: t });
      }
    }
  }

  /** Slow path: CS edges (through the glitch filter) and side-band lines. */
  private step(t: number, s: number): void {
    const csRaw = s & this.csMask;
    if (this.pending) {
      if (csRaw !== this.pendBits) {
        if (t - this.pendT < this.glitchNs) {
          this.glitch(t);
          this.apply(t, s);
          return;
        }
        this.commitCs();
      } else if (t - this.pendT >= this.glitchNs || this.queueT.length >= QUEUE_LIMIT) {
        this.commitCs();
      } else {
        this.queueT.push(t);
        this.queueS.push(s);
        return;
      }
    }
    if (csRaw !== this.effCs) {
      this.pending = true;
      this.pendT = t;
      this.pendBits = csRaw;
      this.queueT.length = 0;
      this.queueS.length = 0;
      this.queueT.push(t);
      this.queueS.push(s);
      return;
    }
    this.apply(t, s);
  }

  /** Apply a change whose CS bit is forced to the filtered level. */
  private apply(t: number, raw: number): void {
    const s = ((raw & ~this.csMask) | this.effCs) >>> 0;
    const diff = s ^ this.prev;
    this.prev = s;
    if ((diff & this.sckMask) !== 0) this.clock(t, s);
    const masks = this.lineMasks;
    for (let k = 0; k < masks.length; k++) {
      if ((diff & masks[k]) !== 0) {
        const level = (s & masks[k]) !== 0 ? 1 : 0;
        this.held.push({ kind: 'line', line: this.lineNames[k], level, startNs: t, endNs: t });
      }
    }
  }

  private glitch(t: number): void {
    const active = this.pendBits === this.csActiveBits;
    this.held.push({
      kind: 'anomaly', code: 'cs-glitch', startNs: this.pendT, endNs: t,
      detail: `${active ? 'active' : 'inactive'} CS pulse of ${t - this.pendT} ns (< ${this.glitchNs} ns) ignored for framing`,
    });
    this.pending = false;
    const qt = this.queueT;
    const qs = this.queueS;
    for (let k = 0; k < qt.length; k++) this.apply(qt[k], qs[k]);
  }

  private commitCs(): void {
    const t = this.pendT;
    this.pending = false;
    this.effCs = this.pendBits;
    this.prev = ((this.prev & ~this.csMask) | this.effCs) >>> 0;
    if (this.cfg.csLines) {
      this.held.push({ kind: 'line', line: 'cs', level: this.effCs !== 0 ? 1 : 0, startNs: t, endNs: t });
    }
    if (this.effCs === this.csActiveBits) {
      if (!this.cpolWarned && ((this.prev & this.sckMask) !== 0) !== (this.cfg.mode.cpol === 1)) {
        this.cpolWarned = true;
        this.cfg.onNote?.(`SCK is ${this.cfg.mode.cpol ? 'low' : 'high'} when CS asserts at ${t} ns, but CPOL ${this.cfg.mode.cpol} says it idles ${this.cfg.mode.cpol ? 'high' : 'low'}: the SPI mode is probably wrong (bytes may be shifted)`);
      }
      this.closeBurst();
      if (this.inTxn) this.closeTxn(t, true);
      this.openTxn(t, false);
    } else if (this.inTxn) {
      this.closeTxn(t, true);
    }
    const qt = this.queueT;
    const qs = this.queueS;
    for (let k = 0; k < qt.length; k++) this.apply(qt[k], qs[k]);
  }

  /** An SCK edge: `s` is the state after it, read in the edge's own sample (see the header). */
  private clock(t: number, s: number): void {
    const rising = (s & this.sckMask) !== 0;
    if (this.noCs) {
      if (!this.inTxn) this.openTxn(t, this.firstBurst);
      else if (t - this.lastClockT > this.gap()) {
        this.closeTxn(this.lastClockT, true);
        this.openTxn(t, false);
      }
      this.lastClockT = t;
    } else if (this.effCs !== this.csActiveBits) {
      this.outsideEdge(t);
      return;
    }
    if (this.txnFirstEdgeT < 0) this.txnFirstEdgeT = t;
    if (rising !== this.sampleRising) return;
    const d = t - this.lastSampleT;
    if (d > 0 && d < this.minPeriod) this.minPeriod = d;
    this.lastSampleT = t;
    const mb = (s & this.mosiMask) !== 0 ? 1 : 0;
    const ib = (s & this.misoMask) !== 0 ? 1 : 0;
    if (this.logging) {
      if (this.mosiLog.length % this.wordBits === 0) this.wordStart = t;
      this.mosiLog.push(mb);
      this.misoLog.push(ib);
      if (this.startTxn && !this.wide && this.mosiLog.length >= START_LOG_LIMIT) this.stopLogging();
      return;
    }
    if (this.bits === 0) this.wordStart = t;
    this.shiftIn(mb, ib);
  }

  /** One bit each way into the shift registers (the slow path's twin of push()'s inner loop). */
  private shiftIn(mb: number, ib: number): void {
    if (this.msb) {
      this.mosiW = (this.mosiW << 1) | mb;
      this.misoW = (this.misoW << 1) | ib;
    } else {
      this.mosiW |= mb << this.bits;
      this.misoW |= ib << this.bits;
    }
    if (++this.bits === this.wordBits) {
      this.bytes.store(this.mosiW, this.misoW);
      this.bits = 0;
      this.mosiW = 0;
      this.misoW = 0;
    }
  }

  /**
   * The start transaction ran past START_LOG_LIMIT: align it to its start after all. Whole words
   * go to the bytes, the rest into the shift registers, and decoding carries on as usual.
   */
  private stopLogging(): void {
    const n = this.mosiLog.length;
    const whole = n - (n % this.wordBits);
    this.storeLogged(0, whole);
    this.bits = 0;
    this.mosiW = 0;
    this.misoW = 0;
    for (let k = whole; k < n; k++) this.shiftIn(this.mosiLog.at(k), this.misoLog.at(k));
    this.logging = false;
    if (this.startSuspect()) {
      this.noteStart(this.lastT, 0, `capture starts inside a transaction of over ${START_LOG_LIMIT} bits: words counted from the first clock edge (alignment assumed)`);
    }
  }

  /** Packs the logged bits [from, to) (a whole number of words) into the transaction's bytes. */
  private storeLogged(from: number, to: number): void {
    const { mosi, miso } = this.wordBuf;
    for (let k = from; k + this.wordBits <= to; k += this.wordBits) {
      packWord(this.mosiLog, k, this.wordBits, this.msb, mosi, 0);
      packWord(this.misoLog, k, this.wordBits, this.msb, miso, 0);
      this.bytes.storeBytes(mosi, miso);
    }
  }

  private gap(): number {
    return this.cfg.gapNs ?? this.cfg.gapBits * this.minPeriod;
  }

  private outsideEdge(t: number): void {
    if (this.burstOpen && t - this.burstLast > this.gap()) this.closeBurst();
    if (!this.burstOpen) {
      this.burstOpen = true;
      this.burstStart = t;
      this.burstCount = 0;
    }
    this.burstCount++;
    this.burstLast = t;
  }

  private closeBurst(): void {
    if (!this.burstOpen) return;
    this.burstOpen = false;
    this.held.push({
      kind: 'anomaly', code: 'clock-outside-cs', startNs: this.burstStart, endNs: this.burstLast,
      count: this.burstCount, detail: `${this.burstCount} SCK edges while CS inactive: not decoded`,
    });
  }

  private openTxn(t: number, atCaptureStart: boolean): void {
    this.inTxn = true;
    this.startTxn = atCaptureStart;
    this.logging = atCaptureStart || this.wide;
    this.mosiLog.clear();
    this.misoLog.clear();
    this.txnFirstEdgeT = -1;
    this.txnStart = t;
    this.bits = 0;
    this.mosiW = 0;
    this.misoW = 0;
    this.bytes.clear();
  }

  /**
   * Ends the open transaction at `end`; `released` says it ended on the wire (CS release or a clock
   * gap), not at the end of the capture. Returns whether a transaction record was emitted.
   */
  private closeTxn(end: number, released: boolean): boolean {
    this.inTxn = false;
    let partial = this.bits;
    let partialText = '';
    let skip = 0;
    if (this.logging) {
      this.logging = false;
      const n = this.mosiLog.length;
      skip = this.startTxn ? this.startSkip(end, n, released) : 0;
      const whole = skip + Math.floor((n - skip) / this.wordBits) * this.wordBits;
      this.storeLogged(skip, whole);
      partial = n - whole;
      if (partial > 0) partialText = `mosi ${bitText(this.mosiLog, whole, partial)}, miso ${bitText(this.misoLog, whole, partial)}`;
    } else if (partial > 0) {
      partialText = `mosi ${this.bitString(this.mosiW, partial)}, miso ${this.bitString(this.misoW, partial)}`;
    }
    if (this.noCs) this.firstBurst = false;
    this.startTxn = false;
    if (this.bytes.length === 0 && partial === 0 && (skip > 0 || !this.noCs)) {
      if (skip > 0) return false; // only a word cut by the capture start, already reported
      if (!released) {
        // CS asserted just before the capture stopped: a transaction the capture did not reach.
        this.held.push({
          kind: 'anomaly', code: 'truncated-capture', startNs: this.txnStart, endNs: end,
          detail: `capture ends ${end - this.txnStart} ns after CS asserts, before any clock edge`,
        });
        return false;
      }
      // CS asserted but nothing clocked: not a transaction (the buddy's DMA sees an empty transfer).
      this.held.push({
        kind: 'anomaly', code: 'cs-glitch', startNs: this.txnStart, endNs: end,
        detail: `CS active for ${end - this.txnStart} ns with no clock: not a transaction`,
      });
      return false;
    }
    const txn = this.txnIndex++;
    const taken = this.bytes.take();
    this.held.push({
      kind: 'txn', txn, startNs: this.txnStart, endNs: end,
      mosi: this.hasMosi ? taken.mosi : EMPTY, miso: this.hasMiso ? taken.miso : EMPTY,
      ...(partial > 0 ? { partialBits: partial } : {}),
      ...(this.wordBits !== 8 ? { wordBits: this.wordBits } : {}),
    });
    if (partial > 0) {
      this.held.push({
        kind: 'anomaly', code: 'partial-word', startNs: this.wordStart, endNs: end, txn, offset: this.bytes.length,
        count: partial,
        detail: `${partial} bits after the last whole word (${partialText}, in clock order): not in the bytes`,
      });
    }
    return true;
  }

  /**
   * How many of the start transaction's `n` bits to skip (see the header), with the anomaly that
   * says what was assumed when its start is suspect.
   */
  private startSkip(end: number, n: number, released: boolean): number {
    if (!this.startSuspect()) return 0;
    const upTo = this.noCs ? 'the first clock gap' : 'CS release';
    if (!released) {
      this.noteStart(end, 0, `capture starts inside a transaction that is still open when it ends: words counted from the first clock edge (alignment assumed)`);
      return 0;
    }
    const cut = n % this.wordBits;
    this.noteStart(end, cut, cut > 0
      ? `capture starts inside a word: the first ${cut} bits are not decoded; the ${Math.floor(n / this.wordBits)} words after them are aligned to ${upTo} (transactions end on a word boundary)`
      : `capture starts inside a transaction: earlier words were not captured; the ${n / this.wordBits} words clocked before ${upTo} are decoded`);
    return cut;
  }

  /** SCK busy at the start, or its first edge within half a bit period of it: a transfer was cut. */
  private startSuspect(): boolean {
    if (this.sckBusyAtStart) return true;
    const lead = this.txnFirstEdgeT < 0 ? Infinity : this.txnFirstEdgeT - this.captureStart;
    const half = Number.isFinite(this.minPeriod) ? this.minPeriod / 2 : 0;
    return lead <= half;
  }

  /** At the transaction's start (the capture's start with CS; its first edge without). */
  private noteStart(end: number, count: number, detail: string): void {
    this.held.push({ kind: 'anomaly', code: 'mid-transaction-start', startNs: this.txnStart, endNs: end, count, detail });
  }

  /** The partial word's bits as clocked, first bit first. */
  private bitString(word: number, n: number): string {
    let out = '';
    for (let k = 0; k < n; k++) out += this.msb ? (word >>> (n - 1 - k)) & 1 : (word >>> k) & 1;
    return out;
  }

  /** Release the records nothing still open can precede: open spans hold back what starts after them. */
  private drain(all: boolean): BuddyRecord[] {
    let w = Infinity;
    if (!all) {
      if (this.inTxn) w = this.txnStart;
      if (this.burstOpen) w = Math.min(w, this.burstStart);
      if (this.pending) w = Math.min(w, this.pendT);
    }
    return this.held.release(w);
  }
}
