/**
 * Advances a replay's simulation to the instant of the next captured event. Promise continuations
 * (the driver's handshake, request outcomes) run between events the way the scenario runner lets
 * them (see Scheduler.wake). With a speed, virtual time is also paced against the wall clock
 * (1 = as captured, 2 = twice as fast); without one it runs as fast as it can, the CI default.
 */
import type { Scheduler } from '../sim/scheduler.ts';

export class SimClock {
  private readonly wallStart = performance.now();
  private steps = 0;

  constructor(private readonly sched: Scheduler, private readonly speed: number | null) {}

  /** Runs every event due at or before `t` (ns), then lets waiting continuations run. */
  async runUntil(t: number): Promise<void> {
    for (;;) {
      if (this.sched.woken) {
        this.sched.woken = false;
        await new Promise<void>((r) => setImmediate(r));
        continue;
      }
      const next = this.sched.peekTime();
      if (next === null || next > t) break;
      if (this.speed !== null && (++this.steps & 63) === 0) await this.pace(next);
      this.sched.step();
    }
  }

  /**
   * Runs `fn` at virtual time `t` (now, if `t` is past), after every simulated event due at or
   * before `t`: an outside event at an instant the simulation also acts on comes last (READY rising
   * and the CPU clocking at the same nanosecond happen in that order).
   */
  async at(t: number, fn: () => void): Promise<void> {
    if (this.speed !== null) await this.pace(t);
    await this.runUntil(t);
    this.sched.advanceTo(t);
    fn();
  }

  private async pace(virtualNs: number): Promise<void> {
    const dueMs = this.wallStart + virtualNs / 1e6 / (this.speed as number);
    const wait = dueMs - performance.now();
    if (wait > 1) await new Promise<void>((r) => setTimeout(r, wait));
  }
}
