/**
 * Runs a scenario's steps against the driver API and the host stack, one after the other, in
 * virtual time. Each step yields a StepResult (ok, an error code when it failed, a detail line);
 * the step's `expect` (default: ok) is checked by report.ts.
 */
import { fromHex } from '../protocol/bytes.ts';
import type { Driver } from './driver/driver.ts';
import type { RequestOutcome } from './driver/requests.ts';
import type { HostStack } from './host/stack.ts';
import { ipText, ipv4 } from './net/ip.ts';
import type { Scheduler } from './scheduler.ts';
import type { Step } from './scenario.ts';
import type { World } from './world/world.ts';

export interface FloodMeasure {
  readonly direction: 'tx' | 'rx';
  readonly frames: number;
  readonly size: number;
  readonly delivered: number;
  readonly payloadBytes: number;
  readonly startNs: number;
  readonly endNs: number;
}

export interface StepResult {
  readonly index: number;
  readonly do: Step['do'];
  readonly label?: string;
  readonly ok: boolean;
  readonly code?: string;
  readonly detail: string;
  readonly startNs: number;
  readonly endNs: number;
  readonly floods?: FloodMeasure[];
}

interface Ctx {
  sched: Scheduler;
  driver: Driver;
  host: HostStack;
  world: World;
  buddyRxDropped: () => number;
}

type Outcome = { ok: boolean; code?: string; detail: string; floods?: FloodMeasure[] };

function fromRequest(o: RequestOutcome, what: string): Outcome {
  if (o.ok) return { ok: true, detail: `${what}: ${o.reply ? o.reply.type : 'boot'} after ${o.attempts} attempt(s)` };
  return { ok: false, code: o.code, detail: `${what}: ${o.code}: ${o.text}` };
}

export async function runSteps(steps: readonly Step[], ctx: Ctx, onStep: (r: StepResult) => void): Promise<void> {
  await ctx.driver.whenReady();
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const startNs = ctx.sched.now;
    let out: Outcome;
    try {
      out = await runStep(s, ctx);
    } catch (err) {
      out = { ok: false, code: 'exception', detail: err instanceof Error ? err.message : String(err) };
    }
    onStep({ index: i, do: s.do, ...(s.label ? { label: s.label } : {}), ...out, startNs, endNs: ctx.sched.now });
  }
}

async function runStep(s: Step, c: Ctx): Promise<Outcome> {
  const { driver, host, sched } = c;
  switch (s.do) {
    case 'scan': {
      const o = await driver.scan();
      if (o.ok && o.reply?.type === 'scan_result') return { ok: true, detail: `scan: ${o.reply.body.aps.map((a) => `${a.ssid}(${a.rssi})`).join(', ') || 'nothing'}` };
      return fromRequest(o, 'scan');
    }
    case 'connect':
      return fromRequest(await driver.connect(s.ssid, s.passphrase), `connect ${s.ssid}`);
    case 'disconnect':
      return fromRequest(await driver.disconnect(), 'disconnect');
    case 'status':
      return fromRequest(await driver.getStatus(), 'get_status');
    case 'set_trace_level':
      return fromRequest(await driver.setTraceLevel(s.level), `set_trace_level ${s.level}`);
    case 'echo':
      return fromRequest(await driver.echo(fromHex(s.hex) ?? new Uint8Array(0)), 'echo');
    case 'reset': {
      if (s.hard) driver.hardReset();
      else {
        const o = await driver.reset();
        if (!o.ok) return fromRequest(o, 'reset');
      }
      await sched.sleep(1_000_000);
      await driver.whenReady();
      return { ok: true, detail: `reset: re-synced to epoch ${driver.link.epoch}` };
    }
    case 'wait':
      await sched.sleep(s.ms * 1e6);
      return { ok: true, detail: `waited ${s.ms} ms` };
    case 'dhcp': {
      const ip = await host.dhcp();
      return ip ? { ok: true, detail: `dhcp: leased ${ipText(ip)}` } : { ok: false, code: 'timeout', detail: 'dhcp: no lease' };
    }
    case 'ping': {
      const target = s.target ? ipv4(s.target) : host.router;
      if (!target) return { ok: false, code: 'no-route', detail: 'ping: no address (run dhcp first)' };
      const rtts: string[] = [];
      let lost = 0;
      for (let k = 1; k <= s.count; k++) {
        const rtt = await host.ping(target, k);
        if (rtt === null) lost++;
        else rtts.push(`${(rtt / 1e6).toFixed(2)}ms`);
        if (k < s.count && s.intervalMs > 0) await sched.sleep(s.intervalMs * 1e6);
      }
      const detail = `ping ${ipText(target)}: ${s.count - lost}/${s.count} answered (${rtts.join(' ')})`;
      return lost ? { ok: false, code: 'lost', detail } : { ok: true, detail };
    }
    case 'resolve': {
      const a = await host.resolve(s.name);
      return a ? { ok: true, detail: `resolve ${s.name}: ${ipText(a)}` } : { ok: false, code: 'nxdomain', detail: `resolve ${s.name}: no address` };
    }
    case 'send_raw': {
      await host.send(fromHex(s.hex) ?? new Uint8Array(0));
      return { ok: true, detail: `sent ${s.hex.length / 2} raw bytes` };
    }
    case 'flood':
      return flood(s, c);
  }
}

