/**
 * Writes a transaction stream (.ndjson, one TxnRecord per line) for trying the viewer by hand:
 * node --import tsx test/tui/make-sample.ts out.ndjson [repeats=20]. Each repeat is the test
 * capture's exchange (requests, replies, ethernet, a header-CRC fault, idle traffic), 4.1 ms apart.
 */
import { writeFileSync } from 'node:fs';
import { recordToJson } from '../../src/records/json.ts';
import { sampleTxns } from './fixtures.ts';

const [out = 'sample.ndjson', repeats = '20'] = process.argv.slice(2);
writeFileSync(out, sampleTxns(Number(repeats)).map((r) => `${JSON.stringify(recordToJson(r))}\n`).join(''));
