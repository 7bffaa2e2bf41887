/**
 * Choosing the link protocol: the one place a link stage is made. `--protocol` names one
 * (ProtocolId) or `auto`, which holds the first PICK_TXNS transactions, asks every registered
 * protocol how sure it is of each (frame validity: checksums, header sanity), picks the one that
 * recognised the most, says what it picked and why, and replays what it held through that
 * protocol's stage. When none recognises anything it decodes as the buddy link, whose own
 * no-link-frames anomaly then says so.
 *
 * Example: const stage = createLinkStage('auto', { onPick: (note) => console.error(note) });
 */
import type { BuddyRecord } from '../records/types.ts';
import { newLinkStats, type LinkProtocol, type LinkStage, type LinkStats, type ProtocolId, type StageOptions } from './protocol.ts';
import { PROTOCOL_IDS, PROTOCOLS, protocolById } from './registry.ts';

export type ProtocolChoice = ProtocolId | 'auto';
export const PROTOCOL_CHOICES: readonly ProtocolChoice[] = [...PROTOCOL_IDS, 'auto'];

/** Transactions auto-detection looks at before it picks. */
export const PICK_TXNS = 8;
/** Records held while picking, at most: past this it picks on what it has. */
const HOLD_LIMIT = 4096;

export interface SelectOptions extends StageOptions {
  /** Told once, when auto-detection has picked: which protocol, on what evidence (`recognised`: any). */
  readonly onPick?: (note: string, protocol: LinkProtocol, recognised: boolean) => void;
}

/** A link stage, and the protocol it decodes (known once auto-detection has picked). */
export interface SelectedStage extends LinkStage {
  readonly protocol: LinkProtocol | null;
}

export function createLinkStage(choice: ProtocolChoice, opts: SelectOptions = {}): SelectedStage {
  if (choice === 'auto') return new AutoStage(opts);
  const protocol = protocolById(choice);
  const stage = protocol.createStage(opts);
  return { protocol, push: (b) => stage.push(b), finish: () => stage.finish(), get stats() { return stage.stats; } };
}

/** The SPI stage's scorer for mode detection: the chosen protocol's, or for auto the best of all. */
export function spiScorerFor(choice: ProtocolChoice): (mosi: Uint8Array, miso: Uint8Array) => number {
  if (choice !== 'auto') return protocolById(choice).score;
  return (mosi, miso) => {
    let best = 0;
    for (const p of PROTOCOLS) best = Math.max(best, p.score(mosi, miso));
    return best;
  };
}

/** Protocols a choice may end as. */
export function candidatesOf(choice: ProtocolChoice): readonly LinkProtocol[] {
  return choice === 'auto' ? PROTOCOLS : [protocolById(choice)];
}

interface Tally {
  readonly protocol: LinkProtocol;
  /** Transactions it recognised (score > 0), and its total score. */
  hits: number;
  total: number;
}

class AutoStage implements SelectedStage {
  private stage: LinkStage | null = null;
  protocol: LinkProtocol | null = null;
  private held: BuddyRecord[] = [];
  private txns = 0;
  private readonly tallies: Tally[] = PROTOCOLS.map((protocol) => ({ protocol, hits: 0, total: 0 }));
  private readonly idle = newLinkStats();

  constructor(private readonly opts: SelectOptions) {}

  get stats(): LinkStats {
    return this.stage?.stats ?? this.idle;
  }

  push(batch: readonly BuddyRecord[]): BuddyRecord[] {
    if (this.stage) return this.stage.push(batch);
    for (const r of batch) {
      this.held.push(r);
      if (r.kind !== 'txn') continue;
      this.txns++;
      for (const t of this.tallies) {
        const s = t.protocol.score(r.mosi, r.miso);
        if (s > 0) {
          t.hits++;
          t.total += s;
        }
      }
    }
    return this.txns >= PICK_TXNS || this.held.length > HOLD_LIMIT ? this.pick() : [];
  }

  finish(): BuddyRecord[] {
    const out = this.stage ? [] : this.pick();
    return [...out, ...(this.stage as LinkStage).finish()];
  }

  /** Picks on the evidence so far and replays the held records through the pick. */
  private pick(): BuddyRecord[] {
    // Most transactions recognised; then the stronger total; then registry order (the buddy link first).
    const ranked = [...this.tallies].sort((a, b) => b.hits - a.hits || b.total - a.total);
    const best = ranked[0];
    const found = best.hits > 0;
    const protocol = found ? best.protocol : PROTOCOLS[0];
    const others = ranked.filter((t) => t !== best).map((t) => `${t.protocol.id} ${t.hits}`).join(', ');
    const note = found
      ? `link protocol: ${protocol.id} (${protocol.title}), detected: it recognised ${best.hits} of the first ${this.txns} transactions (${others})`
      : `link protocol: none recognised in the first ${this.txns} transactions; decoding as the ${protocol.title} (give --protocol to choose)`;
    this.protocol = protocol;
    this.stage = protocol.createStage(this.opts);
    this.opts.onPick?.(note, protocol, found);
    const held = this.held;
    this.held = [];
    return this.stage.push(held);
  }
}
