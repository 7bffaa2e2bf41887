/** The capinfos-like summary: counts per interface, channel, direction and anomaly code; span; truncation. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeRecordsToPcapng } from '../../src/pcapng/sink.ts';
import { summarizePcapng } from '../../src/pcapng/summary.ts';
import { batches, sampleRecords, tmpDir } from './fixtures.ts';

describe('pcapng summary', () => {
  const dir = tmpDir();

  it('counts records, channels, directions and anomalies of a buddyshark file', async () => {
    const f = path.join(dir, 's.pcapng');
    await writeRecordsToPcapng(batches(sampleRecords()), f);
    const s = await summarizePcapng(f);
    assert.equal(s.sections, 1);
    assert.match(s.userappl ?? '', /^buddyshark /);
    assert.equal(s.packets, 14);
    assert.deepEqual(s.records, { txn: 2, line: 2, frame: 8, anomaly: 2 });
    assert.deepEqual(s.channels, { control: 3, link: 1, ethernet: 2, trace: 1, bleHci: 1 });
    assert.deepEqual(s.directions, { 'cpu-to-buddy': 3, 'buddy-to-cpu': 5 });
    assert.deepEqual(s.anomalies, { 'payload-crc': 1, 'lost-frames': 1 });
    assert.deepEqual(s.interfaces.map((i) => [i.name, i.linkType, i.packets]), [
      ['buddy-eth', 1, 2], ['buddy-link', 252, 5], ['buddy-ble', 201, 1], ['buddy-spi', 147, 4], ['buddy-events', 252, 2],
    ]);
    assert.equal(s.firstNs, 100);
    assert.equal(s.lastNs, 43_000);
    assert.equal(s.durationNs, 42_900);
    assert.equal(s.truncated, false);
    assert.equal(s.badPackets, 0);
    assert.doesNotThrow(() => JSON.stringify(s));
  });

  it('reports truncation with the offset of the cut block', async () => {
    const f = path.join(dir, 't.pcapng');
    await writeRecordsToPcapng(batches(sampleRecords()), f);
    const bytes = fs.readFileSync(f);
    fs.writeFileSync(f, bytes.subarray(0, bytes.length - 3));
    const s = await summarizePcapng(f);
    assert.equal(s.truncated, true);
    assert.equal(s.packets, 13);
    assert.ok(s.truncatedAt !== null && s.truncatedAt > 0 && s.truncatedAt < bytes.length);
  });
});
