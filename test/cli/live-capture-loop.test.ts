/**
 * The live capture loop (src/cli/live/capture-loop.ts) over stand-in live sources: the file holds
 * exactly what the link stage decoded from the stream, --count stops at that many packets (raw or
 * not), --duration and stop() end an endless stream with a valid file, capture gaps are counted,
 * and a failing source still leaves a closed, valid file before its error comes out.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, it } from 'node:test';
import { LiveCapture, recordsForPackets } from '../../src/cli/live/capture-loop.ts';
import { openScenario } from '../../src/pipeline/scenario-path.ts';
import { decodeLink } from '../../src/link/stream.ts';
import { createLinkStage } from '../../src/link/select.ts';
import { RecordPcapngSink } from '../../src/pcapng/sink.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import { PcapngWriter } from '../../src/pcapng/writer.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { runScenario } from '../../src/sim/run.ts';
import { canonical, collect, tempDir } from './helpers.ts';
import { fakeLive, fromArray, ticking, txn } from './live-helpers.ts';

async function fileSink(file: string, raw = true): Promise<RecordPcapngSink> {
  const sink = new RecordPcapngSink(PcapngWriter.create(file), { raw });
  await sink.flush();
  return sink;
}

async function readBack(file: string): Promise<{ records: BuddyRecord[]; truncatedAt: number | undefined }> {
  const stream = readRecordsFromPcapng(file);
  const records = await collect(stream);
  return { records, truncatedAt: stream.status.truncatedAt };
}

const simRecords = (name: string) => runScenario(openScenario(name)).records;

describe('LiveCapture', () => {
  it('writes what the link stage decodes, batch by batch, until the source ends', async () => {
    const file = path.join(tempDir(), 'demo.pcapng');
    let batches = 0;
    const cap = new LiveCapture(fakeLive(simRecords('demo')), await fileSink(file), { onBatch: () => batches++ });
    const r = await cap.run();
    const expected = await collect(decodeLink(simRecords('demo'), createLinkStage('buddy')));
    assert.equal(r.stoppedBy, 'end');
    assert.equal(r.summary.records, expected.length);
    assert.equal(r.counts.packets, expected.length);
    assert.ok(batches >= 1);
    const back = await readBack(file);
    assert.equal(back.truncatedAt, undefined);
    assert.deepEqual(canonical(back.records), canonical(expected));
  });

  it('stops at --count packets, counting every record with raw on', async () => {
    const file = path.join(tempDir(), 'count.pcapng');
    const live = fakeLive(simRecords('demo'));
    const r = await new LiveCapture(live, await fileSink(file), { count: 57 }).run();
    assert.equal(r.stoppedBy, 'count');
    assert.equal(r.counts.packets, 57);
    assert.ok(live.stopped(), 'the source is stopped');
    const back = await readBack(file);
    const expected = await collect(decodeLink(simRecords('demo'), createLinkStage('buddy')));
    assert.deepEqual(canonical(back.records), canonical(expected.slice(0, 57)), 'the first 57 records');
  });

  it('with raw off, --count counts the packets written, not the transactions left out', async () => {
    const file = path.join(tempDir(), 'lean.pcapng');
    const r = await new LiveCapture(fakeLive(simRecords('demo')), await fileSink(file, false), { count: 20, raw: false }).run();
    assert.equal(r.counts.packets, 20);
    assert.ok(r.counts.skipped > 0, 'raw records were left out');
    const back = await readBack(file);
    assert.equal(back.records.length, 20);
    assert.ok(back.records.every((x) => x.kind === 'frame' || x.kind === 'anomaly'));
  });

  it('recordsForPackets skips what the sink leaves out', () => {
    const frame: BuddyRecord = { kind: 'anomaly', code: 'bad-sync', detail: '', startNs: 0, endNs: 0 };
    const batch = [txn(0), frame, txn(1), frame, frame];
    assert.equal(recordsForPackets(batch, 2, true), 2);
    assert.equal(recordsForPackets(batch, 9, true), 5);
    assert.equal(recordsForPackets(batch, 2, false), 4, 'two packets: up to (not including) the third anomaly');
    assert.equal(recordsForPackets(batch, 0, false), 1, 'the leading transaction costs no packet');
  });

  it('ends an endless stream after --duration, with a whole file', async () => {
    const file = path.join(tempDir(), 'dur.pcapng');
    const t0 = Date.now();
    const r = await new LiveCapture(fakeLive(ticking()), await fileSink(file), { durationMs: 300 }).run();
    const took = Date.now() - t0;
    assert.equal(r.stoppedBy, 'duration');
    assert.ok(took >= 290 && took < 5000, `ran ${took} ms`);
    assert.ok(r.summary.records > 0);
    const back = await readBack(file);
    assert.equal(back.truncatedAt, undefined);
    assert.equal(back.records.length, r.counts.packets);
  });

  it('stop() (a signal) ends the capture after what was received, and the first reason wins', async () => {
    const file = path.join(tempDir(), 'int.pcapng');
    const cap = new LiveCapture(fakeLive(ticking()), await fileSink(file), { durationMs: 60_000 });
    setTimeout(() => cap.stop('interrupted'), 100);
    setTimeout(() => cap.stop('terminated'), 120);
    const r = await cap.run();
    assert.equal(r.stoppedBy, 'interrupted');
    const back = await readBack(file);
    assert.equal(back.truncatedAt, undefined);
    assert.equal(back.records.length, r.counts.packets);
  });

  it('counts capture gaps in the summary and writes them to the file', async () => {
    const file = path.join(tempDir(), 'gap.pcapng');
    const gap: BuddyRecord = { kind: 'anomaly', code: 'capture-gap', detail: 'reconnected after 0.2 s', startNs: 600_000, endNs: 900_000 };
    const r = await new LiveCapture(fakeLive(fromArray([[txn(0), txn(1)], [gap], [txn(20)]])), await fileSink(file)).run();
    assert.equal(r.gaps, 1);
    assert.equal(r.summary.anomalies['capture-gap'], 1);
    const back = await readBack(file);
    assert.equal(back.records.filter((x) => x.kind === 'anomaly' && x.code === 'capture-gap').length, 1);
  });

  it('a failing source leaves a closed, valid file holding what came before, then rethrows', async () => {
    const file = path.join(tempDir(), 'fail.pcapng');
    async function* failing(): AsyncGenerator<BuddyRecord[]> {
      yield [txn(0), txn(1), txn(2)];
      throw new Error('bridge went away');
    }
    const cap = new LiveCapture(fakeLive(failing()), await fileSink(file));
    await assert.rejects(cap.run(), /bridge went away/);
    assert.equal(cap.stoppedBy, 'error');
    const back = await readBack(file);
    assert.equal(back.truncatedAt, undefined);
    assert.equal(back.records.filter((x) => x.kind === 'txn').length, 3);
  });
});
