/**
 * Fragmented buddy-link messages in Wireshark (tshark 4.0, sharkd): the Lua dissector reassembles
 * them exactly as the link decoder does. The reassembled message is named, dissected and filterable
 * on the packet that completes it; every fragment says which message it is part of and where that
 * ended, and is never dissected as a message of its own; every way the decoder abandons a message
 * abandons it here too. The results are the same in one pass, in two, and frame by frame in any
 * order (sharkd). The reference is what src/link/buddy/decoder.ts made of the same transactions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import type { BuddyRecord, FrameRecord } from '../../src/records/types.ts';
import { tempDir } from '../cli/helpers.ts';
import { SCAN_APS, fragmentStories, scanResult, storyFrames, type Stories } from './fragment-stories.ts';
import { randomLink } from './random-link.ts';
import { fields, hasSharkd, sharkdFrames, skip, tshark, writeCapture } from './tshark.ts';

const dir = tempDir('bs-reassembly-');

interface Completed {
  /** Packet numbers (record index + 1) of its fragments, the completing one last. */
  fragments: number[];
  length: number;
  msg?: string;
  reqId?: number;
}

const isFragment = (r: FrameRecord): boolean => (r.flags & 0x09) !== 0;

/**
 * The messages the decoder completed from more than one frame, by completing packet: the frame that
 * carries `message`, and before it, walking back in its direction, the frames whose seqs count down
 * by one and whose payloads are the message's earlier bytes.
 */
function completedByDecoder(records: readonly BuddyRecord[]): Map<number, Completed> {
  const out = new Map<number, Completed>();
  records.forEach((r, i) => {
    if (r.kind !== 'frame' || r.message === undefined || (r.fragments ?? 1) < 2) return;
    const frames = [i + 1];
    let end = r.message.length - r.payload.length;
    let seq = r.seq;
    for (let j = i - 1; j >= 0 && frames.length < (r.fragments ?? 1); j--) {
      const f = records[j];
      if (f.kind !== 'frame' || f.dir !== r.dir || f.channel !== r.channel || f.seq !== (seq + 0xffff) % 0x10000) continue;
      const part = r.message.subarray(end - f.payload.length, end);
      if (f.payload.length > end || Buffer.compare(Buffer.from(part), Buffer.from(f.payload)) !== 0) continue;
      frames.unshift(j + 1);
      end -= f.payload.length;
      seq = f.seq;
    }
    assert.equal(frames.length, r.fragments, `fragments of the message completed by record ${i}`);
    const d = r.decoded;
    out.set(i + 1, {
      fragments: frames, length: r.message.length,
      ...(d?.kind === 'control' && d.msg.type !== 'unknown' ? { msg: d.msg.type, reqId: d.msg.id } : {}),
    });
  });
  return out;
}

const VIEW = ['buddy.fragment.index', 'buddy.fragment.count', 'buddy.reassembled.length', 'buddy.reassembled_in', 'buddy.fragment', 'buddy.msg', 'buddy.req_id'];

/** Wireshark's two-pass view must hold exactly the decoder's completed messages, fragment by fragment. */
function assertAgrees(file: string, records: readonly BuddyRecord[]): void {
  const want = completedByDecoder(records);
  const r = fields(file, VIEW, { filter: 'buddy.fragment.index', twoPass: true });
  assert.equal(r.status, 0, r.stderr);
  const complete = new Map<number, Completed>();
  const inMessage = new Map<number, number>();
  for (const [n, index, count, length, within, list, msg, reqId] of r.rows) {
    if (count) {
      complete.set(Number(n), { fragments: list.split(',').map(Number), length: Number(length), ...(msg ? { msg, reqId: Number(reqId) } : {}) });
      assert.equal(index, count, `packet ${n} completes the message as its last fragment`);
    }
    if (within) inMessage.set(Number(n), Number(within));
  }
  assert.deepEqual(complete, want);
  const wantIn = new Map<number, number>();
  for (const [at, m] of want) m.fragments.slice(0, -1).forEach((f) => wantIn.set(f, at));
  assert.deepEqual(inMessage, wantIn);
  // Every fragment-flagged frame shows as a fragment, or (a stale CPU frame) as one kept out.
  const kept = fields(file, [], { filter: 'buddy.fragment.index || buddy.fragment.abandoned' });
  const shown = new Set(kept.rows.map((row) => Number(row[0])));
  records.forEach((x, i) => {
    if (x.kind === 'frame' && isFragment(x) && x.payload.length > 0 && x.channel !== 2 && x.channel !== 4) assert.ok(shown.has(i + 1), `fragment at packet ${i + 1}`);
  });
}

