/**
 * Writes a transaction stream (.ndjson, one TxnRecord per line) for trying the viewer by hand:
 * node --import tsx test/tui/make-sample.ts out.ndjson [repeats]. Each repeat is the test capture
 * (requests, replies, ethernet, a header-CRC fault, idle traffic) shifted in time.
 */
import { createWriteStream } from 'node:fs';
import { recordToJson } from '../../src/records/json.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { sampleTxns } from './fixtures.ts';

const [out = 'sample.ndjson', repeats = '20'] = process.argv.slice(2);
const w = createWriteStream(out);
const base = sampleTxns();
const period = 4_100_000;
let txn = 0;
for (let k = 0; k < Number(repeats); k++) {
  for (const r of base) {
    const shifted: BuddyRecord = r.kind === 'txn'
      ? { ...r, startNs: r.startNs + k * period, endNs: r.endNs + k * period, txn: txn++ }
      : { ...r, startNs: r.startNs + k * period, endNs: r.endNs + k * period };
    w.write(`${JSON.stringify(recordToJson(shifted))}\n`);
  }
}
w.end();
