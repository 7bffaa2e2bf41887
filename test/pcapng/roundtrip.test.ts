/**
 * Records -> pcapng -> records, byte for byte: a fixed sample of every kind and route, and random
 * records of every kind (fast-check). Also the lean (raw: false) mode, truncated files and
 * packets whose bytes do not decode.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { writeRecordsToPcapng } from '../../src/pcapng/sink.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import { BUDDY_INTERFACE_IDS, recordToPacket } from '../../src/pcapng/record-packets.ts';
import { frameInterface } from '../../src/link/buddy/pcapng.ts';
import { writeRecordEpb } from '../../src/pcapng/record-epb.ts';
import { encodeEpb } from '../../src/pcapng/blocks.ts';
import { ByteBuffer } from '../../src/pcapng/bytes.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { anomalyRecord, anyRecord, batches, canon, frameRecord, lineRecord, sampleRecords, tmpDir, txnRecord } from './fixtures.ts';

async function readAll(file: string): Promise<{ records: BuddyRecord[]; status: ReturnType<typeof readRecordsFromPcapng>['status'] }> {
  const src = readRecordsFromPcapng(file);
  const records: BuddyRecord[] = [];
  for await (const b of src) records.push(...b);
  return { records, status: src.status };
}

describe('record <-> pcapng mapping', () => {
  const dir = tmpDir();
  let n = 0;
  const file = () => path.join(dir, `rt-${n++}.pcapng`);

  it('round-trips one record of every kind and every frame route exactly', async () => {
    const recs = sampleRecords();
    const f = file();
    const counts = await writeRecordsToPcapng(batches(recs, 3), f);
    assert.deepEqual(counts.byInterface, { eth: 2, link: 5, ble: 1, spi: 4, events: 2 });
    const back = await readAll(f);
    assert.deepEqual(canon(back.records), canon(recs));
    assert.equal(back.status.truncatedAt, undefined);
    assert.equal(back.status.badPackets, 0);
  });

  it('routes whole Ethernet and BLE frames to their own link types and everything else to buddy-link', () => {
    const routes = sampleRecords().filter((r) => r.kind === 'frame').map((r) => `${r.channel}:${frameInterface(r)}`);
    assert.deepEqual(routes, ['1:link', '0:link', '2:eth', '2:eth', '3:link', '4:ble', '1:link', '1:link']);
  });

  it('puts direction in epb_flags and the transaction index in epb_packetid', () => {
    const [, , control] = sampleRecords();
    const p = recordToPacket(control);
    assert.ok(p, 'every buddy record has a packet');
    assert.equal(p.flags, 0b10); // CPU -> buddy: outbound
    assert.equal(p.packetId, 0);
  });

  for (const [name, arb] of [['frame', frameRecord], ['txn', txnRecord], ['line', lineRecord], ['anomaly', anomalyRecord], ['mixed', anyRecord]] as const) {
    it(`round-trips random ${name} records byte for byte`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(arb as fc.Arbitrary<BuddyRecord>, { maxLength: 25 }), fc.integer({ min: 1, max: 8 }), async (recs, size) => {
          const f = file();
          await writeRecordsToPcapng(batches(recs, size), f);
          const back = await readAll(f);
          fs.rmSync(f);
          assert.deepEqual(canon(back.records), canon(recs));
        }),
        { numRuns: name === 'mixed' ? 150 : 60 },
      );
    });
  }

  it('leaves txn and line records out with raw: false and counts them as skipped', async () => {
    const recs = sampleRecords();
    const f = file();
    const counts = await writeRecordsToPcapng(batches(recs), f, { raw: false });
    assert.equal(counts.skipped, 4);
    assert.equal(counts.packets, recs.length - 4);
    const back = await readAll(f);
    assert.deepEqual(canon(back.records), canon(recs.filter((r) => r.kind !== 'txn' && r.kind !== 'line')));
  });

  it('reads a truncated file up to the cut, reports where, and ends with a truncated-capture anomaly', async () => {
    const recs = sampleRecords();
    const f = file();
    await writeRecordsToPcapng(batches(recs), f);
    const bytes = fs.readFileSync(f);
    const cutFile = file();
    fs.writeFileSync(cutFile, bytes.subarray(0, bytes.length - 10));
    const back = await readAll(cutFile);
    assert.deepEqual(canon(back.records.slice(0, -1)), canon(recs.slice(0, -1)));
    const last = back.records.at(-1);
    assert.equal(last?.kind === 'anomaly' && last.code, 'truncated-capture');
    assert.ok(back.status.truncatedAt !== undefined && back.status.truncatedAt < bytes.length - 10);
  });

  it('gives back, for a file cut at every byte offset, exactly the records of the complete blocks', async () => {
    const recs = sampleRecords().slice(0, 6);
    const f = file();
    await writeRecordsToPcapng(batches(recs), f);
    const bytes = fs.readFileSync(f);
    // Block ends, found by walking the total-length fields (independent of the reader).
    const ends: number[] = [];
    for (let at = 0; at < bytes.length; at += bytes.readUInt32LE(at + 4)) ends.push(at + bytes.readUInt32LE(at + 4));
    const firstEpb = 6; // SHB + 5 IDBs come first
    const cutFile = file();
    for (let cut = 0; cut <= bytes.length; cut++) {
      fs.writeFileSync(cutFile, bytes.subarray(0, cut));
      const back = await readAll(cutFile);
      const complete = ends.slice(firstEpb).filter((e) => e <= cut).length;
      const whole = ends.includes(cut);
      const got = back.records.filter((r) => r.kind !== 'anomaly' || r.code !== 'truncated-capture');
      assert.deepEqual(canon(got), canon(recs.slice(0, complete)), `cut ${cut}`);
      assert.equal(back.status.truncatedAt !== undefined, !whole, `cut ${cut}`);
    }
  });

  it('turns a packet whose bytes were damaged into a source-error anomaly naming its offset', async () => {
    const recs: BuddyRecord[] = [{ kind: 'line', startNs: 5, endNs: 5, line: 'cs', level: 0 }];
    const f = file();
    await writeRecordsToPcapng(batches(recs), f);
    const bytes = fs.readFileSync(f);
    // The line packet is the last block (32 bytes of EPB framing, a 20-byte SPI header, no options):
    // its SPI header's type byte sits 28 bytes into the EPB.
    const epbAt = bytes.length - (32 + 20);
    assert.equal(bytes.readUInt32LE(epbAt), 6);
    bytes[epbAt + 28] = 9;
    fs.writeFileSync(f, bytes);
    const back = await readAll(f);
    assert.equal(back.records.length, 1);
    const r = back.records[0];
    assert.ok(r.kind === 'anomaly' && r.code === 'source-error' && r.detail.startsWith(`byte ${epbAt}:`), JSON.stringify(r));
    assert.equal(back.status.badPackets, 1);
  });
});

describe('the sink fast path', () => {
  it('writes byte for byte the block encodeEpb(recordToPacket(r)) writes, for random records', () => {
    fc.assert(
      fc.property(anyRecord, (r) => {
        const a = new ByteBuffer(64);
        const b = new ByteBuffer(64);
        const key = writeRecordEpb(a, r, BUDDY_INTERFACE_IDS);
        const p = recordToPacket(r);
        assert.ok(p && key, 'every buddy record has a packet');
        encodeEpb(b, p);
        assert.equal(a.view().toString('hex'), b.view().toString('hex'));
        assert.equal(BUDDY_INTERFACE_IDS[key], p.interfaceId);
      }),
      { numRuns: 500 },
    );
  });

  it('leaves no half block behind when a record cannot be encoded', async () => {
    const f = path.join(tmpDir(), 'bad.pcapng');
    const good = sampleRecords().slice(0, 3);
    const bad = { kind: 'txn', startNs: 0, endNs: 1, txn: -1, mosi: new Uint8Array(3), miso: new Uint8Array(3) } as const;
    await assert.rejects(writeRecordsToPcapng(batches([...good, bad], 10), f), RangeError);
    const back = await readAll(f);
    assert.deepEqual(canon(back.records), canon(good));
    assert.equal(back.status.truncatedAt, undefined);
  });
});