describe('fragmented messages in Wireshark', { skip }, () => {
  let s: Stories;
  const file = join(dir, 'stories.pcapng');
  const lean = join(dir, 'stories-lean.pcapng');
  const packet = (r: FrameRecord): number => s.records.indexOf(r) + 1;
  const fragmentsOf = (story: string, dir: FrameRecord['dir']): FrameRecord[] => storyFrames(s, story).filter((f) => f.dir === dir && isFragment(f));
  const scanDone = (): FrameRecord => {
    const r = s.records.find((x): x is FrameRecord => x.kind === 'frame' && x.decoded?.kind === 'control' && x.decoded.msg.type === 'scan_result');
    assert.ok(r && r.fragments === 3, 'the decoder completes scan_result #2 from 3 fragments');
    return r;
  };

  before(async () => {
    s = await fragmentStories();
    await writeCapture(s.records, file);
    await writeCapture(s.records, lean, false);
  });

  it('names the reassembled message on the packet that completes it, with its fields and CBOR filterable', () => {
    const done = packet(scanDone());
    const r = fields(file, ['_ws.col.Info', 'buddy.req_id', 'buddy.fragment.count', 'buddy.reassembled.length'], { filter: 'buddy.msg == "scan_result"', twoPass: true });
    assert.deepEqual(r.rows, [[String(done), 'buddy→CPU scan_result #2 (3 fragments)', '2', '3', String(scanResult(2).length)]]);
    // Wireshark's CBOR dissector ran on the whole message: an SSID from the last fragment's bytes,
    // and one whose CBOR text starts in one fragment and ends in the next, are both there.
    for (const ssid of [`lab-ap-${SCAN_APS - 1}`, 'lab-ap-0']) {
      assert.deepEqual(fields(file, [], { filter: `cbor.type.textstring == "${ssid}"` }).rows, [[String(done)]], ssid);
    }
    const cborItems = fields(file, ['cbor.type.textstring'], { filter: `frame.number == ${done}` }).rows[0][1].split(',');
    assert.equal(cborItems.filter((t) => t.startsWith('lab-ap-')).length, SCAN_APS);
    // The CPU's long echo crossed it in the same transactions, and completed on its own.
    const echoes = s.records.flatMap((x, i) => (x.kind === 'frame' && x.decoded?.kind === 'control' && x.decoded.msg.type === 'echo' ? [String(i + 1)] : []));
    assert.ok(echoes.length >= 3);
    assert.deepEqual(fields(file, [], { filter: 'buddy.msg == "echo"' }).rows.map((x) => x[0]), echoes);
    // A trace event and an Ethernet frame in three fragments each: dissected as trace and as ARP.
    const trace = storyFrames(s, 'trace').find((x) => x.fragments === 3);
    assert.ok(trace);
    assert.deepEqual(fields(file, ['_ws.col.Info'], { filter: `buddy.trace == "event" && frame.number == ${packet(trace)}` }).rows, [[String(packet(trace)), 'buddy→CPU trace event (3 fragments)']]);
    const arp = storyFrames(s, 'ethernet').find((x) => x.fragments === 3);
    assert.ok(arp);
    assert.deepEqual(fields(file, ['_ws.col.Protocol', '_ws.col.Info'], { filter: 'arp && frame.interface_name == "buddy-link"' }).rows, [
      [String(packet(arp)), 'ARP', 'Who has 192.168.4.1? Tell 192.168.4.2 (3 fragments)'],
    ]);
  });

  it('shows each fragment as part of its message, never as a message of its own or malformed', () => {
    const done = packet(scanDone());
    const frags = fragmentsOf('scan', 'buddy-to-cpu').map(packet);
    assert.deepEqual(frags.slice(-1), [done]);
    const r = fields(file, ['_ws.col.Info', 'buddy.fragment.index', 'buddy.reassembled_in', 'buddy.msg', 'cbor'], { filter: frags.map((n) => `frame.number == ${n}`).join(' || '), twoPass: true });
    assert.deepEqual(r.rows.slice(0, 2), [
      [String(frags[0]), `buddy→CPU scan_result #2: fragment 1 of 3 (reassembled in #${done})`, '1', String(done), '', ''],
      [String(frags[1]), `buddy→CPU scan_result #2: fragment 2 of 3 (reassembled in #${done})`, '2', String(done), '', ''],
    ]);
    // No fragment that does not complete a message carries a message name or CBOR.
    assert.deepEqual(fields(file, [], { filter: 'buddy.fragment.index && !buddy.fragment.count && (buddy.msg || buddy.trace || cbor || eth)' }).rows, []);
    const bad = tshark(['-r', file, '-Y', '_ws.malformed || _ws.expert.severity >= "Error" || _ws.lua.error', '-T', 'fields', '-e', 'frame.number']);
    assert.equal(bad.status, 0, bad.stderr);
    assert.equal(bad.stderr, '');
    assert.deepEqual(bad.rows, []);
  });

  it('agrees with the link decoder on every message of the story capture, with and without the raw layer', () => {
    assertAgrees(file, s.records);
    assertAgrees(lean, s.records.filter((r) => r.kind !== 'txn' && r.kind !== 'line'));
  });

  const abandoned: [story: string, dir: FrameRecord['dir'], reason: RegExp][] = [
    ['gap', 'buddy-to-cpu', /^seq \d+ follows \d+$/],
    ['channel', 'buddy-to-cpu', /^a frame on channel 3 interrupted it$/],
    ['new-message', 'buddy-to-cpu', /^a new message began before it ended$/],
    ['oversized', 'cpu-to-buddy', /^message of 17012 bytes exceeds 16384$/],
    ['payload-lost', 'buddy-to-cpu', /^a fragment arrived corrupt$/],
    ['payload-lost', 'cpu-to-buddy', /^a fragment arrived corrupt$/],
    ['buddy-reset', 'buddy-to-cpu', /^the buddy rebooted$/],
    ['buddy-reset', 'cpu-to-buddy', /^the buddy rebooted$/],
    ['cpu-epoch', 'cpu-to-buddy', /^the CPU's epoch changed from 43 to 0$/],
    ['ethernet-interrupts', 'buddy-to-cpu', /^a frame on another channel interrupted it$/],
    ['bridge-reset', 'buddy-to-cpu', /^the bridge restarted$/],
  ];
  for (const [story, way, reason] of abandoned) {
    it(`abandons a message where the decoder does: ${story} (${way})`, () => {
      const frags = fragmentsOf(story, way);
      assert.ok(frags.length >= 2 && (frags[0].flags & 0x08) === 0, 'the story opens a message');
      assert.ok(frags.every((f) => f.message === undefined || (f.fragments ?? 1) === 1), 'the decoder completes nothing from these fragments');
      const first = packet(frags[0]);
      const r = fields(file, ['buddy.fragment.abandoned', 'buddy.abandoned_in', 'buddy.reassembled_in', '_ws.col.Info'], { filter: `frame.number == ${first}`, twoPass: true });
      const [, why, at, within, info] = r.rows[0];
      assert.match(why, reason);
      assert.equal(within, '');
      assert.ok(Number(at) > first, 'abandoned by a later packet');
      assert.match(info, new RegExp(`: fragment 1 \\(message abandoned at #${at}: `));
      // The fragments after it belong to no message that completed either.
      const rest = fields(file, ['buddy.fragment.abandoned', 'buddy.reassembled_in'], { filter: frags.slice(1).map((f) => `frame.number == ${packet(f)}`).join(' || '), twoPass: true });
      assert.equal(rest.rows.length, frags.length - 1);
      for (const [n, w, inside] of rest.rows) assert.ok(w !== '' && inside === '', `packet ${n}: ${w}`);
    });
  }

  it('keeps a CPU frame with a stale epoch out of the message it arrives in the middle of', () => {
    const done = storyFrames(s, 'stale').find((f) => f.fragments === 3);
    assert.ok(done, 'the decoder completes the message around two stale frames');
    const r = fields(file, ['_ws.col.Info'], { filter: `buddy.msg == "echo" && buddy.req_id == 16`, twoPass: true });
    assert.deepEqual(r.rows, [[String(packet(done)), 'CPU→buddy echo #16 (3 fragments)']]);
  });

  it('leaves an orphan (first fragment lost) and a message open at the end of the capture unreassembled', () => {
    const orphan = fragmentsOf('orphan', 'cpu-to-buddy').map(packet);
    assert.equal(orphan.length, 2);
    const r = fields(file, ['_ws.col.Info', 'buddy.fragment.abandoned'], { filter: orphan.map((n) => `frame.number == ${n}`).join(' || '), twoPass: true });
    assert.deepEqual(r.rows, [
      [String(orphan[0]), 'CPU→buddy control message (first fragment lost): fragment 1 of 2 seen, not reassembled', 'continuation fragments without their start (first fragment lost)'],
      [String(orphan[1]), 'CPU→buddy control message (first fragment lost): fragment 2 of 2 seen, not reassembled', 'continuation fragments without their start (first fragment lost)'],
    ]);
    const [open] = fragmentsOf('capture-ends', 'cpu-to-buddy').map(packet);
    assert.deepEqual(fields(file, ['_ws.col.Info', 'buddy.fragment.abandoned', 'buddy.reassembled_in'], { filter: `frame.number == ${open}`, twoPass: true }).rows, [
      [String(open), 'CPU→buddy echo #20: fragment 1', '', ''],
    ]);
  });

  it('gives the same result in one pass and in two; the second only adds where each message ended', () => {
    const names = ['_ws.col.Info', ...VIEW, 'buddy.fragment.abandoned', 'cbor.type.textstring', 'buddy.trace', 'arp.opcode'];
    const one = fields(file, names, { filter: 'buddy.channel' });
    const two = fields(file, names, { filter: 'buddy.channel', twoPass: true });
    assert.equal(one.status, 0, one.stderr);
    assert.equal(one.rows.length, two.rows.length);
    let differ = 0;
    one.rows.forEach((a, i) => {
      const b = two.rows[i];
      if (a[2] !== '' && a[3] === '' && JSON.stringify(a) !== JSON.stringify(b)) {
        // A fragment not yet at its message's end: pass two appends the ending to the Info text and
        // adds reassembled_in or abandoned; nothing else may differ.
        differ++;
        assert.ok(b[1].startsWith(a[1]) && b[1].length > a[1].length, `packet ${a[0]}: "${a[1]}" then "${b[1]}"`);
        const strip = (row: string[]): string[] => row.filter((_, k) => ![1, 5, 9].includes(k));
        assert.deepEqual(strip(b), strip(a), `packet ${a[0]}`);
      } else {
        assert.deepEqual(b, a, `packet ${a[0]}`);
      }
    });
    assert.ok(differ > 10, `${differ} fragments learn their message's end in pass two`);
  });

  it('gives the same result frame by frame, in reverse order, as Wireshark does on clicks (sharkd)', { skip: hasSharkd ? false : 'sharkd not installed' }, () => {
    const two = fields(file, ['_ws.col.Info'], { filter: 'buddy.channel', twoPass: true });
    const numbers = two.rows.map((r) => Number(r[0])).reverse();
    const got = sharkdFrames(file, numbers);
    assert.equal(got.size, numbers.length);
    for (const [n, info] of two.rows) assert.equal(got.get(Number(n))?.col[6], info, `packet ${n}`);
    const done = packet(scanDone());
    const tree = got.get(done)?.filters ?? [];
    for (const f of ['buddy.msg == "scan_result"', 'buddy.req_id == 2', 'buddy.fragment.count == 3', `cbor.type.textstring == "lab-ap-${SCAN_APS - 1}"`]) assert.ok(tree.includes(f), f);
    const first = packet(fragmentsOf('scan', 'buddy-to-cpu')[0]);
    assert.ok(got.get(first)?.filters.includes(`buddy.reassembled_in == ${done}`));
    assert.ok(!got.get(first)?.filters.some((f) => f.startsWith('cbor.') || f.startsWith('buddy.msg ')));
  });

  it('sees a buddy reset in the frames\' epochs when the anomaly packets were left out of the file', () => {
    const stripped = join(dir, 'no-events.pcapng');
    const w = spawnSync('tshark', ['-r', file, '-Y', 'frame.interface_name != "buddy-events"', '-w', stripped]);
    assert.equal(w.status, 0, String(w.stderr));
    const r = fields(stripped, ['_ws.col.Info'], { filter: 'buddy.fragment.abandoned == "buddy epoch 42 -> 43: the buddy rebooted"', twoPass: true });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.rows.some((row) => row[1].startsWith('buddy→CPU echo_reply #14: fragment 1 (message abandoned at #')), JSON.stringify(r.rows));
    assert.deepEqual(fields(stripped, [], { filter: 'buddy.req_id == 14' }).rows, [], 'echo_reply #14 never completes');
  });
});

describe('Wireshark and the link decoder agree on random traffic with every fault', { skip }, () => {
  for (const [seed, raw] of [[1, true], [2, false], [3, false]] as const) {
    it(`seed ${seed}${raw ? '' : ', without the raw layer'}`, async () => {
      const records = await randomLink(seed, 1500);
      const kept = raw ? records : records.filter((r) => r.kind !== 'txn' && r.kind !== 'line');
      const f = join(dir, `random-${seed}.pcapng`);
      await writeCapture(kept, f);
      assert.ok(completedByDecoder(kept).size > 20, 'the traffic completes fragmented messages');
      assertAgrees(f, kept);
    });
  }
});
