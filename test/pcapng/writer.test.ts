/**
 * Writer outputs and overwrite protection: `wx` unless force, fd and stream outputs, and one write
 * per batch (a killed writer leaves whole blocks only).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import { OutputExistsError, PcapngWriter } from '../../src/pcapng/writer.ts';
import { writeRecordsToPcapng, writeRecordsToPcapngOutput } from '../../src/pcapng/sink.ts';
import { readPcapng, type PcapngBlock } from '../../src/pcapng/reader.ts';
import { batches, sampleRecords, tmpDir } from './fixtures.ts';

async function blocksOf(file: string): Promise<PcapngBlock[]> {
  const out: PcapngBlock[] = [];
  for await (const b of readPcapng(file)) out.push(b);
  return out;
}

describe('pcapng writer', () => {
  const dir = tmpDir();

  it('refuses to overwrite an existing file unless force is set', async () => {
    const f = path.join(dir, 'exists.pcapng');
    fs.writeFileSync(f, 'precious');
    assert.throws(() => PcapngWriter.create(f), (e: unknown) => e instanceof OutputExistsError && /already exists.*--force/.test(e.message));
    await assert.rejects(writeRecordsToPcapng(batches(sampleRecords()), f), OutputExistsError);
    assert.equal(fs.readFileSync(f, 'utf8'), 'precious');
    const counts = await writeRecordsToPcapng(batches(sampleRecords()), f, { force: true });
    assert.equal(counts.packets, sampleRecords().length);
    assert.equal(fs.readFileSync(f).readUInt32LE(0), 0x0a0d0d0a);
  });

  it('writes shb_userappl "buddyshark <version>" and nanosecond interfaces', async () => {
    const f = path.join(dir, 'appl.pcapng');
    const w = PcapngWriter.create(f);
    w.addInterface({ linkType: 1, name: 'x' });
    await w.close();
    const [shb, idb] = await blocksOf(f);
    assert.ok(shb.type === 'shb' && /^buddyshark \d+\.\d+\.\d+/.test(shb.userappl ?? ''));
    assert.ok(idb.type === 'idb' && idb.tsresol === 9);
  });

  it('flushes each batch in one write, so the file on disk always ends on a block boundary', async () => {
    const f = path.join(dir, 'flush.pcapng');
    const w = PcapngWriter.create(f);
    const id = w.addInterface({ linkType: 1, name: 'e' });
    for (let i = 0; i < 5; i++) {
      await w.writePackets([{ interfaceId: id, timestamp: i, data: new Uint8Array(i * 3) }, { interfaceId: id, timestamp: i, data: Uint8Array.of(i) }]);
      // Not closed yet: what is on disk must already parse with no truncation.
      const blocks = await blocksOf(f);
      assert.equal(blocks.filter((b) => b.type === 'epb').length, 2 * (i + 1));
      assert.equal(blocks.some((b) => b.type === 'truncated'), false);
    }
    await w.close();
  });

  it('rejects a packet naming an interface that was not added', async () => {
    const w = PcapngWriter.create(path.join(dir, 'noif.pcapng'));
    await assert.rejects(w.writePackets([{ interfaceId: 0, timestamp: 0, data: new Uint8Array(1) }]), RangeError);
    await w.close();
  });

  it('writes to an open file descriptor and to a stream with the same bytes', async () => {
    const f = path.join(dir, 'fd.pcapng');
    const fd = fs.openSync(f, 'w');
    await writeRecordsToPcapngOutput(batches(sampleRecords()), fd, { userappl: 'x' });
    fs.closeSync(fd);
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    await writeRecordsToPcapngOutput(batches(sampleRecords()), stream, { userappl: 'x' });
    assert.equal(Buffer.concat(chunks).toString('hex'), fs.readFileSync(f).toString('hex'));
  });

  it('sends the section header and the five interfaces before the first record arrives (live outputs)', async () => {
    const stream = new PassThrough();
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* quiet() {
      await gate;
      yield sampleRecords().slice(0, 1);
    }
    const done = writeRecordsToPcapngOutput(quiet(), stream);
    await new Promise((r) => setTimeout(r, 20));
    const head = Buffer.concat(chunks);
    const types: number[] = [];
    for (let at = 0; at < head.length; at += head.readUInt32LE(at + 4)) types.push(head.readUInt32LE(at));
    assert.deepEqual(types, [0x0a0d0d0a, 1, 1, 1, 1, 1]);
    release();
    await done;
  });

  it('flushes and closes what was written when the record stream fails', async () => {
    const f = path.join(dir, 'fail.pcapng');
    async function* failing() {
      yield sampleRecords().slice(0, 3);
      throw new Error('source died');
    }
    await assert.rejects(writeRecordsToPcapng(failing(), f), /source died/);
    const blocks = await blocksOf(f);
    assert.equal(blocks.filter((b) => b.type === 'epb').length, 3);
  });
});
