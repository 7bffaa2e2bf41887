/**
 * Every real sigrok session in test/fixtures/real/sigrok-dumps-spi (session versions 1 and 2,
 * unitsize 1 and 2, disabled probes, 8 M-sample captures) read by buddyshark gives, channel by
 * channel, the same level changes at the same sample times as sigrok-cli reads from the same file
 * (the reference reader is in sigrok-bits.ts).
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { SKIP_SIGROK } from './helpers.ts';
import { ourEdges, sigrokBits } from './sigrok-bits.ts';

const ROOT = new URL('../fixtures/real/sigrok-dumps-spi/', import.meta.url).pathname;

function srFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((d) => (d.isDirectory() ? srFiles(join(dir, d.name)) : d.name.endsWith('.sr') ? [join(dir, d.name)] : []))
    .sort();
}

const files = srFiles(ROOT);

describe('real .sr files: buddyshark reads the same samples as sigrok-cli', { skip: SKIP_SIGROK }, () => {
  it('covers both session versions and the 8 M-sample captures', () => {
    const names = files.map((f) => relative(ROOT, f));
    assert.ok(names.length >= 74, `${names.length} files`);
    assert.ok(names.some((n) => n.startsWith('mx25l1605d/')) && names.some((n) => n.startsWith('spi_atmega32/')));
  });
  for (const file of files) {
    it(relative(ROOT, file), async () => {
      const [ref, ours] = await Promise.all([sigrokBits(file), ourEdges(file)]);
      assert.ok(Math.abs(ours.periodNs - 1e9 / ref.samplerate) < 1e-9, `period ${ours.periodNs} ns vs ${ref.samplerate} Hz`);
      // sigrok lists the enabled channels in index order; ours holds every index up to the last enabled one.
      const matched = new Set<number>();
      let from = 0;
      ref.names.forEach((name, j) => {
        const c = ours.channels.indexOf(name, from);
        assert.ok(c >= 0, `sigrok channel "${name}" not among ours: ${ours.channels.join(', ')}`);
        matched.add(c);
        from = c + 1;
        const want = ref.edges[j];
        const got = ours.edges[c];
        assert.equal(got.at.length, want.at.length, `${name}: ${got.at.length} level changes, sigrok ${want.at.length}`);
        assert.deepEqual(got.at, want.at, `${name}: change samples`);
        assert.deepEqual(got.level, want.level, `${name}: levels`);
      });
      ours.channels.forEach((name, c) => {
        if (matched.has(c)) return;
        assert.deepEqual(ours.edges[c].level, ours.edges[c].level.length ? [0] : [], `disabled ${name} reads as a constant 0`);
      });
    });
  }
});
