/** `npm run golden`: rewrites captures/golden/ from captures/scenarios/ (see src/replay/golden.ts). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeGolden } from '../src/replay/golden.ts';
import { loadScenario } from '../src/sim/scenario.ts';

const root = join(import.meta.dirname, '..');
for (const f of readdirSync(join(root, 'captures/scenarios')).filter((n) => n.endsWith('.json')).sort()) {
  const g = await writeGolden(loadScenario(join(root, 'captures/scenarios', f)), join(root, 'captures/golden'));
  process.stdout.write(`${g.capture}: ${g.packets} packets; ${g.world}\n`);
}
