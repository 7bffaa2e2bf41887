import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { controlMessage, encodeControl } from '../../src/protocol/control.ts';
import { recordFromJson, recordToJson, RecordJsonError } from '../../src/records/json.ts';
import { readNdjsonRecords } from '../../src/pipeline/ndjson-records.ts';
import type { BuddyRecord } from '../../src/records/types.ts';

const msg = encodeControl(controlMessage('connected', 3, { ssid: 'lab', bssid: new Uint8Array([1, 2, 3, 4, 5, 6]), channel: 6, rssi: -40 }));
const RECORDS: BuddyRecord[] = [
  { kind: 'txn', startNs: 10, endNs: 90, txn: 0, mosi: new Uint8Array([0xb5, 1]), miso: new Uint8Array([0, 0]), partialBits: 3 },
  { kind: 'line', startNs: 95, endNs: 95, line: 'ready', level: 1 },
  {
    kind: 'frame', startNs: 100, endNs: 900, txn: 1, dir: 'buddy-to-cpu', channel: 1, flags: 4, seq: 2, ack: 1, credit: 8, epoch: 9,
    payload: msg, fragments: 1, message: msg,
    decoded: { kind: 'control', msg: controlMessage('connected', 3, { ssid: 'lab', bssid: new Uint8Array([1, 2, 3, 4, 5, 6]), channel: 6, rssi: -40 }) },
  },
  { kind: 'anomaly', startNs: 100, endNs: 900, code: 'lost-frames', detail: '2 lost', txn: 1, dir: 'buddy-to-cpu', count: 2 },
  // A MOSI-only capture of 9-bit words: the word width travels with the transaction.
  { kind: 'txn', startNs: 991, endNs: 994, txn: 2, mosi: new Uint8Array([0x01, 0xa5]), miso: new Uint8Array(0), wordBits: 9 },
];

describe('record JSON form', () => {
  it('round-trips every record kind through JSON text, recomputing decoded messages from bytes', () => {
    for (const r of RECORDS) {
      const back = recordFromJson(JSON.parse(JSON.stringify(recordToJson(r))));
      assert.deepEqual(JSON.stringify(recordToJson(back)), JSON.stringify(recordToJson(r)));
      if (r.kind === 'frame') assert.equal(back.kind === 'frame' && back.decoded?.kind, 'control');
    }
  });

  it('writes bytes as lower-case hex and MACs inside messages as hex too', () => {
    const j = recordToJson(RECORDS[2]);
    assert.equal(typeof j.payload, 'string');
    assert.match(String(j.payload), /^[0-9a-f]+$/);
    assert.equal((j.decoded as { msg: { body: { bssid: string } } }).msg.body.bssid, '010203040506');
  });

  it('reads an anomaly code it does not list (another link protocol\'s, a newer buddyshark\'s)', () => {
    const r = recordFromJson({ kind: 'anomaly', startNs: 0, endNs: 1, code: 'checksum-mismatch', detail: 'x', txn: 3 });
    assert.deepEqual(r, { kind: 'anomaly', startNs: 0, endNs: 1, code: 'checksum-mismatch', detail: 'x', txn: 3 });
  });

  it('names the field at fault in malformed JSON records', () => {
    assert.throws(() => recordFromJson({ kind: 'txn', startNs: 0, endNs: 1, txn: 0, mosi: 'zz', miso: '' }), (e: Error) => e instanceof RecordJsonError && /mosi/.test(e.message));
    assert.throws(() => recordFromJson({ kind: 'anomaly', startNs: 0, endNs: 1, code: 'No Such Code!', detail: '' }), /anomaly code "No Such Code!" is not a kebab-case code/);
    assert.throws(() => recordFromJson({ kind: 'anomaly', startNs: 0, endNs: 1, code: 7, detail: '' }), /anomaly code 7/);
    assert.throws(() => recordFromJson({ kind: 'wat' }), /unknown record kind/);
    assert.throws(() => recordFromJson([1]), /not an object/);
  });
});

describe('readNdjsonRecords', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bs-ndjson-'));

  it('reads records line by line and ignores blank lines', async () => {
    const path = join(dir, 'ok.ndjson');
    writeFileSync(path, `${RECORDS.map((r) => JSON.stringify(recordToJson(r))).join('\n\n')}\n`);
    const got: BuddyRecord[] = [];
    for await (const b of readNdjsonRecords(path)) got.push(...b);
    assert.deepEqual(got.map((r) => r.kind), ['txn', 'line', 'frame', 'anomaly', 'txn']);
  });

  it('delivers the records before a bad line, then fails naming the file and line', async () => {
    const path = join(dir, 'bad.ndjson');
    writeFileSync(path, `${JSON.stringify(recordToJson(RECORDS[0]))}\n{"kind": "txn", broken\n`);
    const got: BuddyRecord[] = [];
    await assert.rejects(async () => {
      for await (const b of readNdjsonRecords(path)) got.push(...b);
    }, (e: Error) => e.name === 'SourceError' && e.message === `${path}: line 2: not valid JSON`);
    assert.equal(got.length, 1);
  });

  it('rejects time going backwards with the line number', async () => {
    const path = join(dir, 'back.ndjson');
    writeFileSync(path, `${JSON.stringify(recordToJson(RECORDS[1]))}\n${JSON.stringify(recordToJson(RECORDS[0]))}\n`);
    await assert.rejects(async () => {
      for await (const _ of readNdjsonRecords(path)) void _;
    }, /line 2: time goes backwards/);
  });
});
