/**
 * Bridge packets -> records (the reader side of docs/bridge.md, "Reading").
 *
 * Consumes FrameItems (framing.ts) and connection events; emits TxnRecord, LineRecord and
 * AnomalyRecord in time order, ns from the capture start (the first HELLO's origin tick is 0):
 *   TXN with bytes  -> TxnRecord (index from the bridge's counter, kept increasing across sessions);
 *                      the overflow flag adds a `capture-gap` anomaly naming the transaction
 *   TXN, no bytes   -> `cs-glitch` anomaly (like the SPI stage and the simulator's bus)
 *   LINE            -> LineRecord;  DROP -> `capture-gap` anomaly with the count;  TIME -> nothing
 *   garbage run     -> one `stream-resync` anomaly per run
 *   bad-CRC burst   -> one `bad-packets` anomaly per burst: `count`, and `offset` = the stream byte of the first
 *   packets before any HELLO (clock unknown) -> dropped, one `stream-resync` anomaly per run
 * Time never goes backwards: a HELLO with a new boot id or clock (a reset bridge) continues from
 * the last time seen and records `bridge-reset`; a reconnect records a `capture-gap` spanning the
 * outage (measured in ticks when the HELLO shows the clock kept counting, else on the wall clock);
 * a timestamp older than the last one seen is treated as a clock restart too.
 *
 * Example: const d = new BridgeDecoder(); const recs = d.push(reader.push(chunk));
 */
import type { AnomalyCode, AnomalyRecord, BuddyRecord } from '../records/types.ts';
import type { FrameItem } from './framing.ts';
import { Capability, TxnFlag, type HelloPacket } from './packets.ts';
import { formatHz, ticksToNs } from './ticks.ts';

interface Session {
  readonly hello: HelloPacket;
  /** ns = baseNs + ticksToNs(ticks - baseTicks). */
  baseTicks: number;
  baseNs: number;
  /** Record index = bridge seq + seqOffset (null until the session's first transaction). */
  seqOffset: number | null;
}

export interface BridgeDecoderOptions {
  /** Wall clock in ms (tests inject one). Default Date.now. */
  readonly wallNow?: () => number;
}

export class BridgeDecoder {
  private session: Session | null = null;
  /** Latest time seen (record ends, TIME packets): where a restarted clock continues from. */
  private seenNs = 0;
  /** Start of the last record emitted: the ordering floor. */
  private lastStartNs = 0;
  private nextTxn = 0;
  /** Wall time of the disconnect being recovered from, if any. */
  private disconnectedAt: number | null = null;
  private orphans = 0;
  private readonly wallNow: () => number;
  /** What the current bridge said in its HELLO (null before one). */
  bridge: HelloPacket | null = null;
  gaps = 0;

  constructor(opts: BridgeDecoderOptions = {}) {
    this.wallNow = opts.wallNow ?? Date.now;
  }

  /** The connection dropped: packets after the next HELLO are a new session of some kind. */
  disconnected(): void {
    if (this.disconnectedAt === null) this.disconnectedAt = this.wallNow();
  }

  push(items: readonly FrameItem[]): BuddyRecord[] {
    const out: BuddyRecord[] = [];
    for (const it of items) {
      if (it.kind === 'garbage') {
        out.push(this.anomaly('stream-resync', this.lastStartNs, this.lastStartNs, `skipped ${it.bytes} bytes that are not bridge packets (first fault: ${it.reason})`));
        continue;
      }
      if (it.kind === 'bad-packets') {
        const what = it.count === 1 ? 'a bridge packet' : `${it.count} bridge packets`;
        out.push({
          ...this.anomaly('bad-packets', this.lastStartNs, this.lastStartNs,
            `${what} with a bad CRC-32C dropped (damaged in transit): ${it.bytes} bytes from stream byte ${it.offset}; first: ${it.reason}`),
          count: it.count, offset: it.offset,
        });
        continue;
      }
      const p = it.packet;
      if (p.type === 'hello') {
        this.flushOrphans(out);
        this.hello(p, out);
        continue;
      }
      const s = this.session;
      if (s === null || this.disconnectedAt !== null) {
        this.orphans++;
        continue;
      }
      switch (p.type) {
        case 'txn': {
          const startNs = this.time(s, p.startTicks, out);
          const endNs = Math.max(startNs, this.ns(s, p.endTicks));
          if (p.mosi.length === 0) {
            out.push({ kind: 'anomaly', startNs, endNs, code: 'cs-glitch', detail: `CS active for ${endNs - startNs} ns with no clock: not a transaction` });
          } else {
            if (s.seqOffset === null || p.seq + s.seqOffset < this.nextTxn) s.seqOffset = this.nextTxn - p.seq;
            const txn = p.seq + s.seqOffset;
            this.nextTxn = txn + 1;
            const partial = (p.flags & TxnFlag.partial) !== 0 && p.partialBits > 0;
            out.push({ kind: 'txn', startNs, endNs, txn, mosi: p.mosi, miso: p.miso, ...(partial ? { partialBits: p.partialBits } : {}) });
            if ((p.flags & TxnFlag.overflow) !== 0) {
              out.push({ ...this.anomaly('capture-gap', startNs, endNs, `the bridge kept only the first ${p.mosi.length} bytes of this transaction (its buffer overflowed)`), txn });
            }
          }
          this.seenNs = Math.max(this.seenNs, endNs);
          break;
        }
        case 'line': {
          const t = this.time(s, p.ticks, out);
          out.push({ kind: 'line', startNs: t, endNs: t, line: p.line, level: p.level });
          break;
        }
        case 'drop': {
          const startNs = this.time(s, p.startTicks, out);
          const endNs = Math.max(startNs, this.ns(s, p.endTicks));
          out.push({ ...this.anomaly('capture-gap', startNs, endNs, `the bridge lost ${p.count} events (its send queue overflowed)`), count: p.count });
          this.seenNs = Math.max(this.seenNs, endNs);
          break;
        }
        case 'time':
          this.seenNs = Math.max(this.seenNs, this.ns(s, p.ticks));
          break;
      }
    }
    return out;
  }

