/**
 * The esp-hosted link decoder: synchronous, fed in time order with SPI transactions and
 * handshake/data-ready edges, emitting EspRecords (records.ts) in time order. One instance per
 * capture and variant. Never throws on bad input: every fault is an anomaly record.
 *
 *   const dec = new EspHostedDecoder('mcu');
 *   for (const item of items) out.push(...('line' in item ? dec.line(item) : dec.transaction(item)));
 *   out.push(...dec.finish());
 *
 * Per transaction: a handshake-low anomaly if the host clocked while handshake was low, then MOSI
 * (host->ESP) and MISO (ESP->host), each as an idle record, a frame record (+ a message record
 * when it completes a MORE_FRAGMENT chain), or an anomaly for a header that is not a frame.
 */
import type { Direction } from '../../records/types.ts';
import { decodeContent, type ContentKey, type DecodedContent } from './content.ts';
import { parseDirection } from './header.ts';
import { LineMonitor } from './lines.ts';
import { RequestPairing } from './pairing.ts';
import { RESPONSE_OFFSET } from './protobuf.ts';
import { FragmentChains, type Fragment } from './reassembly.ts';
import type { EspAnomalyCode, EspContent, EspLine, EspRecord, RequestLink } from './records.ts';
import { SequenceTracker } from './sequence.ts';
import { MORE_FRAGMENT, VARIANTS, type VariantId, type VariantSpec } from './variants.ts';

export interface EspTransactionInput {
  readonly txn: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly mosi: Uint8Array;
  readonly miso: Uint8Array;
}

export interface EspLineInput {
  readonly line: EspLine;
  readonly level: 0 | 1;
  readonly timeNs: number;
}

interface TxnCtx {
  readonly txn: number;
  readonly startNs: number;
  readonly endNs: number;
  readonly dir: Direction;
}

export class EspHostedDecoder {
  readonly variant: VariantSpec;
  private readonly lines = new LineMonitor();
  private readonly chains = new FragmentChains();
  private readonly seq = new SequenceTracker();
  private readonly pairing = new RequestPairing();
  private checksumAnnounced: boolean | undefined;
  private inits = 0;
  private lastNs = 0;

  constructor(variant: VariantId | VariantSpec) {
    this.variant = typeof variant === 'string' ? VARIANTS[variant] : variant;
  }

  private anomaly(out: EspRecord[], c: Partial<TxnCtx> & { startNs: number; endNs: number }, code: EspAnomalyCode, detail: string, extra: { offset?: number; count?: number } = {}): void {
    out.push({
      kind: 'anomaly', protocol: 'esp-hosted', variant: this.variant.id, startNs: c.startNs, endNs: c.endNs, code, detail,
      ...(c.txn !== undefined ? { txn: c.txn } : {}), ...(c.dir !== undefined ? { dir: c.dir } : {}), ...extra,
    });
  }

  line(e: EspLineInput): EspRecord[] {
    const out: EspRecord[] = [{ kind: 'line', protocol: 'esp-hosted', variant: this.variant.id, startNs: e.timeNs, endNs: e.timeNs, line: e.line, level: e.level }];
    this.lastNs = Math.max(this.lastNs, e.timeNs);
    const problem = this.lines.edge(e.line, e.level, e.timeNs);
    if (problem) this.anomaly(out, { startNs: e.timeNs, endNs: e.timeNs }, 'data-ready-no-frame', problem);
    return out;
  }

  transaction(t: EspTransactionInput): EspRecord[] {
    const out: EspRecord[] = [];
    this.lastNs = Math.max(this.lastNs, t.endNs);
    const hs = this.lines.transactionStart();
    if (hs) this.anomaly(out, { txn: t.txn, startNs: t.startNs, endNs: t.endNs }, 'handshake-low', hs);
    this.direction(out, { txn: t.txn, startNs: t.startNs, endNs: t.endNs, dir: 'cpu-to-buddy' }, t.mosi);
    this.direction(out, { txn: t.txn, startNs: t.startNs, endNs: t.endNs, dir: 'buddy-to-cpu' }, t.miso);
    return out;
  }

  /** End of capture: a fragment chain still open never got its last fragment. */
  finish(): EspRecord[] {
    const out: EspRecord[] = [];
    for (const { dir, ifType, chain } of this.chains.drain()) {
      const last = chain[chain.length - 1];
      this.anomaly(out, { txn: last.txn, startNs: last.startNs, endNs: this.lastNs, dir }, 'fragment-chain-broken',
        `capture ended inside a ${chain.length}-fragment message on if_type ${ifType} (last fragment had MORE_FRAGMENT set)`);
    }
    return out;
  }

  private breakChain(out: EspRecord[], c: TxnCtx, ifType: number, why: string): void {
    const chain = this.chains.abandon(c.dir, ifType);
    if (chain) this.anomaly(out, c, 'fragment-chain-broken', `${chain.length} fragment(s) of a message on if_type ${ifType} dropped: ${why}`);
  }

