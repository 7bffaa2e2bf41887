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
 *     framing), `mid-transaction-start` (capture starts with CS active: that transaction is NOT
 *     emitted, because its word alignment is unknown; the anomaly spans capture start to CS release
 *     and `count` says how many bits were clocked in it), `partial-word`, `clock-outside-cs` (one
 *     per burst, `count` = SCK edges; a burst ends at CS assertion or after a clock gap) and
 *     `truncated-capture` (capture ends with CS active: the transaction is emitted up to there).
 * Without a CS channel (map.cs = -1) transactions are framed by clock gaps: a gap longer than
 * `gapBits` bit periods (the shortest sampling-edge interval seen so far) or `gapNs` ends one. Its
 * span is first to last SCK edge. A first burst that looks cut by the capture start (clock not idle
 * at start, or a ragged word count right after the start) becomes a `mid-transaction-start`.
 *
 * Data bits are read from the state just before the sampling edge (a receiver latches what was set
 * up before its edge), so a transmitter that shifts on the same sample as the edge is read right.
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

  private started = false;
  private prev = 0;
  private lastT = 0;
  private captureStart = 0;
  private effCs = 0;
  // Current transaction.
  private inTxn = false;
  private skipTxn = false;
  private skippedBits = 0;
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
  private firstEdgeT = -1;
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
    let fast = csMode && this.inTxn && !this.skipTxn;
    for (; i < length; i++) {
      const s = states[i];
      // While a CS edge is pending, prev holds the old CS level, so a CS return shows no diff.
      if (this.pending) {
        this.prev = prev; this.bits = bits; this.mosiW = mosiW; this.misoW = misoW; this.lastSampleT = lastSampleT; this.minPeriod = minPeriod;
        this.step(times[i], s);
        prev = this.prev; bits = this.bits; mosiW = this.mosiW; misoW = this.misoW; lastSampleT = this.lastSampleT; minPeriod = this.minPeriod;
        fast = csMode && this.inTxn && !this.skipTxn;
        continue;
      }
      const diff = s ^ prev;
      if (diff === 0) continue;
      if ((diff & slow) !== 0) {
        this.prev = prev; this.bits = bits; this.mosiW = mosiW; this.misoW = misoW; this.lastSampleT = lastSampleT; this.minPeriod = minPeriod;
        this.step(times[i], s);
        prev = this.prev; bits = this.bits; mosiW = this.mosiW; misoW = this.misoW; lastSampleT = this.lastSampleT; minPeriod = this.minPeriod;
        fast = csMode && this.inTxn && !this.skipTxn;
      } else if ((diff & sck) !== 0) {
        if (!fast) {
          this.prev = prev; this.bits = bits; this.mosiW = mosiW; this.misoW = misoW; this.lastSampleT = lastSampleT; this.minPeriod = minPeriod;
          this.clock(times[i], s, prev);
          bits = this.bits; mosiW = this.mosiW; misoW = this.misoW; lastSampleT = this.lastSampleT; minPeriod = this.minPeriod;
          fast = csMode && this.inTxn && !this.skipTxn;
        } else if (((s & sck) !== 0) === sampleRising) {
          const t = times[i];
          const d = t - lastSampleT;
          if (d > 0 && d < minPeriod) minPeriod = d;
          lastSampleT = t;
          const mb = (prev & mosiMask) !== 0 ? 1 : 0;
          const ib = (prev & misoMask) !== 0 ? 1 : 0;
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
        this.closeTxn(this.lastClockT);
      } else if (this.skipTxn) {
        this.closeTxn(this.lastT);
      } else {
        const idx = this.txnIndex;
        const start = this.txnStart;
        this.closeTxn(this.lastT);
        this.held.push({
          kind: 'anomaly', code: 'truncated-capture', startNs: start, endNs: this.lastT, txn: idx,
          detail: 'capture ends with CS active: transaction decoded up to the last change',
        });
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
    if (!this.noCs && this.effCs === this.csActiveBits) {
      this.openTxn(t);
      this.skipTxn = true;
    }
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
    const pre = this.prev;
    const diff = s ^ pre;
    this.prev = s;
    if ((diff & this.sckMask) !== 0) this.clock(t, s, pre);
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
      if (this.inTxn) this.closeTxn(t);
      this.openTxn(t);
    } else if (this.inTxn) {
      this.closeTxn(t);
    }
    const qt = this.queueT;
    const qs = this.queueS;
    for (let k = 0; k < qt.length; k++) this.apply(qt[k], qs[k]);
  }

  /**
   * An SCK edge: `s` is the state after it, `pre` the state before. Data is read from `pre`: a
   * receiver latches what was set up before its sampling edge, so a data change in the same sample
   * as the edge (the transmitter shifting on that edge) belongs to the next bit.
   */
  private clock(t: number, s: number, pre: number): void {
    const rising = (s & this.sckMask) !== 0;
    if (this.noCs) {
      if (this.firstEdgeT < 0) this.firstEdgeT = t;
      if (!this.inTxn) this.openTxn(t);
      else if (t - this.lastClockT > this.gap()) {
        this.closeTxn(this.lastClockT);
        this.openTxn(t);
      }
      this.lastClockT = t;
    } else if (this.effCs !== this.csActiveBits) {
      this.outsideEdge(t);
      return;
    }
    if (rising !== this.sampleRising) return;
    const d = t - this.lastSampleT;
    if (d > 0 && d < this.minPeriod) this.minPeriod = d;
    this.lastSampleT = t;
    const mb = (pre & this.mosiMask) !== 0 ? 1 : 0;
    const ib = (pre & this.misoMask) !== 0 ? 1 : 0;
    if (this.bits === 0) this.wordStart = t;
    if (this.msb) {
      this.mosiW = (this.mosiW << 1) | mb;
      this.misoW = (this.misoW << 1) | ib;
    } else {
      this.mosiW |= mb << this.bits;
      this.misoW |= ib << this.bits;
    }
    if (++this.bits === this.wordBits) {
      if (this.skipTxn) this.skippedBits += this.bits;
      else this.bytes.store(this.mosiW, this.misoW);
      this.bits = 0;
      this.mosiW = 0;
      this.misoW = 0;
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

  private openTxn(t: number): void {
    this.inTxn = true;
    this.skipTxn = false;
    this.skippedBits = 0;
    this.txnStart = t;
    this.bits = 0;
    this.mosiW = 0;
    this.misoW = 0;
    this.bytes.clear();
  }

  private closeTxn(end: number): void {
    const partial = this.bits;
    this.inTxn = false;
    let skip = this.skipTxn;
    if (this.noCs && this.firstBurst) {
      this.firstBurst = false;
      // A burst cut by the capture start: clock mid-pulse at start, or a ragged word right after it.
      skip = this.sckBusyAtStart || (partial > 0 && this.firstEdgeT - this.captureStart <= this.gap());
      if (skip) this.skippedBits = (this.bytes.length / this.bytesPerWord) * this.wordBits;
    }
    if (skip) {
      const n = this.skippedBits + partial;
      this.held.push({
        kind: 'anomaly', code: 'mid-transaction-start', startNs: this.captureStart, endNs: end, count: n,
        detail: `capture starts inside a transaction: ${n} bits clocked before ${this.noCs ? 'the first clock gap' : 'CS release'} not decoded (word alignment unknown)`,
      });
      this.skipTxn = false;
      return;
    }
    if (this.bytes.length === 0 && partial === 0 && !this.noCs) {
      // CS asserted but nothing clocked: not a transaction (the buddy's DMA sees an empty transfer).
      this.held.push({
        kind: 'anomaly', code: 'cs-glitch', startNs: this.txnStart, endNs: end,
        detail: `CS active for ${end - this.txnStart} ns with no clock: not a transaction`,
      });
      return;
    }
    const txn = this.txnIndex++;
    this.held.push({
      kind: 'txn', txn, startNs: this.txnStart, endNs: end,
      ...this.bytes.take(),
      ...(partial > 0 ? { partialBits: partial } : {}),
    });
    if (partial > 0) {
      this.held.push({
        kind: 'anomaly', code: 'partial-word', startNs: this.wordStart, endNs: end, txn, offset: this.bytes.length,
        count: partial,
        detail: `${partial} bits after the last whole word (mosi ${this.bitString(this.mosiW, partial)}, miso ${this.bitString(this.misoW, partial)}, in clock order): not in the bytes`,
      });
    }
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
      if (this.inTxn) w = this.skipTxn || (this.noCs && this.firstBurst) ? this.captureStart : this.txnStart;
      if (this.burstOpen) w = Math.min(w, this.burstStart);
      if (this.pending) w = Math.min(w, this.pendT);
    }
    return this.held.release(w);
  }
}
