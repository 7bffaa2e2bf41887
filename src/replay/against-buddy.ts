/**
 * `replay --against buddy`: the captured CPU side drives the simulated buddy firmware.
 *
 * Consumes captured events in time order. Each captured transaction's MOSI is clocked into the
 * simulated bus at its captured start time (later only if the simulated bus is still busy, which
 * is counted), RESET edges and CS glitches are replayed as captured, and the simulated buddy's MISO
 * is compared with the captured MISO. The buddy runs in the replay world (world.ts), boots with
 * the captured epochs and crashes where the capture shows its watchdog fired; buddy-side faults of
 * a world file (slow buddy, link loss) are applied as the scenario did.
 */
import { HEADER_SIZE } from '../protocol/constants.ts';
import { decodeHeader, frameSize } from '../protocol/frame.ts';
import { Buddy } from '../sim/buddy/buddy.ts';
import { buddyOptionsFor, busOptionsFor, worldOptionsFor } from '../sim/build.ts';
import { SpiBus } from '../sim/bus.ts';
import { FaultPlan } from '../sim/faults.ts';
import { Rng } from '../sim/prng.ts';
import { Scheduler } from '../sim/scheduler.ts';
import { World } from '../sim/world/world.ts';
import { Comparator } from './compare.ts';
import type { CapturedEvent, CapturedTxn } from './captured.ts';
import { HostActionDeriver } from './host-actions.ts';
import type { EngineInput, EngineResult } from './engine.ts';
import { ReplayFaults } from './replay-faults.ts';
import { replayReadingAhead } from './read-ahead.ts';
import { SimClock } from './sim-clock.ts';

/** Transactions read ahead of the simulation when the air comes from the capture. */
const AIR_LOOKAHEAD = 3;

export async function replayAgainstBuddy(input: EngineInput): Promise<EngineResult> {
  const { world, facts } = input;
  const sc = world.spec;
  const sched = new Scheduler();
  const rng = new Rng(sc.seed);
  const bus = new SpiBus(sched, busOptionsFor(sc));
  bus.recording = false; // replay compares each transaction as it ends; nothing drains bus.out
  input.hooks?.bus?.(bus);
  const simWorld = new World(sched, rng.fork('world'), worldOptionsFor(sc));
  const buddy = new Buddy(sched, bus, simWorld, rng.fork('buddy'), { ...buddyOptionsFor(sc), epochs: facts.epochs });
  // Faults of the world itself; wire faults (flips, glitches, cuts) and crashes come from the capture.
  const { slowBuddy, linkLoss } = sc.faults;
  new FaultPlan(sched, rng.fork('faults'), { ...(slowBuddy ? { slowBuddy } : {}), ...(linkLoss ? { linkLoss } : {}) }).install(bus, buddy, simWorld, 10_000);
  const faults = new ReplayFaults(facts.crashTxns);
  bus.faults = faults;
  for (const ev of sc.events ?? []) sched.at(ev.atNs, () => simWorld.peer.flood(ev.frames, ev.size));
  // A world derived from the capture has no network of its own: the simulated peer is muted (its
  // addresses and answers are not the captured network's), and what the buddy heard over the air
  // is replayed from the frames it forwarded to the CPU.
  const air = world.source === 'derived' ? new HostActionDeriver('miso') : null;
  if (air) simWorld.peer.receive = () => {};
  input.hooks?.buddy?.(buddy);

  const clock = new SimClock(sched, input.speed);
  const cmp = new Comparator(input.level, input.ignore, 'buddy-to-cpu');
  let transactions = 0;
  let delayed = 0;
  let lastNs = 0;

  const clockIn = (t: CapturedTxn): void => {
    const mosi = t.mosi ?? new Uint8Array(Math.max(HEADER_SIZE, t.miso?.length ?? 0));
    faults.capturedIndex = t.index;
    faults.capturedLength = t.rebuilt ? Math.max(mosi.length, t.miso?.length ?? 0) : mosi.length;
    const r = bus.transfer(mosi);
    transactions++;
    input.collector.saw(t);
    // A rebuilt transaction holds frames without the padding: compare the simulated frame alone.
    const actual = t.rebuilt ? ownFrame(r.miso) : r.miso;
    input.collector.add(cmp.compare(t.index, t.startNs, t.miso, actual));
  };

  const release = async (e: CapturedEvent): Promise<void> => {
    if (e.kind === 'txn') {
      let at = e.startNs;
      if (at < bus.idleAt) {
        delayed++;
        at = bus.idleAt;
      }
      await clock.at(at, () => clockIn(e));
      lastNs = e.endNs;
      if ((transactions & 511) === 0) input.onProgress?.(lastNs);
    } else if (e.kind === 'line') {
      if (e.line === 'reset') await clock.at(e.atNs, () => bus.setLine('reset', e.level));
    } else {
      await clock.at(Math.max(e.atNs, bus.idleAt), () => bus.glitch(e.pulseNs));
    }
  };

  // With the air from the capture, events are read a few transactions ahead: a frame must reach
  // the buddy before the PENDING run that precedes the transaction carrying it (host-actions.ts).
  // Without it, each event is released as soon as it is read.
  await replayReadingAhead(input.events, {
    lookahead: air ? AIR_LOOKAHEAD : 0,
    holdNs: () => air?.holdNs ?? Infinity,
    onRead: (e) => {
      if (air && e.kind === 'txn') for (const a of air.push(e)) if (a.kind === 'ethernet') sched.at(Math.max(a.atNs, sched.now), () => simWorld.onAirFrame(a.frame));
    },
    release,
  });
  input.collector.add(cmp.finish());
  const notes: string[] = [];
  const epochs = facts.epochs.length > 1 ? `, boot epochs ${facts.epochs.join(' -> ')}` : '';
  notes.push(`buddy: ${buddy.stats.boots} boot(s)${epochs}, ${buddy.link.stats.rxBad} corrupted MOSI frames rejected, ${buddy.stats.wifiTxFrames} frames sent and ${buddy.stats.wifiRxFrames} received over the air`);
  if (air) notes.push(`air from the capture: ${air.derivedFrames} Ethernet frame(s) the buddy forwarded were delivered to it over the air, each before the transaction that carried it (the simulated network peer is muted)`);
  if (faults.crashes) notes.push(`buddy watchdog reset injected in ${faults.crashes} transaction(s), where the capture shows one`);
  return { stats: cmp.stats, durationNs: lastNs, transactions, delayed, notes };
}

/** The frame at the start of a transaction's bytes, without the padding after it. */
function ownFrame(b: Uint8Array): Uint8Array {
  const h = decodeHeader(b);
  return h.ok ? b.subarray(0, Math.min(b.length, frameSize(h.value.length))) : b;
}
