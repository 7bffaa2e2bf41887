/**
 * Per-direction u16 sequence tracking: in order, gaps with their loss count, repeats, the wrap at
 * 65535 -> 0, and idle frames, which carry the next seq without consuming it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SequenceTracker, seqAdd, seqDistance, type SeqVerdict } from '../../src/protocol/sequence.ts';

function run(steps: readonly [seq: number, consumes: boolean][]): SeqVerdict[] {
  const t = new SequenceTracker();
  return steps.map(([seq, consumes]) => t.observe(seq, consumes));
}

describe('seq arithmetic', () => {
  it('adds and measures forward distance modulo 2^16', () => {
    assert.equal(seqAdd(65535, 1), 0);
    assert.equal(seqAdd(65534, 5), 3);
    assert.equal(seqDistance(65535, 0), 1);
    assert.equal(seqDistance(10, 10), 0);
    assert.equal(seqDistance(10, 9), 65535);
  });

  it('distance undoes addition for any seq and step', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), (s, n) => {
      assert.equal(seqDistance(s, seqAdd(s, n)), n);
    }));
  });
});

describe('SequenceTracker', () => {
  it('reports first, then in-order for consecutive frames', () => {
    assert.deepEqual(run([[5, true], [6, true], [7, true]]).map((v) => v.kind), ['first', 'in-order', 'in-order']);
  });

  it('reports a gap with the number of frames lost and the seq it expected', () => {
    assert.deepEqual(run([[5, true], [6, true], [9, true], [10, true]]), [
      { kind: 'first' }, { kind: 'in-order' }, { kind: 'gap', lost: 2, expected: 7 }, { kind: 'in-order' },
    ]);
  });

  it('reports a repeat without moving its expectation back, so later losses still show', () => {
    const t = new SequenceTracker();
    t.observe(10, true);
    t.observe(11, true);
    assert.deepEqual(t.observe(11, true), { kind: 'repeat', expected: 12 });
    assert.deepEqual(t.observe(3, true), { kind: 'repeat', expected: 12 });
    assert.equal(t.next, 12);
    assert.deepEqual(t.observe(14, true), { kind: 'gap', lost: 2, expected: 12 });
  });

  it('wraps from 65535 to 0 in order', () => {
    assert.deepEqual(run([[65534, true], [65535, true], [0, true], [1, true]]).map((v) => v.kind), ['first', 'in-order', 'in-order', 'in-order']);
  });

  it('counts a gap across the wrap', () => {
    assert.deepEqual(run([[65534, true], [2, true]])[1], { kind: 'gap', lost: 3, expected: 65535 });
  });

  it('treats a jump of half the space or more as a step back (repeat), not a loss', () => {
    assert.deepEqual(run([[0, true], [32769, true]])[1], { kind: 'repeat', expected: 1 });
    assert.deepEqual(run([[0, true], [32768, true]])[1], { kind: 'gap', lost: 32767, expected: 1 });
  });

  it('accepts idle frames carrying the next seq, any number of times, without consuming it', () => {
    const t = new SequenceTracker();
    assert.deepEqual(t.observe(4, true), { kind: 'first' });
    assert.deepEqual(t.observe(5, false), { kind: 'in-order' });
    assert.deepEqual(t.observe(5, false), { kind: 'in-order' });
    assert.equal(t.next, 5);
    assert.deepEqual(t.observe(5, true), { kind: 'in-order' });
    assert.equal(t.next, 6);
  });

  it('starts from an idle frame: its seq is the next one expected', () => {
    const t = new SequenceTracker();
    assert.deepEqual(t.observe(0, false), { kind: 'first' });
    assert.equal(t.next, 0);
    assert.deepEqual(t.observe(0, true), { kind: 'in-order' });
  });

  it('sees a loss through an idle frame that carries a later seq', () => {
    const t = new SequenceTracker();
    t.observe(7, true);
    assert.deepEqual(t.observe(10, false), { kind: 'gap', lost: 2, expected: 8 });
    assert.deepEqual(t.observe(10, true), { kind: 'in-order' });
  });

  it('forgets everything on reset', () => {
    const t = new SequenceTracker();
    t.observe(100, true);
    t.reset();
    assert.equal(t.next, null);
    assert.deepEqual(t.observe(3, true), { kind: 'first' });
  });

  it('never reports a gap or repeat for a sender that counts correctly with idles in between', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), fc.array(fc.boolean(), { maxLength: 300 }), (start, consumes) => {
        const t = new SequenceTracker();
        let seq = start;
        for (const c of consumes) {
          const v = t.observe(seq, c);
          assert.ok(v.kind === 'first' || v.kind === 'in-order', v.kind);
          if (c) seq = seqAdd(seq, 1);
        }
      }),
    );
  });
});
