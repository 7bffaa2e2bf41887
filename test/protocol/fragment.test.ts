/**
 * Fragmentation and reassembly: splitting and rejoining (also across the u16 sequence wrap), and
 * every way a message can be cut short: a lost fragment, another channel in between, too long.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { fragment, fragmentFlags, Reassembler, type ReassemblyEvent } from '../../src/protocol/fragment.ts';
import { decodeFrame, encodeFrame, type Frame } from '../../src/protocol/frame.ts';
import { Channel, Flag, MAX_MESSAGE, MAX_PAYLOAD } from '../../src/protocol/constants.ts';
import { hex } from './reference.ts';

/** Frames for `message` as a sender emits them: consecutive seqs from `firstSeq`, `more` on all but the last, `cont` on all but the first. */
function framesFor(message: Uint8Array, maxPayload: number, firstSeq: number, channel: number = Channel.control): Frame[] {
  const parts = fragment(message, maxPayload);
  return parts.map((payload, i) => {
    const flags = Flag.ackValid | fragmentFlags(i, parts.length);
    const r = decodeFrame(encodeFrame({ channel, flags, seq: (firstSeq + i) % 0x10000, ack: 0, credit: 0, epoch: 1 }, payload));
    assert.ok(r.ok);
    return r.value;
  });
}

function single(channel: number, seq: number, payload: Uint8Array, more = false, cont = false): Frame {
  const r = decodeFrame(encodeFrame({ channel, flags: (more ? Flag.more : 0) | (cont ? Flag.cont : 0), seq, ack: 0, credit: 0, epoch: 1 }, payload));
  assert.ok(r.ok);
  return r.value;
}

function pushAll(r: Reassembler, frames: Frame[]): ReassemblyEvent[] {
  return frames.flatMap((f) => r.push(f));
}

function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
}

describe('fragment', () => {
  it('keeps a message that fits as one part', () => {
    const m = pattern(96);
    assert.deepEqual(fragment(m, 96).map(hex), [hex(m)]);
    assert.deepEqual(fragment(new Uint8Array(0), 10).map((p) => p.length), [0]);
  });

  it('splits into full parts and a remainder, in order', () => {
    const m = pattern(250);
    const parts = fragment(m, 100);
    assert.deepEqual(parts.map((p) => p.length), [100, 100, 50]);
    assert.equal(parts.map(hex).join(''), hex(m));
  });

  it('clamps a peer max payload above MAX_PAYLOAD, so every part fits a frame', () => {
    const parts = fragment(pattern(MAX_MESSAGE), 0xffff);
    assert.ok(parts.every((p) => p.length <= MAX_PAYLOAD));
    assert.equal(parts.length, Math.ceil(MAX_MESSAGE / MAX_PAYLOAD));
  });

  it('throws RangeError for a message above MAX_MESSAGE or a max payload below 1', () => {
    assert.throws(() => fragment(new Uint8Array(MAX_MESSAGE + 1), 100), RangeError);
    assert.throws(() => fragment(pattern(10), 0), RangeError);
    assert.throws(() => fragment(pattern(10), 2.5), RangeError);
  });
});

