/**
 * The simulator: both ends of the buddy link in deterministic virtual time.
 *
 * Consumes a scenario (captures/scenarios/*.json, see scenario.ts); emits the transaction stream the
 * link stage consumes (TxnRecord, LineRecord for READY/IRQ/RESET, AnomalyRecord cs-glitch), as
 * async batches in time order, and a SimReport when the stream ends.
 *
 *   import { loadScenario, runScenario } from './sim/index.ts';
 *   const run = runScenario(loadScenario('captures/scenarios/demo.json'));
 *   for await (const batch of run.records) sink(batch);
 *   const report = await run.done; // report.passed, report.counts, report.throughput
 *
 * Layout (one concern per module): scheduler.ts + prng.ts (virtual time, randomness), bus.ts (SPI
 * and side-band lines), buddy/ (firmware: link.ts headers and flow control, queues.ts, control.ts
 * request handlers, trace.ts, buddy.ts runner and lifecycle), driver/ (CPU: link.ts, requests.ts,
 * driver.ts runner and API), world/ (access points, air, network peer), net/ (packet builders),
 * host/ (the CPU's tiny IP stack), faults.ts, scenario.ts, script.ts (steps), report.ts, run.ts.
 */
export { runScenario, drainScenario, type SimRun, type RunOptions } from './run.ts';
export { loadScenario, parseScenario, scenarioSchema, type Scenario, type ScenarioInput, type Step } from './scenario.ts';
export { computedGoodput, type SimReport, type FloodReport } from './report.ts';
export type { StepResult, FloodMeasure } from './script.ts';
