/**
 * The world outside the buddy: access points, the shared medium, one air channel per direction and
 * the network peer. The buddy transmits with `toPeer` and hears frames through `onAirFrame`.
 *
 * Options (defaults): aps [], names {}, air DEFAULT_AIR, backgroundMs 4000 (null = none).
 */
import type { Rng } from '../prng.ts';
import type { Scheduler } from '../scheduler.ts';
import { AccessPoints, type ApConfig } from './access-points.ts';
import { AirChannel, DEFAULT_AIR, Medium, type AirOptions } from './air.ts';
import { NetworkPeer } from './peer.ts';

export interface WorldOptions {
  aps: ApConfig[];
  names: Record<string, string>;
  air: AirOptions;
  backgroundMs: number | null;
}

export const DEFAULT_WORLD: WorldOptions = { aps: [], names: {}, air: DEFAULT_AIR, backgroundMs: 4000 };

export class World {
  readonly aps: AccessPoints;
  readonly medium: Medium;
  /** buddy -> AP -> peer */
  readonly toPeer: AirChannel;
  /** peer -> AP -> buddy */
  readonly toBuddy: AirChannel;
  readonly peer: NetworkPeer;
  /** Set by the buddy: a frame arrived over the air. */
  onAirFrame: (frame: Uint8Array) => void = () => {};

  constructor(sched: Scheduler, rng: Rng, opts: Partial<WorldOptions> = {}) {
    const o = { ...DEFAULT_WORLD, ...opts };
    this.aps = new AccessPoints(sched, rng.fork('aps'), o.aps);
    this.medium = new Medium(rng.fork('medium'), o.air.busy);
    this.toPeer = new AirChannel(sched, this.medium, o.air);
    this.toBuddy = new AirChannel(sched, this.medium, o.air);
    const names: Record<string, string> = {};
    for (const [k, v] of Object.entries(o.names)) names[k.toLowerCase()] = v;
    this.peer = new NetworkPeer(sched, rng.fork('peer'), names, o.backgroundMs);
    this.peer.send = (frame) => {
      this.toBuddy.send(frame, (f) => this.onAirFrame(f));
      return this.toBuddy.backlog;
    };
    this.toBuddy.onIdle = () => this.peer.feed(this.toBuddy.backlog);
  }
}
