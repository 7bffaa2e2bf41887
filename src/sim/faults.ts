/**
 * Injected faults, from a scenario's `faults` block. Implements the bus's per-transaction hooks and
 * schedules the timed ones. All randomness comes from its own Rng stream.
 *
 * - bitFlips {rate, fromMs, toMs}: each bit on the wire flips with probability `rate` (both
 *   directions; the receiver and a sniffer see the same flipped bytes).
 * - csGlitches {count, fromMs, toMs}: short CS pulses between transactions at random times.
 * - csDrops {count, fromMs, toMs}: the first transaction after each random time has CS released at a
 *   random byte: both sides see a cut frame.
 * - buddyResets [{atMs}]: the buddy's watchdog fires in the middle of the next transaction.
 * - slowBuddy {extraUs, fromMs, toMs}: READY comes back late (processing delay + extraUs).
 * - linkLoss {atMs, ssid?, restoreMs?}: the AP vanishes; the buddy reports beacon loss ~1 s later.
 */
import type { BusFaults, SpiBus } from './bus.ts';
import type { Buddy } from './buddy/buddy.ts';
import type { Rng } from './prng.ts';
import type { Faults } from './scenario.ts';
import type { Scheduler } from './scheduler.ts';
import type { World } from './world/world.ts';

const MS = 1_000_000;

export class FaultPlan implements BusFaults {
  private pendingCuts = 0;
  private pendingCrashes = 0;
  readonly injected = { flips: 0, glitches: 0, cuts: 0, crashes: 0 };

  constructor(private readonly sched: Scheduler, private readonly rng: Rng, private readonly f: Faults) {}

  install(bus: SpiBus, buddy: Buddy, world: World, endGuessMs: number): void {
    bus.faults = this;
    const f = this.f;
    const times = (count: number, fromMs: number, toMs: number | null): number[] => {
      const to = toMs ?? endGuessMs;
      return Array.from({ length: count }, () => (fromMs + this.rng.float() * Math.max(0, to - fromMs)) * MS).sort((a, b) => a - b);
    };
    if (f.csGlitches) for (const t of times(f.csGlitches.count, f.csGlitches.fromMs, f.csGlitches.toMs)) this.sched.at(t, () => this.glitch(bus));
    if (f.csDrops) for (const t of times(f.csDrops.count, f.csDrops.fromMs, f.csDrops.toMs)) this.sched.at(t, () => this.pendingCuts++);
    for (const r of f.buddyResets ?? []) this.sched.at(r.atMs * MS, () => this.pendingCrashes++);
    const slow = f.slowBuddy;
    if (slow) {
      this.sched.at(slow.fromMs * MS, () => (buddy.extraDelayNs = slow.extraUs * 1000));
      if (slow.toMs !== null) this.sched.at(slow.toMs * MS, () => (buddy.extraDelayNs = 0));
    }
    const loss = f.linkLoss;
    if (loss) {
      const ssid = loss.ssid ?? world.aps.aps[0]?.ssid;
      if (ssid) {
        this.sched.at(loss.atMs * MS, () => world.aps.remove(ssid));
        if (loss.restoreMs !== undefined) this.sched.at(loss.restoreMs * MS, () => world.aps.restore(ssid));
      }
    }
  }

  private glitch(bus: SpiBus): void {
    if (bus.glitch()) this.injected.glitches++;
    else this.sched.at(bus.idleAt, () => this.glitch(bus));
  }

  flip(bytes: Uint8Array, _dir: 'mosi' | 'miso'): number {
    const b = this.f.bitFlips;
    if (!b || b.rate <= 0) return 0;
    const now = this.sched.now;
    if (now < b.fromMs * MS || (b.toMs !== null && now >= b.toMs * MS)) return 0;
    // Geometric skipping: one draw per flip instead of one per bit.
    const bits = bytes.length * 8;
    const logq = Math.log(1 - b.rate);
    let n = 0;
    for (let at = Math.floor(Math.log(1 - this.rng.float()) / logq); at < bits; at += 1 + Math.floor(Math.log(1 - this.rng.float()) / logq)) {
      bytes[at >> 3] ^= 0x80 >> (at & 7);
      n++;
    }
    this.injected.flips += n;
    return n;
  }

  cutAfter(totalBytes: number): number | null {
    if (this.pendingCuts === 0 || totalBytes < 2) return null;
    this.pendingCuts--;
    this.injected.cuts++;
    return this.rng.int(1, totalBytes - 1);
  }

  crashMidTransfer(): boolean {
    if (this.pendingCrashes === 0) return false;
    this.pendingCrashes--;
    this.injected.crashes++;
    return true;
  }
}
