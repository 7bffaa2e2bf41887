/**
 * `replay --against cpu`: the captured buddy side drives the simulated CPU driver.
 *
 * A scripted buddy stands on the simulated bus: it raises and drops READY and IRQ when the capture
 * shows they changed, and answers the driver's n-th transaction with the n-th captured MISO. The
 * host's requests and Ethernet frames, recovered from the captured MOSI (host-actions.ts), are
 * handed to the driver when the capture shows the host asked. The driver decides the rest as it
 * would on the jig (when to clock, framing, seq/ack, credit, hello after a boot, retries, timeouts,
 * liveness resets), and each transaction's MOSI is compared with the captured one.
 *
 * The captured events are read a few transactions ahead of the simulation (a host action can date
 * from before the transactions that carried it): `LOOKAHEAD` transactions, or the whole PENDING run
 * the next message must precede.
 */
import { busOptionsFor, driverOptionsFor } from '../sim/build.ts';
import { SpiBus, type SpiTarget } from '../sim/bus.ts';
import { Driver } from '../sim/driver/driver.ts';
import { Scheduler } from '../sim/scheduler.ts';
import type { CapturedEvent, CapturedTxn } from './captured.ts';
import { eventTime } from './captured.ts';
import { Comparator } from './compare.ts';
import type { EngineInput, EngineResult } from './engine.ts';
import { HostActionDeriver, type HostAction } from './host-actions.ts';
import { ProtocolCheck } from './protocol-check.ts';
import { ReplayFaults } from './replay-faults.ts';
import { replayReadingAhead } from './read-ahead.ts';
import { SimClock } from './sim-clock.ts';

const LOOKAHEAD = 3;
/** Captured transactions the driver has not clocked yet before replay calls it stalled. */
const MAX_UNCLOCKED = 4096;

class ScriptedBuddy implements SpiTarget {
  readonly queue: CapturedTxn[] = [];
  clocked = 0;
  onClocked: (captured: CapturedTxn | null, mosi: Uint8Array) => void = () => {};
  private current: CapturedTxn | null = null;

  constructor(private readonly faults: ReplayFaults) {}

  armedFrame(): Uint8Array | null {
    this.current = this.queue.shift() ?? null;
    this.faults.capturedIndex = this.current?.index ?? -1;
    this.faults.capturedLength = this.current ? Math.max(this.current.mosi?.length ?? 0, this.current.miso?.length ?? 0) : 0;
    // No captured bytes for this side (rebuilt capture, bad frame): MISO floats high.
    return this.current?.miso ?? null;
  }
  onTransaction(mosi: Uint8Array): void {
    this.clocked++;
    this.onClocked(this.current, mosi);
  }
  onCsGlitch(): void {}
  crash(): void {}
}

