/**
 * A replay from end to end: pass 1 gathers the capture's facts (facts.ts) and picks the world
 * (world.ts); pass 2 streams the capture through the chosen engine and collects divergences.
 * The capture is opened twice (any input openRecords reads), so standard input cannot be replayed.
 *
 *   const outcome = await replayCapture('captures/golden/demo.pcapng', { against: 'buddy' });
 *   outcome.matched   // true when nothing diverged
 *   const p = await prepareCapture(path);   // pass 1 once, for both ends
 *   await replayCapture(p, { against: 'buddy' }); await replayCapture(p, { against: 'cpu' });
 */
import { basename } from 'node:path';
import { openRecords, type OpenRecordsOptions } from '../pipeline/open-records.ts';
import type { InterfaceKey } from '../pcapng/interfaces.ts';
import { ReplayInputError } from './errors.ts';
import { capturedEvents } from './captured.ts';
import { DivergenceCollector, type ContextLine } from './collector.ts';
import type { CompareLevel, CompareStats, Divergence } from './compare.ts';
import type { EngineInput, EngineResult, ReplaySide } from './engine.ts';
import { gatherFacts, type CaptureFacts } from './facts.ts';
import { replayAgainstBuddy } from './against-buddy.ts';
import { replayAgainstCpu } from './against-cpu.ts';
import { chooseWorld, type WorldSource } from './world.ts';
import { PROTOCOLS } from '../link/registry.ts';
import type { BuddyRecord, RecordStream } from '../records/types.ts';

const RAW_LAYER: ReadonlySet<InterfaceKey> = new Set(['spi', 'events']);

export interface ReplayOptions {
  readonly against: ReplaySide;
  readonly level?: CompareLevel;
  readonly ignore?: readonly string[];
  /** Wall-clock pacing (1 = as captured); null or absent = as fast as possible. */
  readonly speed?: number | null;
  /** A world or scenario file, 'derive' to force derivation, or absent (sidecar, else derived). */
  readonly world?: string;
  /** Divergences kept whole (all are counted). Default 50. */
  readonly keep?: number;
  readonly input?: OpenRecordsOptions;
  readonly hooks?: EngineInput['hooks'];
  /** Progress: capture time replayed so far and the capture's length (ns). */
  readonly onProgress?: (replayedNs: number, totalNs: number) => void;
}

export interface ReplayOutcome {
  readonly capture: string;
  readonly against: ReplaySide;
  readonly level: CompareLevel;
  readonly ignore: readonly string[];
  readonly matched: boolean;
  readonly world: { readonly source: WorldSource; readonly origin: string; readonly notes: readonly string[] };
  readonly stats: CompareStats & { readonly transactions: number; readonly delayed: number; readonly divergences: number };
  readonly divergences: readonly Divergence[];
  /** The captured transactions just before the first divergence. */
  readonly context: readonly ContextLine[];
  readonly notes: readonly string[];
  readonly virtualNs: number;
  readonly wallMs: number;
  /** The capture ended inside a block at this byte: what came before it was replayed. */
  readonly truncatedAt?: number;
}

/** Pass 1 of a capture (facts.ts), shareable by replays of both ends. */
export interface PreparedCapture {
  readonly capture: string;
  readonly facts: CaptureFacts;
  /** Time pass 1 took, counted into the first replay that uses it. */
  readonly factsMs: number;
}

export async function prepareCapture(capture: string, input?: OpenRecordsOptions): Promise<PreparedCapture> {
  if (capture === '-') throw new ReplayInputError('<stdin>', 'stdin', 'standard input cannot be replayed: the capture is read twice (facts, then the replay); pass a file');
  const t0 = performance.now();
  // Neither pass keeps records beyond a few transactions: raw bytes can stay views into the chunks.
  const first = await openRecords(capture, { ...input, pcapngViews: true });
  return { capture, facts: await gatherFacts(buddyLinkOnly(capture, first.records)), factsMs: performance.now() - t0 };
}

/** The simulator models the buddy link only: another protocol's capture is refused, saying why. */
async function* buddyLinkOnly(capture: string, records: RecordStream): AsyncGenerator<readonly BuddyRecord[]> {
  for await (const batch of records) {
    const other = batch.find((r) => r.kind === 'link');
    if (other?.kind === 'link') {
      const p = PROTOCOLS.find((x) => x.family === other.protocol && x.id.endsWith(`-${other.variant}`));
      throw new ReplayInputError(capture, 'protocol', p?.replayUnsupported ?? `${other.protocol} is not the buddy link: replay needs a buddy-link capture`);
    }
    yield batch;
  }
}

export async function replayCapture(capture: string | PreparedCapture, opts: ReplayOptions): Promise<ReplayOutcome> {
  const t0 = performance.now();
  const prepared = typeof capture === 'string' ? await prepareCapture(capture, opts.input) : capture;
  const factsMs = typeof capture === 'string' ? 0 : prepared.factsMs;
  return replayPrepared(prepared, opts, t0 - factsMs);
}

async function replayPrepared(prepared: PreparedCapture, opts: ReplayOptions, t0: number): Promise<ReplayOutcome> {
  const { capture, facts } = prepared;
  const level = opts.level ?? 'frames';
  const ignore = opts.ignore ?? [];
  if (opts.against === 'cpu' && facts.lineEdges === 0) {
    throw new ReplayInputError(capture, 'no-lines', 'no READY/IRQ line events in the capture (written with --no-raw?): --against cpu needs them to know when the buddy was ready; --against buddy works from frames alone');
  }
  const world = chooseWorld(capture, opts.world, facts);
  // With a raw layer the frames are not needed again: skipping them halves the second read.
  const second = await openRecords(capture, { ...opts.input, pcapngViews: true, ...(facts.raw ? { pcapngInterfaces: RAW_LAYER } : {}) });
  const collector = new DivergenceCollector(opts.keep ?? 50);
  const input: EngineInput = {
    events: capturedEvents(second.records), world, facts, level, ignore: new Set(ignore), speed: opts.speed ?? null, collector,
    ...(opts.hooks ? { hooks: opts.hooks } : {}),
    ...(opts.onProgress ? { onProgress: (ns: number) => opts.onProgress?.(ns, facts.durationNs) } : {}),
  };
  const r: EngineResult = opts.against === 'buddy' ? await replayAgainstBuddy(input) : await replayAgainstCpu(input);
  const truncatedAt = second.truncatedAt?.();
  if (r.transactions === 0 && facts.transactions === 0) {
    throw new ReplayInputError(capture, 'empty', `${truncatedAt !== undefined ? `cut short at byte ${truncatedAt} before any` : 'no'} SPI transaction in the capture: nothing to replay`);
  }
  const notes = [...r.notes];
  if (truncatedAt !== undefined) notes.push(`the capture is cut short at byte ${truncatedAt}: replayed up to its last whole block`);
  if (!facts.raw) notes.push('no raw SPI layer in the capture: transactions rebuilt from their frames');
  if (r.delayed) notes.push(`${r.delayed} transaction(s) started later than captured: the simulated bus was still busy`);
  return {
    capture: basename(capture), against: opts.against, level, ignore, matched: collector.total === 0,
    world: { source: world.source, origin: world.origin, notes: world.notes },
    stats: { ...r.stats, transactions: r.transactions, delayed: r.delayed, divergences: collector.total },
    divergences: collector.kept, context: collector.context, notes, virtualNs: r.durationNs, wallMs: performance.now() - t0,
    ...(truncatedAt !== undefined ? { truncatedAt } : {}),
  };
}
