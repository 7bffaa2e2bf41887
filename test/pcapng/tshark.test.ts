/**
 * What Wireshark makes of our files (tshark 4.0): native decoding of the Ethernet and BLE packets,
 * nanosecond timestamps with if_tsoffset, direction, packet ids, anomaly comments, no expert
 * warnings, the "buddylink"/"buddyevent" dissector names reaching a Lua plugin, files cut at block
 * boundaries and mid-block, and `tshark -w` keeping every record intact. Skips without tshark.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { writeRecordsToPcapng } from '../../src/pcapng/sink.ts';
import { readRecordsFromPcapng } from '../../src/pcapng/source.ts';
import { readPcapng } from '../../src/pcapng/reader.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { TSHARK_SKIP, batches, canon, sampleRecords, tmpDir, tshark } from './fixtures.ts';

/** Shows USER0 packets as data, as a user would configure; without it tshark warns "DLT=147 not handled". */
const USER0_AS_DATA = ['-o', 'uat:user_dlts:"User 0 (DLT=147)","data","0","","0",""'];
const FIELDS = ['frame.number', 'frame.time_epoch', 'frame.interface_name', 'frame.p2p_dir', 'frame.packet_id', '_ws.col.Protocol', '_ws.col.Info', 'frame.comment'];

