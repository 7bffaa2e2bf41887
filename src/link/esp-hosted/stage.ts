/**
 * esp-hosted as a link stage: the SPI stage's records in, buddyshark's records out. Transactions go
 * to EspHostedDecoder; the handshake and data-ready lines arrive as the READY and IRQ roles (their
 * channel aliases) and go to it too, labelled with their esp-hosted names; its frames, messages and
 * idle directions become LinkRecords (the protocol-neutral envelope, the EspRecord as fields), its
 * anomalies AnomalyRecords. Everything else passes through.
 */
import type { AnomalyRecord, BuddyRecord, LinkRecord } from '../../records/types.ts';
import { countAnomaly, newLinkStats, type LinkStage } from '../protocol.ts';
import { EspHostedDecoder } from './decoder.ts';
import type { EspAnomalyRecord, EspFrameRecord, EspIdleRecord, EspLine, EspMessageRecord, EspRecord } from './records.ts';
import type { VariantId } from './variants.ts';

export const ESP_FAMILY = 'esp-hosted';

/** The side-band roles esp-hosted's lines map to (src/sources/channel-map.ts has the aliases). */
export const ESP_LINES: Readonly<Partial<Record<'ready' | 'irq', EspLine>>> = { ready: 'handshake', irq: 'data-ready' };

export type EspLinkFields = EspFrameRecord | EspMessageRecord | EspIdleRecord;

/** What a record carries, for counts, filters and lanes. */
export function espChannel(e: EspLinkFields): string {
  if (e.kind === 'idle') return 'idle';
  const c = e.content;
  if (c) return c.kind === 'ethernet' ? 'ethernet' : c.kind === 'hci' ? 'hci' : c.kind === 'raw' ? e.kind === 'frame' ? e.header.iface : e.iface : 'control';
  // A fragment: by its interface.
  const iface = e.kind === 'frame' ? e.header.iface : e.iface;
  return iface === 'sta' || iface === 'ap' || iface === 'eth' ? 'ethernet' : iface === 'serial' || iface === 'priv' || iface === 'internal' ? 'control' : iface;
}

export function toLinkRecord(e: EspLinkFields): LinkRecord {
  return {
    kind: 'link', protocol: ESP_FAMILY, variant: e.variant, layer: e.kind, startNs: e.startNs, endNs: e.endNs, txn: e.txn, dir: e.dir,
    channel: espChannel(e), whole: e.kind === 'message' || (e.kind === 'frame' && e.content !== undefined), fields: e,
  };
}

function toAnomaly(e: EspAnomalyRecord): AnomalyRecord {
  return {
    kind: 'anomaly', code: e.code, detail: e.detail, startNs: e.startNs, endNs: e.endNs,
    ...(e.txn !== undefined ? { txn: e.txn } : {}), ...(e.dir !== undefined ? { dir: e.dir } : {}),
    ...(e.offset !== undefined ? { offset: e.offset } : {}), ...(e.count !== undefined ? { count: e.count } : {}),
  };
}

export class EspHostedStage implements LinkStage {
  private readonly dec: EspHostedDecoder;
  readonly stats = newLinkStats();

  constructor(variant: VariantId) {
    this.dec = new EspHostedDecoder(variant);
  }

  push(batch: readonly BuddyRecord[]): BuddyRecord[] {
    const out: BuddyRecord[] = [];
    for (const r of batch) {
      if (r.kind === 'txn') {
        this.stats.transactions++;
        out.push(r);
        this.emit(this.dec.transaction({ txn: r.txn, startNs: r.startNs, endNs: r.endNs, mosi: r.mosi, miso: r.miso }), out);
      } else if (r.kind === 'line' && (r.line === 'ready' || r.line === 'irq')) {
        const line = ESP_LINES[r.line] as EspLine;
        out.push({ ...r, label: line });
        // The decoder's own line record would repeat the one just passed on.
        this.emit(this.dec.line({ line, level: r.level, timeNs: r.startNs }).filter((e) => e.kind !== 'line'), out);
      } else {
        if (r.kind === 'anomaly') countAnomaly(this.stats, r.code);
        out.push(r);
      }
    }
    return out;
  }

  finish(): BuddyRecord[] {
    const out: BuddyRecord[] = [];
    this.emit(this.dec.finish(), out);
    return out;
  }

  private emit(recs: readonly EspRecord[], out: BuddyRecord[]): void {
    for (const e of recs) {
      if (e.kind === 'line') continue;
      if (e.kind === 'anomaly') {
        countAnomaly(this.stats, e.code);
        if (e.code === 'esp-reset') this.stats.buddyResets++;
        out.push(toAnomaly(e));
        continue;
      }
      const r = toLinkRecord(e);
      if (e.kind !== 'message') {
        this.stats.frames++;
        if (e.kind === 'idle') this.stats.idleFrames++;
        this.stats.framesPerChannel[r.channel] = (this.stats.framesPerChannel[r.channel] ?? 0) + 1;
      }
      out.push(r);
    }
  }
}
