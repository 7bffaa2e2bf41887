/** Finds a scenario by path or by name in captures/scenarios/, and loads it (with a seed override). */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { UserFacingError } from '../errors.ts';
import { loadScenario, type Scenario } from '../sim/index.ts';
import { ROOT } from '../paths.ts';

/** A scenario that cannot be found or configured as asked (the CLI prints it on one line, exit 2). */
export class ScenarioError extends UserFacingError {
  override name = 'ScenarioError';
}

export const SCENARIO_DIR = join(ROOT, 'captures', 'scenarios');

export function scenarioNames(): string[] {
  try {
    return readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  } catch {
    return [];
  }
}

/** A path that exists, or the name of a shipped scenario; null when it is neither. */
export function scenarioPath(nameOrPath: string): string | null {
  if (existsSync(nameOrPath)) return nameOrPath;
  const shipped = join(SCENARIO_DIR, `${nameOrPath}.json`);
  return /^[\w-]+$/.test(nameOrPath) && existsSync(shipped) ? shipped : null;
}

export function openScenario(nameOrPath: string, seed?: number): Scenario {
  const path = scenarioPath(nameOrPath);
  if (!path) throw new ScenarioError(`${nameOrPath}: no such scenario file or shipped scenario (shipped: ${scenarioNames().join(', ')})`);
  const sc = loadScenario(path);
  if (seed === undefined) return sc;
  if (!Number.isInteger(seed) || seed < 0) throw new ScenarioError(`--seed must be a non-negative integer (got ${seed})`);
  return { ...sc, seed };
}