async function flood(s: Extract<Step, { do: 'flood' }>, c: Ctx): Promise<Outcome> {
  const { driver, host, sched, world } = c;
  const floods: FloodMeasure[] = [];
  const tx0 = { frames: world.peer.stats.discardFrames, bytes: driver.stats.ethTxBytes };
  const rx0 = { frames: host.stats.floodRxFrames, bytes: host.stats.floodRxBytes, dropped: c.buddyRxDropped() };
  const wantTx = s.direction !== 'rx';
  const wantRx = s.direction !== 'tx';
  // Warm the ARP cache first so the measured span is the flood alone.
  if (!(await host.arp(host.router ?? ipv4('10.0.0.1')))) return { ok: false, code: 'no-route', detail: 'flood: gateway did not answer ARP' };
  const start = sched.now;
  driver.ethSpan.txLast = -1;
  driver.ethSpan.rxLast = -1;
  if (wantRx) world.peer.flood(s.frames, s.size);
  if (wantTx) await host.floodTx(s.frames, s.size);
  const deadline = sched.now + s.frames * 2e6 + 2e9;
  for (;;) {
    const txDone = !wantTx || world.peer.stats.discardFrames - tx0.frames >= s.frames;
    const rxSeen = host.stats.floodRxFrames - rx0.frames + (c.buddyRxDropped() - rx0.dropped);
    const rxDone = !wantRx || rxSeen >= s.frames;
    if ((txDone && rxDone) || sched.now > deadline) break;
    await sched.sleep(5_000_000);
  }
  if (wantTx) {
    const delivered = world.peer.stats.discardFrames - tx0.frames;
    floods.push({ direction: 'tx', frames: s.frames, size: s.size, delivered, payloadBytes: driver.stats.ethTxBytes - tx0.bytes, startNs: start, endNs: driver.ethSpan.txLast });
  }
  if (wantRx) {
    const delivered = host.stats.floodRxFrames - rx0.frames;
    floods.push({ direction: 'rx', frames: s.frames, size: s.size, delivered, payloadBytes: host.stats.floodRxBytes - rx0.bytes, startNs: start, endNs: driver.ethSpan.rxLast });
  }
  const lostTx = wantTx ? s.frames - floods[0].delivered : 0;
  const detail = floods.map((f) => `${f.direction}: ${f.delivered}/${f.frames} frames in ${((f.endNs - f.startNs) / 1e6).toFixed(1)} ms`).join('; ');
  return lostTx > 0 ? { ok: false, code: 'lost', detail, floods } : { ok: true, detail, floods };
}
