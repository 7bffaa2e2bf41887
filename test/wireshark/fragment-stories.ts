/**
 * One capture that tells every story of a fragmented message, each in its own labelled stretch of
 * transactions: messages reassembled (both directions at once, control, trace, Ethernet), and every
 * way src/link/buddy/decoder.ts abandons one, each followed by a message that gets through. Labels map to
 * the first transaction of their stretch, so a test finds a story's frame records by transaction.
 */
import { controlMessage, encodeControl, type ControlMessage } from '../../src/protocol/control.ts';
import { encodeTrace } from '../../src/protocol/trace.ts';
import type { BuddyRecord, FrameRecord } from '../../src/records/types.ts';
import { arpRequest } from '../pcapng/fixtures.ts';
import { Channel, LinkScript, corruptHeader, corruptPayload, type WireFrame } from './link-script.ts';

export const SCAN_APS = 60;

function control(msg: ControlMessage): Uint8Array {
  return encodeControl(msg);
}

export function scanResult(id: number): Uint8Array {
  const aps = Array.from({ length: SCAN_APS }, (_, i) => ({
    ssid: `lab-ap-${i}`, bssid: Uint8Array.of(2, 0, 0, 0, 0, i), channel: 1 + (i % 11), rssi: -30 - i, security: 'wpa2',
  }));
  return control(controlMessage('scan_result', id, { aps }));
}

export function echo(id: number, size: number, fill = 0x5a): Uint8Array {
  return control(controlMessage('echo', id, { data: new Uint8Array(size).fill(fill) }));
}

export function echoReply(id: number, size: number): Uint8Array {
  return control(controlMessage('echo_reply', id, { data: new Uint8Array(size).fill(0xa5) }));
}

export function ok(id: number): Uint8Array {
  return control(controlMessage('ok', id, {}));
}

export interface Stories {
  records: BuddyRecord[];
  /** Story name -> its first transaction; a story runs to the next label. */
  labels: Map<string, number>;
}

/** The frame records of one story, in order. */
export function storyFrames(s: Stories, name: string): FrameRecord[] {
  const start = s.labels.get(name);
  if (start === undefined) throw new Error(`no story ${name}`);
  const later = [...s.labels.values()].filter((t) => t > start);
  const end = later.length ? Math.min(...later) : Infinity;
  return s.records.filter((r): r is FrameRecord => r.kind === 'frame' && r.txn >= start && r.txn < end);
}