export async function replayAgainstCpu(input: EngineInput): Promise<EngineResult> {
  const sc = input.world.spec;
  const sched = new Scheduler();
  const bus = new SpiBus(sched, busOptionsFor(sc));
  bus.recording = false; // replay compares each transaction as it ends; nothing drains bus.out
  input.hooks?.bus?.(bus);
  const faults = new ReplayFaults([]);
  bus.faults = faults;
  const buddy = new ScriptedBuddy(faults);
  bus.attach(buddy);
  const hello = input.facts.hello;
  const driver = new Driver(sched, bus, {
    ...driverOptionsFor(sc),
    // The captured hello says how that driver was configured; a world file may not.
    ...(hello ? { cpuCredit: Math.max(1, hello.credit), traceLevel: hello.trace_level, maxFrame: hello.max_frame } : {}),
  });
  input.hooks?.driver?.(driver);
  // Until the first captured edge the lines are as they were when the capture began: unknown, so low.
  const clock = new SimClock(sched, input.speed);
  const cmp = new Comparator(input.level, input.ignore, 'cpu-to-buddy');
  const deriver = new HostActionDeriver();
  const notes: string[] = [];
  let unmatched = 0;
  let stalled = false;

  const rules = new ProtocolCheck(input.level);
  buddy.onClocked = (captured, mosi) => {
    if (!captured) {
      unmatched++;
      return;
    }
    input.collector.saw(captured);
    const actual = captured.rebuilt ? mosi.subarray(0, Math.min(mosi.length, captured.mosi?.length ?? mosi.length)) : mosi;
    input.collector.add(cmp.compare(captured.index, captured.startNs, captured.mosi, actual));
    input.collector.add(rules.check(captured, mosi));
  };

  // Frames the host queue had no room for yet, handed over as room frees (in virtual time).
  const ethQueue: Uint8Array[] = [];
  let waitingForSpace = false;
  const pumpEthernet = (): void => {
    while (ethQueue.length && driver.sendEthernet(ethQueue[0])) ethQueue.shift();
    if (ethQueue.length && !waitingForSpace) {
      waitingForSpace = true;
      driver.onTxSpace(() => {
        waitingForSpace = false;
        pumpEthernet();
      });
    }
  };
  const act = (a: HostAction): void => {
    if (a.kind === 'hard-reset') return driver.hardReset();
    if (a.kind === 'ethernet') {
      ethQueue.push(a.frame);
      pumpEthernet();
      return;
    }
    const m = a.msg;
    switch (m.type) {
      case 'scan': void driver.scan(); break;
      case 'connect': void driver.connect(m.body.ssid, m.body.passphrase); break;
      case 'disconnect': void driver.disconnect(); break;
      case 'get_status': void driver.getStatus(); break;
      case 'set_trace_level': void driver.setTraceLevel(m.body.level); break;
      case 'echo': void driver.echo(m.body.data); break;
      case 'reset': void driver.reset(); break;
      default: notes.push(`captured CPU message ${m.type} #${m.id} is not a request the driver API offers: not replayed`);
    }
  };

  let lastNs = 0;
  const schedule = (e: CapturedEvent): void => {
    if (e.kind === 'txn') {
      // Armed as soon as read: the driver may clock it the instant a line edge before it is replayed.
      buddy.queue.push(e);
      for (const a of deriver.push(e)) sched.at(a.atNs, () => act(a));
      lastNs = e.endNs;
    } else if (e.kind === 'line' && e.line === 'reset' && e.level === 0) {
      const a = deriver.resetFell(e.atNs);
      if (a) sched.at(a.atNs, () => act(a));
    }
  };
  const release = async (e: CapturedEvent): Promise<void> => {
    if (e.kind === 'txn') {
      await clock.runUntil(e.startNs);
      if ((e.index & 511) === 0) input.onProgress?.(e.startNs);
    } else if (e.kind === 'line' && e.line !== 'reset') {
      await clock.at(e.atNs, () => bus.setLine(e.line, e.level));
    } else await clock.runUntil(eventTime(e));
    if (buddy.queue.length > MAX_UNCLOCKED) stalled = true;
  };

  // Hold back what a message carried later may still have to precede (see host-actions.ts).
  await replayReadingAhead(input.events, { lookahead: LOOKAHEAD, holdNs: () => deriver.holdNs, onRead: schedule, release, stop: () => stalled });
  // Let the last transaction finish (its MOSI is compared at CS release).
  await clock.runUntil(lastNs + 1);
  input.collector.add(cmp.finish());
  if (stalled) {
    input.collector.add([{ txn: buddy.queue[0]?.index ?? -1, atNs: buddy.queue[0]?.startNs ?? lastNs, dir: 'cpu-to-buddy', level: input.level, what: `the simulated driver stopped clocking: ${buddy.queue.length} captured transactions left unanswered`, expected: null, actual: null }]);
  } else if (buddy.queue.length) {
    input.collector.add([{ txn: buddy.queue[0].index, atNs: buddy.queue[0].startNs, dir: 'cpu-to-buddy', level: input.level, what: `the simulated driver made ${buddy.queue.length} transaction(s) fewer than captured`, expected: null, actual: null }]);
  }
  if (unmatched) input.collector.add([{ txn: -1, atNs: sched.now, dir: 'cpu-to-buddy', level: input.level, what: `the simulated driver made ${unmatched} transaction(s) more than captured`, expected: null, actual: null }]);
  const ds = driver.stats;
  const rq = driver.requests.stats;
  notes.push(`driver: ${ds.handshakes} handshake(s)${ds.handshakes > 1 ? ' (re-synced after each buddy boot)' : ''}, ${rq.retries} request retries, ${rq.timeouts} timeouts, ${rq.resetFailures} requests failed by a reset, ${ds.livenessResets} liveness resets, ${driver.link.stats.rxBadHeader + driver.link.stats.rxBadPayload} corrupted MISO frames rejected`);
  notes.push(`protocol rules (credit, seq, epoch, message validity) checked on every simulated frame: ${rules.violations} broken where the capture kept them`);
  notes.push(`${deriver.derivedRequests} host request(s) and ${deriver.derivedFrames} Ethernet frame(s) recovered from the captured MOSI and handed to the driver`);
  return { stats: cmp.stats, durationNs: lastNs, transactions: buddy.clocked, delayed: 0, notes };
}
