/**
 * Bad input never throws out of the decoder or the scorer: random bytes, and every session's
 * transactions with random bytes flipped, cut or stretched, give records (anomalies among them),
 * never an exception. Also: the hex pane's field map covers the 12 header bytes exactly once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { EspHostedDecoder } from '../../../src/link/esp-hosted/decoder.ts';
import { detailTree, headerFieldMap, summaryLine } from '../../../src/link/esp-hosted/describe.ts';
import { espHostedScore } from '../../../src/link/esp-hosted/score.ts';
import { VARIANT_IDS, VARIANTS } from '../../../src/link/esp-hosted/variants.ts';
import { SESSIONS } from './sessions.ts';

describe('robustness', () => {
  for (const v of VARIANT_IDS) {
    it(`${v}: mutated session transactions decode without throwing`, () => {
      const txns = SESSIONS[v](96).items.flatMap((i) => (i.kind === 'txn' ? [i] : []));
      fc.assert(fc.property(
        fc.array(fc.record({ at: fc.nat(95), value: fc.integer({ min: 0, max: 255 }), which: fc.boolean() }), { maxLength: 6 }),
        fc.integer({ min: 0, max: 120 }),
        (flips, cut) => {
          const dec = new EspHostedDecoder(v);
          for (const t of txns) {
            const mosi = Uint8Array.from(t.mosi);
            const miso = Uint8Array.from(t.miso);
            for (const f of flips) (f.which ? mosi : miso)[f.at] = f.value;
            const recs = dec.transaction({ ...t, mosi: mosi.slice(0, cut), miso: miso.slice(0, cut) });
            for (const r of recs) {
              assert.equal(typeof summaryLine(r), 'string');
              assert.ok(Array.isArray(detailTree(r)));
            }
            espHostedScore(v, mosi, miso);
          }
          dec.finish();
        },
      ), { numRuns: 150 });
    });

    it(`${v}: random buffers decode without throwing`, () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }), (a, b) => {
        const dec = new EspHostedDecoder(v);
        dec.transaction({ txn: 0, startNs: 0, endNs: 1, mosi: a, miso: b });
        dec.finish();
        espHostedScore(v, a, b);
      }), { numRuns: 300 });
    });

    it(`${v}: the header field map covers bytes 0-11 once, with the variant's offsets`, () => {
      const map = headerFieldMap(v);
      const covered = new Array<number>(12).fill(0);
      for (const f of map) for (let i = f.start; i < f.end; i++) covered[i]++;
      assert.deepEqual(covered, new Array(12).fill(1));
      const len = map.find((f) => f.name === 'len');
      assert.equal(len?.start, VARIANTS[v].layout.len);
    });
  }
});