describe('Reassembler', () => {
  it('completes an unfragmented frame at once', () => {
    const r = new Reassembler();
    const ev = r.push(single(Channel.control, 9, pattern(5)));
    assert.equal(ev.length, 1);
    assert.equal(ev[0].kind, 'complete');
    if (ev[0].kind === 'complete') {
      assert.deepEqual({ ...ev[0], message: hex(ev[0].message) }, { kind: 'complete', channel: 1, message: hex(pattern(5)), fragments: 1, firstSeq: 9 });
    }
    assert.equal(r.inProgress, false);
  });

  it('rejoins any message split at any size, starting at any seq', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: MAX_PAYLOAD }), fc.integer({ min: 0, max: 0xffff }), (n, max, seq) => {
        const m = pattern(n);
        const r = new Reassembler();
        const events = pushAll(r, framesFor(m, max, seq));
        const done = events.at(-1);
        assert.ok(done && done.kind === 'complete');
        assert.equal(hex(done.message), hex(m));
        assert.equal(done.fragments, Math.ceil(n / max));
        assert.equal(done.firstSeq, seq);
        assert.ok(events.slice(0, -1).every((e) => e.kind === 'pending'));
        assert.equal(r.inProgress, false);
      }),
      { numRuns: 300 },
    );
  });

  it('rejoins a message whose fragments cross the seq wrap (65534, 65535, 0, 1)', () => {
    const m = pattern(350);
    const frames = framesFor(m, 100, 65534);
    assert.deepEqual(frames.map((f) => f.header.seq), [65534, 65535, 0, 1]);
    const events = pushAll(new Reassembler(), frames);
    assert.deepEqual(events.map((e) => e.kind), ['pending', 'pending', 'pending', 'complete']);
    const done = events[3];
    assert.ok(done.kind === 'complete');
    assert.equal(hex(done.message), hex(m));
    assert.equal(done.firstSeq, 65534);
  });

  it('abandons the message, with a reason naming the seqs, when a fragment is missing', () => {
    const frames = framesFor(pattern(300), 100, 10); // seqs 10, 11, 12
    const r = new Reassembler();
    assert.deepEqual(r.push(frames[0]), [{ kind: 'pending' }]);
    const ev = r.push(frames[2]); // 11 lost
    assert.equal(ev[0].kind, 'abandoned');
    if (ev[0].kind === 'abandoned') {
      assert.equal(ev[0].channel, Channel.control);
      assert.equal(ev[0].fragments, 1);
      assert.equal(ev[0].bytes, 100);
      assert.match(ev[0].reason, /seq 12 follows 10/);
    }
    // The frame after the gap carries cont: it is the orphaned tail, reported, never taken for a message.
    assert.equal(ev.length, 2);
    assert.equal(ev[1].kind, 'abandoned');
    assert.ok(ev[1].kind === 'abandoned' && /first fragment lost/.test(ev[1].reason));
  });

  it('abandons the message when a frame of another channel comes in between, then handles that frame', () => {
    const frames = framesFor(pattern(200), 100, 20);
    const r = new Reassembler();
    r.push(frames[0]);
    const eth = single(Channel.ethernet, 21, pattern(42));
    const ev = r.push(eth);
    assert.deepEqual(ev.map((e) => e.kind), ['abandoned', 'complete']);
    if (ev[0].kind === 'abandoned') assert.match(ev[0].reason, /channel 2 interrupted/);
    if (ev[1].kind === 'complete') assert.equal(ev[1].channel, Channel.ethernet);
    assert.equal(r.inProgress, false);
  });

  it('starts a new message when an interrupting frame is itself a first fragment', () => {
    const r = new Reassembler();
    r.push(single(Channel.control, 1, pattern(10), true));
    const ev = r.push(single(Channel.trace, 2, pattern(10), true));
    assert.deepEqual(ev.map((e) => e.kind), ['abandoned', 'pending']);
    const done = r.push(single(Channel.trace, 3, pattern(4), false, true));
    assert.ok(done[0].kind === 'complete' && done[0].channel === Channel.trace && done[0].message.length === 14);
  });

  it('abandons a message past MAX_MESSAGE once, at its last fragment, and never delivers its tail', () => {
    const frames: Frame[] = [];
    const count = Math.ceil((MAX_MESSAGE + 1) / MAX_PAYLOAD) + 1; // comfortably over the limit
    for (let i = 0; i < count; i++) frames.push(single(Channel.control, 100 + i, pattern(MAX_PAYLOAD), i < count - 1, i > 0));
    const r = new Reassembler();
    const events = pushAll(r, frames);
    assert.deepEqual(events.map((e) => e.kind), [...Array(count - 1).fill('pending'), 'abandoned']);
    const last = events.at(-1);
    assert.ok(last && last.kind === 'abandoned');
    assert.equal(last.fragments, count);
    assert.equal(last.bytes, count * MAX_PAYLOAD);
    assert.match(last.reason, /exceeds 16384/);
    assert.equal(r.inProgress, false);
    // The next message is fine.
    assert.equal(r.push(single(Channel.control, 100 + count, pattern(3)))[0].kind, 'complete');
  });

  it('delivers a message of exactly MAX_MESSAGE bytes', () => {
    const m = pattern(MAX_MESSAGE);
    const events = pushAll(new Reassembler(), framesFor(m, MAX_PAYLOAD, 0));
    const done = events.at(-1);
    assert.ok(done && done.kind === 'complete');
    assert.equal(done.message.length, MAX_MESSAGE);
  });

  it('abandon() drops a message in progress with the caller reason, and is a no-op when idle', () => {
    const r = new Reassembler();
    assert.deepEqual(r.abandon('link reset'), { kind: 'pending' });
    r.push(single(Channel.trace, 5, pattern(7), true));
    assert.equal(r.inProgress, true);
    assert.deepEqual(r.abandon('link reset'), { kind: 'abandoned', channel: Channel.trace, fragments: 1, bytes: 7, reason: 'link reset' });
    assert.equal(r.inProgress, false);
  });

  it('swallows the rest of a message whose first fragment was lost, and reports it once', () => {
    const r = new Reassembler();
    assert.deepEqual(r.push(single(Channel.control, 7, pattern(4), true, true)), [{ kind: 'pending' }]);
    const ev = r.push(single(Channel.control, 8, pattern(3), false, true));
    assert.equal(ev.length, 1);
    assert.equal(ev[0].kind, 'abandoned');
    assert.ok(ev[0].kind === 'abandoned' && /first fragment lost/.test(ev[0].reason) && ev[0].fragments === 2 && ev[0].bytes === 7);
    // The next ordinary frame is a message again.
    assert.equal(r.push(single(Channel.control, 9, pattern(1)))[0].kind, 'complete');
  });

  it('reports a lone continuation fragment without delivering it', () => {
    const ev = new Reassembler().push(single(Channel.control, 3, pattern(6), false, true));
    assert.equal(ev.length, 1);
    assert.equal(ev[0].kind, 'abandoned');
  });

  it('abandons an open message when the next frame of its channel lacks cont (a new message began)', () => {
    const r = new Reassembler();
    r.push(single(Channel.control, 1, pattern(10), true));
    const ev = r.push(single(Channel.control, 2, pattern(5)));
    assert.deepEqual(ev.map((e) => e.kind), ['abandoned', 'complete']);
    assert.ok(ev[0].kind === 'abandoned' && /new message began/.test(ev[0].reason));
  });

  it('gives fragment flags: more on all but the last, cont on all but the first', () => {
    assert.equal(fragmentFlags(0, 1), 0);
    assert.equal(fragmentFlags(0, 3), Flag.more);
    assert.equal(fragmentFlags(1, 3), Flag.more | Flag.cont);
    assert.equal(fragmentFlags(2, 3), Flag.cont);
  });

  it('copies fragments, so a caller reusing its receive buffer does not corrupt the message', () => {
    const buf = encodeFrame({ channel: 1, flags: Flag.more, seq: 0, ack: 0, credit: 0, epoch: 1 }, pattern(8));
    const r = new Reassembler();
    const first = decodeFrame(buf);
    assert.ok(first.ok);
    r.push(first.value);
    buf.fill(0); // the transport reuses its buffer
    const done = r.push(single(1, 1, pattern(2), false, true));
    assert.ok(done[0].kind === 'complete');
    assert.equal(hex(done[0].message), hex(pattern(8)) + hex(pattern(2)));
  });
});