function fieldsOf(file: string, extra: string[] = []): string[][] {
  const r = tshark(['-r', file, ...extra, '-T', 'fields', '-E', 'separator=|', ...FIELDS.flatMap((f) => ['-e', f])]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim().split('\n').map((l) => l.split('|'));
}

async function allRecords(file: string): Promise<BuddyRecord[]> {
  const out: BuddyRecord[] = [];
  for await (const b of readRecordsFromPcapng(file)) out.push(...b);
  return out;
}

function tsharkAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('tshark', args, { env: { ...process.env, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('tshark reads buddyshark pcapng files', TSHARK_SKIP, () => {
  const dir = tmpDir();
  const file = path.join(dir, 'all.pcapng');
  const recs: BuddyRecord[] = [
    ...sampleRecords(),
    { kind: 'frame', startNs: 1_234_567_891, endNs: 1_234_600_000, txn: 99, dir: 'buddy-to-cpu', channel: 0, flags: 4, seq: 1, ack: 2, credit: 3, epoch: 4, payload: new Uint8Array(0) },
  ];

  it('writes the file with a wall-clock offset', async () => {
    await writeRecordsToPcapng(batches(recs), file, { timeOffsetSec: 1_700_000_000 });
  });

  it('decodes Ethernet and BLE packets natively, with nanosecond times, direction and packet ids', () => {
    const rows = fieldsOf(file, USER0_AS_DATA);
    assert.equal(rows.length, recs.length);
    const byNo = (n: number) => rows[n - 1];
    // Record 5: ARP request CPU -> buddy (outbound = p2p "sent" 0), txn 1.
    assert.deepEqual(byNo(5).slice(1, 7), ['1700000000.000010000', 'buddy-eth', '0', '1', 'ARP', 'Who has 192.168.4.1? Tell 192.168.4.2']);
    // Record 6: ICMP echo buddy -> CPU, start 21000.5 ns written as 21000 ns (exact value in the meta option).
    assert.deepEqual(byNo(6).slice(1, 6), ['1700000000.000021000', 'buddy-eth', '1', '2', 'ICMP']);
    assert.match(byNo(6)[6], /Echo \(ping\) request/);
    assert.deepEqual(byNo(8).slice(2, 6), ['buddy-ble', '0', '4', 'HCI_CMD']);
    assert.equal(byNo(3)[2], 'buddy-link');
    assert.equal(byNo(1)[2], 'buddy-spi');
    assert.equal(byNo(15)[1], '1700000001.234567891');
  });

  it('shows anomalies as packet comments on buddy-events', () => {
    const rows = fieldsOf(file, USER0_AS_DATA);
    const events = rows.filter((r) => r[2] === 'buddy-events');
    assert.deepEqual(events.map((r) => r[7]), [
      'anomaly payload-crc: frame CRC 0x12345678, computed 0x9abcdef0 (txn 12, buddy-to-cpu, byte 40)',
      'anomaly lost-frames: seq jumped from 3 to 6 (count 2)',
    ]);
    assert.equal(events[0][3], '1');
    assert.equal(events[0][4], '12');
  });

  it('reports no expert warnings or errors (custom options and exported PDUs are tolerated)', () => {
    const r = tshark(['-r', file, ...USER0_AS_DATA, '-q', '-z', 'expert']);
    assert.equal(r.status, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /Warns|Errors|Malformed/);
    assert.match(r.stdout, /Comments \(2\)/);
  });

  it('hands buddy-link frames, as on the wire, to a Lua dissector named "buddylink" and events to "buddyevent"', () => {
    const lua = path.join(dir, 'probe.lua');
    fs.writeFileSync(lua, `
      local l = Proto("buddylink", "probe link")
      function l.dissector(tvb, pinfo, tree) pinfo.cols.info = string.format("sync=%02x ch=%d len=%d", tvb(0,1):uint(), tvb(2,1):uint(), tvb:len()) end
      local e = Proto("buddyevent", "probe event")
      function e.dissector(tvb, pinfo, tree) pinfo.cols.info = "code=" .. tvb(28, tvb(3,1):uint()):string() end
    `);
    const rows = fieldsOf(file, [...USER0_AS_DATA, '-X', `lua_script:${lua}`]);
    const link = rows.filter((r) => r[2] === 'buddy-link').map((r) => r[6]);
    assert.equal(link[0], `sync=b5 ch=1 len=${16 + 55 + 4}`);
    assert.equal(link[1], 'sync=b5 ch=0 len=16');
    const ev = rows.filter((r) => r[2] === 'buddy-events').map((r) => r[6]);
    assert.deepEqual(ev, ['code=payload-crc', 'code=lost-frames']);
  });

  it('keeps every record intact through tshark -r in -w out', async () => {
    const copy = path.join(dir, 'copy.pcapng');
    const r = tshark(['-r', file, '-w', copy]);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(canon(await allRecords(copy)), canon(recs));
  });

  it('reads files cut at and inside block boundaries like our reader does', async () => {
    const small = path.join(dir, 'small.pcapng');
    await writeRecordsToPcapng(batches(sampleRecords().slice(0, 6)), small);
    const bytes = fs.readFileSync(small);
    const offsets: number[] = [];
    for await (const b of readPcapng(small)) if (b.type !== 'truncated') offsets.push(b.offset);
    const ends = [...offsets.slice(1), bytes.length];
    const firstEpbEnd = ends[offsets.findIndex((_, i) => i > 0 && bytes.readUInt32LE(offsets[i]) === 6)];
    const cuts = new Set<number>();
    for (const e of ends) for (const d of [-1, 0, 5]) if (e + d >= firstEpbEnd - 1 && e + d <= bytes.length) cuts.add(e + d);
    const jobs = [...cuts].sort((a, b) => a - b).map((cut) => async () => {
      const f = path.join(dir, `cut-${cut}.pcapng`);
      fs.writeFileSync(f, bytes.subarray(0, cut));
      const ours: string[] = [];
      for await (const b of readPcapng(f)) if (b.type === 'epb') ours.push(String(b.timestamp));
      const expected = ends.filter((e, i) => e <= cut && bytes.readUInt32LE(offsets[i]) === 6).length;
      assert.equal(ours.length, expected, `our reader, cut ${cut}`);
      const t = await tsharkAsync(['-r', f, '-T', 'fields', '-e', 'frame.number']);
      assert.ok(t.status === 0 || /cut short/.test(t.stderr), `tshark crashed on cut ${cut}: ${t.status} ${t.stderr}`);
      const lines = t.stdout.trim() ? t.stdout.trim().split('\n') : [];
      assert.equal(lines.length, expected, `tshark packets, cut ${cut}`);
    });
    // A few at a time: tshark takes ~0.5 s to start.
    for (let i = 0; i < jobs.length; i += 4) await Promise.all(jobs.slice(i, i + 4).map((job) => job()));
  });
});
