import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Scheduler } from '../../src/sim/scheduler.ts';
import { Rng } from '../../src/sim/prng.ts';

test('runs events in time order, ties in insertion order', () => {
  const s = new Scheduler();
  const seen: string[] = [];
  s.at(30, () => seen.push('c'));
  s.at(10, () => seen.push('a1'));
  s.at(20, () => seen.push('b'));
  s.at(10, () => seen.push('a2'));
  s.at(10, () => seen.push('a3'));
  while (s.step()) {}
  assert.deepEqual(seen, ['a1', 'a2', 'a3', 'b', 'c']);
  assert.equal(s.now, 30);
});

test('events scheduled from inside an event at the same instant run after it', () => {
  const s = new Scheduler();
  const seen: number[] = [];
  s.at(5, () => {
    seen.push(1);
    s.after(0, () => seen.push(3));
  });
  s.at(5, () => seen.push(2));
  while (s.step()) {}
  assert.deepEqual(seen, [1, 2, 3]);
});

test('a cancelled timer never fires and the past is clamped to now', () => {
  const s = new Scheduler();
  const seen: string[] = [];
  const t = s.at(10, () => seen.push('cancelled'));
  t.cancelled = true;
  s.at(20, () => s.at(5, () => seen.push(`late@${s.now}`)));
  while (s.step()) {}
  assert.deepEqual(seen, ['late@20']);
});

test('keeps 10k random events sorted', () => {
  const s = new Scheduler();
  const r = new Rng(9);
  const times: number[] = [];
  for (let i = 0; i < 10_000; i++) {
    const t = r.int(0, 1_000_000);
    s.at(t, () => times.push(s.now));
  }
  while (s.step()) {}
  assert.equal(times.length, 10_000);
  for (let i = 1; i < times.length; i++) assert.ok(times[i] >= times[i - 1]);
});

test('the PRNG is reproducible per seed and forks are independent of later draws', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const xs = Array.from({ length: 5 }, () => a.u32());
  assert.deepEqual(Array.from({ length: 5 }, () => b.u32()), xs);
  assert.notDeepEqual(Array.from({ length: 5 }, () => new Rng(43).u32()), xs);
  const f1 = new Rng(7).fork('faults').u32();
  const r = new Rng(7);
  const f2 = r.fork('faults').u32();
  assert.equal(f1, f2);
  for (let i = 0; i < 1000; i++) {
    const v = r.int(1, 255);
    assert.ok(v >= 1 && v <= 255);
  }
});
