/**
 * The ring of pcapng files: names like dumpcap's, a switch once a file reaches its size, only the
 * newest N kept, every file a complete capture (our reader and tshark), and the kept files'
 * records, concatenated, equal to the tail of what was written.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { readPcapng, type PcapngBlock } from '../../src/pcapng/reader.ts';
import { ringFileName, ringTimestamp, RingPcapngSink, SLICE_RECORDS } from '../../src/pcapng/ring.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import { OutputExistsError } from '../../src/pcapng/writer.ts';
import type { BuddyRecord, TxnRecord } from '../../src/records/types.ts';
import { canonical, collect } from '../cli/helpers.ts';
import { HAS_TSHARK, tmpDir, tshark } from './fixtures.ts';

/** n raw transactions of 64 bytes each way, 10 µs apart (each about 200 bytes in the file). */
function txns(n: number, from = 0): TxnRecord[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    const mosi = new Uint8Array(64).fill(i & 0xff);
    const miso = new Uint8Array(64).fill((i * 7) & 0xff);
    return { kind: 'txn', txn: i, startNs: i * 10_000, endNs: i * 10_000 + 6_000, mosi, miso };
  });
}

async function blocksOf(file: string): Promise<PcapngBlock[]> {
  const out: PcapngBlock[] = [];
  for await (const b of readPcapng(file)) out.push(b);
  return out;
}

function fixedClock(): () => Date {
  let t = Date.UTC(2026, 10, 24, 13, 15, 0);
  return () => new Date((t += 1000));
}

describe('ring file names', () => {
  it('follow dumpcap: stem, 5-digit sequence, local time, extension', () => {
    const at = new Date(2026, 10, 24, 13, 15, 0); // local time, as dumpcap uses
    assert.equal(ringTimestamp(at), '20261124131500');
    assert.equal(ringFileName('/x/out.pcapng', 1, at), '/x/out_00001_20261124131500.pcapng');
    assert.equal(ringFileName('cap', 123, at), 'cap_00123_20261124131500');
  });
});

describe('RingPcapngSink', () => {
  it('keeps the newest N files, each a complete pcapng, holding the tail of the records', async () => {
    const dir = tmpDir();
    const base = path.join(dir, 'out.pcapng');
    const all = txns(3000);
    const ring = await RingPcapngSink.open(base, { files: 3, sizeBytes: 40_000, now: fixedClock() });
    for (let i = 0; i < all.length; i += 700) await ring.write(all.slice(i, i + 700));
    await ring.close();

    const names = fs.readdirSync(dir).sort();
    assert.equal(names.length, 3, names.join(' '));
    assert.deepEqual(ring.files.map((f) => path.basename(f)), names, 'ring.files lists the kept files, oldest first');
    assert.ok(ring.created > 3, `more files were started (${ring.created}) than kept`);
    for (const [k, n] of names.entries()) assert.match(n, new RegExp(`^out_${String(ring.created - 2 + k).padStart(5, '0')}_\\d{14}\\.pcapng$`));
    assert.equal(ring.counts.records, all.length, 'counts cover every file, deleted ones included');
    assert.equal(ring.counts.packets, all.length);

    const kept: BuddyRecord[] = [];
    for (const n of names) {
      const file = path.join(dir, n);
      const size = fs.statSync(file).size;
      // A file is switched once it reaches the size, so it overshoots by at most one slice.
      if (n !== names[names.length - 1]) assert.ok(size >= 40_000 && size < 40_000 + SLICE_RECORDS * 220, `${n}: ${size} bytes`);
      const blocks = await blocksOf(file);
      assert.equal(blocks[0].type, 'shb', `${n} starts with its own SHB`);
      assert.equal(blocks.filter((b) => b.type === 'idb').length, 5, `${n} declares the five interfaces`);
      const stream = readRecordsFromPcapng(file);
      kept.push(...(await collect(stream)));
      assert.equal(stream.status.truncatedAt, undefined, `${n} is whole`);
    }
    assert.ok(kept.length > 0);
    assert.deepEqual(canonical(kept), canonical(all.slice(all.length - kept.length)), 'the kept files hold the tail, in order');
  });

  it('writes a valid file before any record arrives, and tshark reads every file', async (t) => {
    const dir = tmpDir();
    const base = path.join(dir, 'cap.pcapng');
    const ring = await RingPcapngSink.open(base, { files: 2, sizeBytes: 10_000 });
    assert.equal(ring.files.length, 1);
    assert.ok((await blocksOf(ring.files[0])).some((b) => b.type === 'idb'), 'interfaces are on disk before the first record');
    await ring.write(txns(200));
    await ring.close();
    if (!HAS_TSHARK) return t.skip('tshark not installed');
    let packets = 0;
    for (const f of ring.files) {
      const r = tshark(['-r', f]);
      assert.equal(r.status, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /cut short|appears to be damaged/);
      packets += r.stdout.trim().split('\n').filter((l) => l.trim()).length;
    }
    const kept = (await Promise.all(ring.files.map((f) => collect(readRecordsFromPcapng(f))))).flat();
    assert.equal(packets, kept.length, 'tshark sees as many packets as we read back');
  });

  it('refuses to replace an existing file of the series unless forced', async () => {
    const dir = tmpDir();
    const base = path.join(dir, 'x.pcapng');
    const clock = () => new Date(2026, 0, 2, 3, 4, 5);
    fs.writeFileSync(ringFileName(base, 1, clock()), 'keep me');
    await assert.rejects(RingPcapngSink.open(base, { files: 2, sizeBytes: 1000, now: clock }), OutputExistsError);
    assert.equal(fs.readFileSync(ringFileName(base, 1, clock()), 'utf8'), 'keep me');
    const ring = await RingPcapngSink.open(base, { files: 2, sizeBytes: 1000, now: clock, force: true });
    await ring.close();
    assert.equal((await blocksOf(ring.files[0]))[0].type, 'shb');
  });

  it('rejects a ring of no files or no size', async () => {
    const base = path.join(tmpDir(), 'y.pcapng');
    await assert.rejects(RingPcapngSink.open(base, { files: 0, sizeBytes: 1000 }), /files must be/);
    await assert.rejects(RingPcapngSink.open(base, { files: 2, sizeBytes: 0 }), /sizeBytes must be/);
  });
});