  /** End of input: packets still waiting for a HELLO are reported. */
  finish(): BuddyRecord[] {
    const out: BuddyRecord[] = [];
    this.flushOrphans(out);
    return out;
  }

  /** One line about the bridge, for status lines. */
  describeBridge(): string {
    const h = this.bridge;
    if (!h) return 'no hello yet';
    const caps = Object.entries(Capability).filter(([, bit]) => (h.capabilities & bit) !== 0).map(([k]) => k);
    return `bridge ${h.name || '(unnamed)'}, ${formatHz(h.clockHz)} clock${caps.length ? `, reports ${caps.join(', ')}` : ''}`;
  }

  private hello(p: HelloPacket, out: BuddyRecord[]): void {
    this.bridge = p;
    const prev = this.session;
    const wasDown = this.disconnectedAt;
    this.disconnectedAt = null;
    if (prev === null) {
      // The first HELLO fixes time 0 at the bridge's origin tick.
      this.session = { hello: p, baseTicks: p.originTicks, baseNs: 0, seqOffset: null };
      return;
    }
    const sameClock = prev.hello.bootId === p.bootId && prev.hello.clockHz === p.clockHz;
    if (sameClock) {
      // A repeated HELLO (bridges repeat it so late joiners can start) or a reconnect to a bridge
      // whose clock kept counting: the mapping stands; a reconnect's outage is measured in ticks.
      this.session = { ...prev, hello: p };
      if (wasDown !== null) {
        const nowNs = Math.max(this.seenNs, this.ns(prev, p.nowTicks));
        out.push(this.anomaly('capture-gap', this.seenNs, nowNs, `reconnected after ${(this.wallNow() - wasDown).toFixed(0)} ms; the bridge's clock kept counting, so what happened in between is lost`));
        this.seenNs = nowNs;
      }
      return;
    }
    // A new boot or clock: its ticks restart; continue from the last time seen (plus the outage
    // measured on the wall clock when this follows a reconnect).
    const outageNs = wasDown === null ? 0 : Math.max(0, Math.round((this.wallNow() - wasDown) * 1e6));
    const resumeNs = this.seenNs + outageNs;
    if (wasDown !== null) {
      out.push(this.anomaly('capture-gap', this.seenNs, resumeNs, `reconnected after ${(outageNs / 1e6).toFixed(0)} ms (wall clock): what happened in between is lost`));
    }
    out.push(this.anomaly('bridge-reset', resumeNs, resumeNs,
      `the bridge restarted (boot id ${hex(prev.hello.bootId)} -> ${hex(p.bootId)}, ${formatHz(p.clockHz)} clock): its clock restarts; time continues from here`));
    this.session = { hello: p, baseTicks: p.nowTicks, baseNs: resumeNs, seqOffset: null };
    this.seenNs = resumeNs;
  }

  private ns(s: Session, ticks: number): number {
    return s.baseNs + ticksToNs(ticks - s.baseTicks, s.hello.clockHz);
  }

  /** A record's start time, rebasing the clock when it would go backwards. */
  private time(s: Session, ticks: number, out: BuddyRecord[]): number {
    let t = this.ns(s, ticks);
    if (t < this.lastStartNs) {
      const back = this.lastStartNs - t;
      s.baseNs += back;
      out.push(this.anomaly('bridge-reset', this.lastStartNs, this.lastStartNs, `the bridge's time went back by ${back} ns: treated as a clock restart; time continues from here`));
      t = this.lastStartNs;
    }
    this.lastStartNs = t;
    if (t > this.seenNs) this.seenNs = t;
    return t;
  }

  private anomaly(code: AnomalyCode, startNs: number, endNs: number, detail: string): AnomalyRecord {
    if (code === 'capture-gap') this.gaps++;
    if (startNs > this.lastStartNs) this.lastStartNs = startNs;
    return { kind: 'anomaly', startNs, endNs, code, detail };
  }

  private flushOrphans(out: BuddyRecord[]): void {
    if (this.orphans === 0) return;
    out.push(this.anomaly('stream-resync', this.lastStartNs, this.lastStartNs, `${this.orphans} packets arrived before the bridge's HELLO and were dropped (their clock is unknown)`));
    this.orphans = 0;
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
