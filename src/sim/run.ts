/**
 * Runs a scenario: builds the scheduler, bus, world, buddy, driver, host stack and faults from it,
 * runs the steps, and streams the transaction stream as it happens.
 *
 *   const run = runScenario(loadScenario('captures/scenarios/demo.json'));
 *   for await (const batch of run.records) ...;   // TxnRecord, LineRecord, AnomalyRecord, in time order
 *   const report = await run.done;                 // settles when the stream has ended
 *
 * The simulation advances only as `records` is consumed (backpressure for free; nothing is held
 * beyond one batch). `drainScenario()` consumes a run and returns its report plus a SHA-256 of the
 * record stream (the determinism check).
 *
 * Options (defaults): batchSize 512 records, maxNs (a hard stop) 10 min of virtual time.
 */
import { createHash } from 'node:crypto';
import type { BuddyRecord } from '../records/types.ts';
import { Buddy, DEFAULT_BUDDY } from './buddy/buddy.ts';
import { buddyOptionsFor, busOptionsFor, driverOptionsFor, worldOptionsFor } from './build.ts';
import { SpiBus } from './bus.ts';
import { Driver } from './driver/driver.ts';
import { FaultPlan } from './faults.ts';
import { HostStack } from './host/stack.ts';
import { Rng } from './prng.ts';
import { checkSteps, floodReport, type SimReport } from './report.ts';
import { MAX_VIRTUAL_MS, type Scenario } from './scenario.ts';
import { Scheduler } from './scheduler.ts';
import { runSteps, type StepResult } from './script.ts';
import { World } from './world/world.ts';

export interface RunOptions {
  batchSize?: number;
  maxNs?: number;
  /** Called once the world is built (the golden corpus records the peer's own actions with it). */
  onWorld?: (world: World, sched: Scheduler) => void;
}

export interface SimRun {
  readonly records: AsyncIterable<BuddyRecord[]>;
  readonly done: Promise<SimReport>;
}

