/**
 * Scenario files (captures/scenarios/*.json): a seed, bus/buddy/driver/world settings, steps, faults
 * and per-step expectations. Validated with zod (scenario-schema.ts holds the schema and its
 * bounds); a bad file throws a SourceError naming the file as given, the line and column, and the
 * field: `scenarios/x.json: line 9, column 21: steps.3.count: expected number, got "three"`.
 *
 * Example:
 *   { "name": "demo", "seed": 1, "world": { "aps": [{ "ssid": "lab", "channel": 6, "rssi": -50,
 *     "security": "wpa2", "passphrase": "correct horse" }], "names": { "buddy.local": "10.0.0.7" } },
 *     "steps": [{ "do": "scan" }, { "do": "connect", "ssid": "lab", "passphrase": "correct horse" },
 *     { "do": "dhcp" }, { "do": "ping", "count": 3 }, { "do": "resolve", "name": "buddy.local" }] }
 */
import { SourceError } from '../sources/errors.ts';
import { fieldFault, pathText, readJsonFile, settingsErrors } from './json-file.ts';
import { scenarioSchema, type Scenario } from './scenario-schema.ts';

export { MAX_ECHO_BYTES, MAX_VIRTUAL_MS, scenarioSchema, type Faults, type Scenario, type ScenarioInput, type Step } from './scenario-schema.ts';

/** Validates parsed JSON; `source` names it in errors, with the field as the place (no text to point into). */
export function parseScenario(value: unknown, source = 'scenario'): Scenario {
  const r = scenarioSchema.safeParse(value, { error: settingsErrors });
  if (r.success) return r.data;
  const f = fieldFault(r.error);
  throw new SourceError(source, pathText(f.path), f.reason);
}

/** Reads and validates a scenario file; `path` is named in errors exactly as given. */
export function loadScenario(path: string): Scenario {
  return readJsonFile(path, scenarioSchema);
}