export async function fragmentStories(): Promise<Stories> {
  const s = new LinkScript(42);
  const labels = new Map<string, number>();
  const label = (name: string): void => {
    labels.set(name, s.transactions);
  };
  const txn = s.txn.bind(s);
  const drain = s.drain.bind(s);
  const M = 1536;

  label('scan');
  s.cpu.send([s.cpu.frame(Channel.control, control(controlMessage('scan', 2, {})))]);
  txn();
  // The long scan_result and a long echo cross: fragments of both directions in the same transactions.
  s.buddy.send(s.buddy.message(Channel.control, scanResult(2), M));
  s.cpu.send(s.cpu.message(Channel.control, echo(5, 4000), M));
  drain();

  label('trace');
  s.buddy.send(s.buddy.message(Channel.trace, encodeTrace({ type: 'event', body: { meta: 7, fields: { message: 'x'.repeat(150) } } }), 64));
  drain();

  label('ethernet');
  s.cpu.send(s.cpu.message(Channel.ethernet, arpRequest(), 20));
  drain();

  label('gap');
  s.buddy.send(s.buddy.message(Channel.control, echoReply(6, 4000), M));
  txn();
  txn(undefined, corruptHeader); // the second fragment never counts: the third follows a gap
  drain();
  s.buddy.send([s.buddy.frame(Channel.control, ok(60))]);
  drain();

  label('channel');
  {
    const parts = s.buddy.message(Channel.control, echoReply(7, 4000), M);
    const trace = s.buddy.frame(Channel.trace, encodeTrace({ type: 'enter', body: { id: 3 } }));
    // The trace frame takes a seq between the fragments, as a sender that broke the rule would.
    const [a, b, c] = parts;
    s.buddy.send([a, { ...trace, seq: b.seq }, { ...b, seq: c.seq }, { ...c, seq: (c.seq + 1) % 0x10000 }]);
    s.buddy.seq = (c.seq + 2) % 0x10000;
    drain();
    s.buddy.send([s.buddy.frame(Channel.control, ok(61))]);
    drain();
  }

  label('new-message');
  {
    const [a, b, c] = s.buddy.message(Channel.control, scanResult(8), M);
    const interloper = { ...a, flags: 0, seq: b.seq, payload: ok(62) };
    s.buddy.send([a, interloper, { ...b, seq: c.seq }, { ...c, seq: (c.seq + 1) % 0x10000 }]);
    s.buddy.seq = (c.seq + 2) % 0x10000;
    drain();
  }

  label('oversized');
  s.cpu.send(s.cpu.message(Channel.control, echo(9, 17_000), M));
  drain();
  s.cpu.send([s.cpu.frame(Channel.control, echo(10, 8))]);
  drain();

  label('orphan');
  s.cpu.send(s.cpu.message(Channel.control, echo(11, 4000), M));
  txn(corruptHeader); // the first fragment is lost: the other two are the rest of nothing
  drain();

  label('payload-lost');
  s.buddy.send(s.buddy.message(Channel.control, echoReply(12, 4000), M));
  s.cpu.send(s.cpu.message(Channel.control, echo(13, 4000), M));
  txn();
  txn(undefined, undefined, 40); // the transaction ends early: both second fragments lose their payload
  drain();
  s.buddy.send(s.buddy.message(Channel.control, echoReply(21, 4000), M));
  txn();
  txn(undefined, corruptPayload);
  drain();
  s.buddy.send([s.buddy.frame(Channel.control, ok(63))]);
  drain();

  label('buddy-reset');
  s.buddy.send(s.buddy.message(Channel.control, echoReply(14, 4000), M));
  s.cpu.send(s.cpu.message(Channel.control, echo(15, 4000), M));
  txn();
  // The buddy reboots mid-message: its frames carry the new epoch; nothing else breaks the rules, so
  // only the reset can end both messages.
  s.buddy.epoch = 43;
  for (const f of s.buddy.queue) f.epoch = 43;
  drain();

  label('stale');
  {
    // The CPU syncs to epoch 43 and sends a message; a frame it sends between two fragments still
    // carries epoch 42, so the buddy drops it and it interrupts nothing. Another stale frame arrives
    // with a corrupt payload: also dropped, also no interruption.
    s.cpu.epoch = 43;
    const [a, b, c] = s.cpu.message(Channel.control, echo(16, 4000), M);
    const stale: WireFrame = { channel: Channel.control, flags: 0, seq: 500, epoch: 42, payload: ok(64) };
    s.cpu.send([a, stale]);
    drain();
    s.cpu.send([{ ...stale, seq: 501 }]);
    txn(corruptPayload);
    s.cpu.send([b, c]);
    drain();
  }

  label('cpu-epoch');
  {
    // Mid-message the CPU's frames drop back to epoch 0 (it lost sync): its side starts over.
    const [a, b, c] = s.cpu.message(Channel.control, echo(17, 4000), M);
    s.cpu.send([a, { ...b, epoch: 0 }, { ...c, epoch: 0 }]);
    drain();
    s.cpu.epoch = 0;
  }

  label('ethernet-interrupts');
  {
    // A whole Ethernet frame (written to buddy-eth) between two fragments ends the message even
    // though the sender gave it no seq of its own.
    const [a, b] = s.buddy.message(Channel.control, echoReply(18, 2000), M);
    s.buddy.send([a, { channel: Channel.ethernet, flags: 0, seq: a.seq, epoch: a.epoch, payload: arpRequest() }, b]);
    drain();
  }

  label('bridge-reset');
  {
    const [a, b] = s.buddy.message(Channel.control, echoReply(19, 2000), M);
    s.buddy.send([a]);
    drain();
    s.bridgeReset();
    s.buddy.send([b]);
    drain();
    s.buddy.send([s.buddy.frame(Channel.control, ok(65))]);
    drain();
  }

  label('capture-ends');
  s.cpu.send(s.cpu.message(Channel.control, echo(20, 4000), M).slice(0, 1));
  drain();

  return { records: await s.records(), labels };
}