export function runScenario(sc: Scenario, opts: RunOptions = {}): SimRun {
  const batchSize = opts.batchSize ?? 512;
  const maxNs = opts.maxNs ?? MAX_VIRTUAL_MS * 1e6;
  const sched = new Scheduler();
  const rng = new Rng(sc.seed);
  const bus = new SpiBus(sched, busOptionsFor(sc));
  const world = new World(sched, rng.fork('world'), worldOptionsFor(sc));
  opts.onWorld?.(world, sched);
  const buddy = new Buddy(sched, bus, world, rng.fork('buddy'), buddyOptionsFor(sc));
  const driver = new Driver(sched, bus, driverOptionsFor(sc));
  const host = new HostStack(sched, driver);
  const faults = new FaultPlan(sched, rng.fork('faults'), sc.faults);
  faults.install(bus, buddy, world, 10_000);
  const epochs: number[] = [];
  let lastEpoch = 0;

  const results: StepResult[] = [];
  let finished = false;
  let scriptError: unknown = null;
  const script = runSteps(sc.steps, { sched, driver, host, world, buddyRxDropped: () => buddy.stats.rxDropped }, (r) => results.push(r))
    .then(() => sched.sleep(sc.tailMs * 1e6))
    .then(
      () => { finished = true; },
      (err: unknown) => { scriptError = err; finished = true; },
    );
  void script;

  let resolveDone: (r: SimReport) => void = () => {};
  let rejectDone: (e: unknown) => void = () => {};
  const done = new Promise<SimReport>((res, rej) => {
    resolveDone = res;
    rejectDone = rej;
  });
  let recordCount = 0;

  const report = (stall: string | null): SimReport => {
    const failures = checkSteps(sc.steps, results);
    if (stall) failures.push(stall);
    if (scriptError) failures.push(`script error: ${scriptError instanceof Error ? scriptError.message : String(scriptError)}`);
    // Without an injected fault or overload nothing may be lost, corrupted or left unanswered.
    const injected = Object.keys(sc.faults).length > 0 || sc.steps.some((st) => st.do === 'flood' || st.do === 'reset' || st.do === 'send_raw');
    const ls0 = driver.link.stats;
    const bl = buddy.link.stats;
    const losses = {
      'frames lost CPU-side': ls0.rxLost, 'frames lost buddy-side': bl.rxLost, 'corrupted frames at the CPU': ls0.rxBadHeader + ls0.rxBadPayload,
      'corrupted frames at the buddy': bl.rxBad, 'request timeouts': driver.requests.stats.timeouts, 'requests failed by a reset': driver.requests.stats.resetFailures,
      'ethernet frames dropped by the buddy': buddy.stats.txDropped + buddy.stats.rxDropped,
    };
    if (!injected) for (const [what, n] of Object.entries(losses)) if (n > 0) failures.push(`${n} ${what} with no fault injected`);
    const procNs = buddy.opts.processingDelayNs;
    const floods = results.flatMap((r) => r.floods ?? []).map((f) => floodReport(f, bus.opts, procNs));
    const ls = driver.link.stats;
    const rq = driver.requests.stats;
    return {
      scenario: sc.name, seed: sc.seed, passed: failures.length === 0, failures, steps: results, durationNs: sched.now, records: recordCount, epochs,
      counts: {
        transactions: bus.stats.transactions, csGlitches: bus.stats.glitches, csCuts: bus.stats.cuts, flippedBits: bus.stats.flippedBits,
        buddyBoots: buddy.stats.boots, handshakes: driver.stats.handshakes, livenessResets: driver.stats.livenessResets,
        requestsSent: rq.sent, requestRetries: rq.retries, requestsAnswered: rq.answered, requestErrors: rq.errors, requestTimeouts: rq.timeouts, requestResetFailures: rq.resetFailures,
        cpuRxFrames: ls.rxFrames, cpuRxBadHeader: ls.rxBadHeader, cpuRxBadPayload: ls.rxBadPayload, cpuRxLost: ls.rxLost,
        buddyRxFrames: buddy.link.stats.rxFrames, buddyRxBad: buddy.link.stats.rxBad, buddyRxStale: buddy.link.stats.rxStale, buddyRxLost: buddy.link.stats.rxLost,
        buddyTxDropped: buddy.stats.txDropped, buddyRxDropped: buddy.stats.rxDropped, traceDropped: buddy.tracer.droppedTotal,
        traceMessages: driver.stats.traceMessages, events: driver.stats.events, creditStalls: driver.stats.creditStalls, mediumStalls: world.medium.stalls,
        heartbeats: buddy.stats.heartbeats,
      },
      throughput: {
        busBytes: bus.stats.wireBytes,
        payloadBytes: { cpuToBuddy: ls.txPayloadBytes, buddyToCpu: ls.rxPayloadBytes },
        overhead: bus.stats.wireBytes / Math.max(1, ls.txPayloadBytes + ls.rxPayloadBytes),
        ethernet: { txBytes: driver.stats.ethTxBytes, rxBytes: driver.stats.ethRxBytes },
        floods,
      },
    };
  };

  async function* records(): AsyncGenerator<BuddyRecord[]> {
    let stall: string | null = null;
    try {
      for (;;) {
        if (sched.woken) {
          sched.woken = false;
          await new Promise<void>((r) => setImmediate(r));
          continue;
        }
        if (finished) break;
        if (sched.now > maxNs) {
          stall = `stopped at the ${maxNs / 1e9} s virtual-time limit`;
          break;
        }
        if (!sched.step()) {
          stall = 'no events left but the scenario has not finished (deadlock)';
          break;
        }
        if (driver.link.epoch !== lastEpoch && driver.link.epoch !== 0) {
          lastEpoch = driver.link.epoch;
          epochs.push(lastEpoch);
        }
        if (bus.out.length >= batchSize) {
          const batch = bus.out.splice(0);
          recordCount += batch.length;
          yield batch;
        }
      }
      if (bus.out.length) {
        const batch = bus.out.splice(0);
        recordCount += batch.length;
        yield batch;
      }
      resolveDone(report(stall));
    } catch (err) {
      rejectDone(err);
      throw err;
    }
  }

  return { records: records(), done };
}

/** Consumes a run; returns the report, a SHA-256 over the record stream and its record count. */
export async function drainScenario(sc: Scenario, opts: RunOptions = {}): Promise<{ report: SimReport; hash: string; kinds: Record<string, number> }> {
  const run = runScenario(sc, opts);
  const h = createHash('sha256');
  const kinds: Record<string, number> = {};
  for await (const batch of run.records) {
    for (const r of batch) {
      kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
      h.update(recordKey(r));
      if (r.kind === 'txn') {
        h.update(r.mosi);
        h.update(r.miso);
      }
    }
  }
  return { report: await run.done, hash: h.digest('hex'), kinds };
}

function recordKey(r: BuddyRecord): string {
  switch (r.kind) {
    case 'txn': return `t${r.txn}@${r.startNs}-${r.endNs}:${r.mosi.length};`;
    case 'line': return `l${r.line}=${r.level}@${r.startNs};`;
    case 'anomaly': return `a${r.code}@${r.startNs}-${r.endNs};`;
    case 'frame': return `f${r.txn}@${r.startNs};`;
    case 'link': return `k${r.protocol}${r.txn}@${r.startNs};`;
  }
}

export { DEFAULT_BUDDY };