  private direction(out: EspRecord[], c: TxnCtx, b: Uint8Array): void {
    const v = this.variant;
    const p = parseDirection(v, b, this.checksumAnnounced);
    if (p.kind === 'idle') {
      out.push({ kind: 'idle', protocol: 'esp-hosted', variant: v.id, ...c, shape: p.shape, flags: p.flags, ...(p.throttle !== undefined ? { throttle: p.throttle } : {}) });
      return;
    }
    if (p.kind === 'bad') {
      this.anomaly(out, c, p.code, p.detail, { offset: p.offset });
      if (b.length > 0) this.breakChain(out, c, b[0] & 0x0f, `a corrupt frame (${p.code}) took its place`);
      return;
    }
    const h = p.header;
    const wire = b.slice(0, p.wireLength);
    const payload = wire.subarray(p.payloadStart);
    if (c.dir === 'buddy-to-cpu') this.lines.espFrame();
    const base = { kind: 'frame' as const, protocol: 'esp-hosted' as const, variant: v.id, ...c, header: h, payload, wire };
    if (h.checksumState === 'bad') {
      out.push(base);
      this.anomaly(out, c, 'checksum-mismatch', `checksum 0x${hex4(h.checksum)}, computed 0x${hex4(h.computedChecksum)} over ${p.wireLength} bytes`, { offset: v.layout.checksum });
      this.breakChain(out, c, h.ifType, 'a fragment failed its checksum');
      if (h.seq !== undefined) this.seq.next(c.dir, h.ifType, h.seq);
      return;
    }
    const more = (h.flags & MORE_FRAGMENT) !== 0;
    const key: ContentKey = { iface: h.iface, pktType: h.pktType, ...(h.packetType !== undefined ? { packetType: h.packetType } : {}) };
    const whole = !more && !this.chains.isOpen(c.dir, h.ifType);
    const decoded = whole ? decodeContent(v, key, payload) : undefined;
    if (decoded?.content.kind === 'init') this.onInit(out, c, decoded.content);
    if (h.seq !== undefined) {
      const gap = this.seq.next(c.dir, h.ifType, h.seq);
      if (gap) {
        this.anomaly(out, c, 'sequence-gap', `seq ${gap.got} after ${(gap.expected - 1) & 0xffff}: ${gap.missing} frame(s) missing`, { offset: v.layout.seq, count: gap.missing });
        this.breakChain(out, c, h.ifType, 'a fragment is missing (sequence gap)');
      }
    }
    if (decoded) {
      const link = this.linkOf(decoded.content, c.txn);
      out.push({ ...base, content: decoded.content, ...(link ? { link } : {}) });
      this.contentProblem(out, c, decoded, p.payloadStart);
      return;
    }
    out.push(base);
    const frag: Fragment = { txn: c.txn, startNs: c.startNs, bytes: payload, pktType: h.pktType, ...(h.packetType !== undefined ? { packetType: h.packetType } : {}) };
    const msg = this.chains.add(c.dir, h.ifType, frag, more);
    if (!msg) return;
    const first = msg.first;
    const mkey: ContentKey = { iface: h.iface, pktType: first.pktType, ...(first.packetType !== undefined ? { packetType: first.packetType } : {}) };
    const content = decodeContent(v, mkey, msg.bytes);
    const link = this.linkOf(content.content, msg.txns[0]);
    out.push({
      // It is emitted with the fragment that completes it, so it starts there: records stay in time order.
      kind: 'message', protocol: 'esp-hosted', variant: v.id, startNs: c.startNs, firstNs: first.startNs, endNs: c.endNs, txn: c.txn, dir: c.dir,
      ifType: h.ifType, iface: h.iface, pktType: first.pktType, ...(first.packetType !== undefined ? { packetType: first.packetType } : {}),
      fragments: msg.fragments, txns: msg.txns, bytes: msg.bytes, content: content.content, ...(link ? { link } : {}),
    });
    this.contentProblem(out, c, content, undefined);
  }

  private contentProblem(out: EspRecord[], c: TxnCtx, d: DecodedContent, payloadStart: number | undefined): void {
    if (!d.problem) return;
    const where = payloadStart !== undefined ? { offset: payloadStart + d.problem.offset } : {};
    this.anomaly(out, c, d.problem.code, d.problem.detail, where);
  }

  private onInit(out: EspRecord[], c: TxnCtx, content: Extract<EspContent, { kind: 'init' }>): void {
    this.inits++;
    if (content.init.checksumEnabled !== undefined) this.checksumAnnounced = content.init.checksumEnabled;
    if (this.inits === 1) return;
    this.anomaly(out, c, 'esp-reset', `INIT event #${this.inits}: the ESP restarted (firmware ${content.init.firmware ?? 'unknown'}${content.init.resetReason !== undefined ? `, reset reason ${content.init.resetReason}` : ''})`);
    this.seq.reset();
    this.pairing.reset();
    this.chains.drain();
  }

  private linkOf(content: EspContent, txn: number): RequestLink | undefined {
    if (content.kind === 'control') {
      const m = content.control;
      const off = RESPONSE_OFFSET[m.schema];
      if (m.msgType === 1) return this.pairing.request(`${m.msgId}`, txn, m.uid);
      if (m.msgType === 2) return this.pairing.response(`${m.msgId - off}`, m.uid);
      return undefined;
    }
    if (content.kind === 'ng-command' && content.command.role !== 'event') {
      const k = `${content.command.code}:${content.command.seq ?? 0}`;
      return content.command.role === 'request' ? this.pairing.request(k, txn) : this.pairing.response(k);
    }
    return undefined;
  }
}

function hex4(n: number): string {
  return n.toString(16).padStart(4, '0');
}

