/**
 * Scenario settings -> component options, shared by the scenario runner (run.ts) and replay
 * (src/replay), so a replayed buddy or driver is configured exactly like the one that was captured.
 * Takes only the settings part of a scenario (no steps), which is also what a replay world file holds.
 */
import type { BuddyOptions } from './buddy/buddy.ts';
import { DEFAULT_BUS, type BusOptions } from './bus.ts';
import type { DriverOptions } from './driver/driver.ts';
import type { Scenario } from './scenario.ts';
import { DEFAULT_AIR } from './world/air.ts';
import type { WorldOptions } from './world/world.ts';

export type ScenarioSettings = Pick<Scenario, 'seed' | 'bus' | 'buddy' | 'driver' | 'world' | 'faults'>;

export function busOptionsFor(sc: ScenarioSettings): Partial<BusOptions> {
  return {
    ...(sc.bus.clockHz ? { clockHz: sc.bus.clockHz } : {}),
    ...(sc.bus.turnaroundNs !== undefined ? { turnaroundNs: sc.bus.turnaroundNs } : {}),
    ...(sc.bus.csGapNs !== undefined ? { csGapNs: sc.bus.csGapNs } : {}),
    mode: { ...DEFAULT_BUS.mode, cpol: sc.bus.cpol ?? 0, cpha: sc.bus.cpha ?? 0 },
    readyLine: !(sc.bus.irqOnly ?? false),
  };
}

export function worldOptionsFor(sc: ScenarioSettings): Partial<WorldOptions> {
  const air = {
    ...DEFAULT_AIR,
    ...(sc.world.airRateMbps ? { rateBps: sc.world.airRateMbps * 1e6 } : {}),
    ...(sc.world.mediumBusy !== undefined ? { busy: sc.world.mediumBusy } : {}),
  };
  return { aps: sc.world.aps, names: sc.world.names, air, ...(sc.world.backgroundMs !== undefined ? { backgroundMs: sc.world.backgroundMs } : {}) };
}

export function buddyOptionsFor(sc: ScenarioSettings): Partial<BuddyOptions> {
  const b = sc.buddy;
  return {
    ...(b.bootDelayMs !== undefined ? { bootDelayNs: b.bootDelayMs * 1e6 } : {}),
    ...(b.processingDelayUs !== undefined ? { processingDelayNs: b.processingDelayUs * 1e3 } : {}),
    ...(b.maxRequests ? { maxRequests: b.maxRequests } : {}),
    ...(b.wifiTxCapacity ? { wifiTxCapacity: b.wifiTxCapacity } : {}),
    ...(b.rxQueueCapacity ? { rxQueueCapacity: b.rxQueueCapacity } : {}),
    ...(b.traceQueueCapacity ? { traceQueueCapacity: b.traceQueueCapacity } : {}),
  };
}

export function driverOptionsFor(sc: ScenarioSettings): Partial<DriverOptions> {
  return {
    irqOnly: sc.bus.irqOnly ?? false,
    ...(sc.driver.traceLevel !== undefined ? { traceLevel: sc.driver.traceLevel } : {}),
    ...(sc.driver.cpuCredit ? { cpuCredit: sc.driver.cpuCredit } : {}),
  };
}
