/** What both replay engines take and give back. */
import type { CompareLevel, CompareStats } from './compare.ts';
import type { DivergenceCollector } from './collector.ts';
import type { CaptureFacts } from './facts.ts';
import type { ReplayWorld } from './world.ts';
import type { CapturedEvent } from './captured.ts';
import type { Buddy } from '../sim/buddy/buddy.ts';
import type { Driver } from '../sim/driver/driver.ts';
import type { SpiBus } from '../sim/bus.ts';

export type ReplaySide = 'buddy' | 'cpu';

export interface EngineInput {
  readonly events: AsyncIterable<readonly CapturedEvent[]>;
  readonly world: ReplayWorld;
  readonly facts: CaptureFacts;
  readonly level: CompareLevel;
  readonly ignore: ReadonlySet<string>;
  /** Wall-clock pacing: null = as fast as possible. */
  readonly speed: number | null;
  readonly collector: DivergenceCollector;
  /** Called now and then with the capture time replayed so far (ns), for progress bars. */
  readonly onProgress?: (replayedNs: number) => void;
  /** Test hooks: change the simulated model before the replay starts (e.g. a mutated buddy). */
  readonly hooks?: { readonly buddy?: (b: Buddy) => void; readonly driver?: (d: Driver) => void; readonly bus?: (b: SpiBus) => void };
}

export interface EngineResult {
  readonly stats: CompareStats;
  /** Virtual time replayed (ns). */
  readonly durationNs: number;
  readonly transactions: number;
  /** Transactions that had to start later than captured because the simulated bus was still busy. */
  readonly delayed: number;
  readonly notes: string[];
}
