/** A bridge that restarts (a new session, e.g. `simulate --serve --loop`) starts the link afresh. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openRecords } from '../../src/pipeline/open-records.ts';
import { LinkDecoder } from '../../src/link/buddy/decoder.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { collect, ROOT } from '../cli/helpers.ts';

test('after a bridge-reset the same session replayed again is not a stream of repeats', async () => {
  const txns = (await collect((await openRecords(join(ROOT, 'captures/golden/demo.pcapng.gz'))).records)).filter((r) => r.kind === 'txn' || r.kind === 'line');
  const end = txns[txns.length - 1].endNs;
  const again = txns.map((r) => ({ ...r, startNs: r.startNs + end, endNs: r.endNs + end }) as BuddyRecord);
  const reset: BuddyRecord = { kind: 'anomaly', startNs: end, endNs: end, code: 'bridge-reset', detail: 'the bridge restarted' };
  const withReset = new LinkDecoder().push([...txns, reset, ...again]);
  const codes = withReset.filter((r) => r.kind === 'anomaly').map((r) => (r.kind === 'anomaly' ? r.code : ''));
  assert.deepEqual(codes, ['bridge-reset']);
  const without = new LinkDecoder().push([...txns, ...again]);
  assert.ok(without.some((r) => r.kind === 'anomaly' && r.code !== 'bridge-reset'), 'without the reset marker the second session looks wrong');
});
