/**
 * MORE_FRAGMENT chains, one per (direction, interface type): the ESP splits a serial message
 * longer than an Ethernet payload into frames with MORE_FRAGMENT set on all but the last. A new
 * interface/direction chain never interleaves with itself, so a frame on a chain after a lost
 * fragment cannot be told from a new message: the decoder reports the chain it had to drop.
 */
import type { Direction } from '../../records/types.ts';

export interface Fragment {
  readonly txn: number;
  readonly startNs: number;
  readonly bytes: Uint8Array;
  readonly pktType: number;
  readonly packetType?: number;
}

export interface Reassembled {
  readonly first: Fragment;
  readonly fragments: number;
  readonly txns: readonly number[];
  readonly bytes: Uint8Array;
}

export class FragmentChains {
  private readonly chains = new Map<string, Fragment[]>();

  private key(dir: Direction, ifType: number): string {
    return `${dir}:${ifType}`;
  }

  /** Adds a fragment; returns the whole message when this one ends it (`more` clear) and a chain was open. */
  add(dir: Direction, ifType: number, frag: Fragment, more: boolean): Reassembled | undefined {
    const k = this.key(dir, ifType);
    const chain = this.chains.get(k);
    if (!chain) {
      if (more) this.chains.set(k, [frag]);
      return undefined;
    }
    chain.push(frag);
    if (more) return undefined;
    this.chains.delete(k);
    let n = 0;
    for (const f of chain) n += f.bytes.length;
    const bytes = new Uint8Array(n);
    let at = 0;
    for (const f of chain) {
      bytes.set(f.bytes, at);
      at += f.bytes.length;
    }
    return { first: chain[0], fragments: chain.length, txns: chain.map((f) => f.txn), bytes };
  }

  /** Drops an open chain (its next fragment was lost or corrupt); returns how many fragments it held. */
  abandon(dir: Direction, ifType: number): Fragment[] | undefined {
    const k = this.key(dir, ifType);
    const chain = this.chains.get(k);
    this.chains.delete(k);
    return chain;
  }

  isOpen(dir: Direction, ifType: number): boolean {
    return this.chains.has(this.key(dir, ifType));
  }

  /** Every open chain, then forgets them (end of capture, ESP reset). */
  drain(): { dir: Direction; ifType: number; chain: Fragment[] }[] {
    const out = [...this.chains].map(([k, chain]) => {
      const [dir, ifType] = k.split(':');
      return { dir: dir as Direction, ifType: Number(ifType), chain };
    });
    this.chains.clear();
    return out;
  }
}
