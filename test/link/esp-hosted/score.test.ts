/**
 * Auto-detection scores: each variant's own session scores highest under its own variant, a
 * buddy-protocol transaction (every vector of docs/protocol.md) and random bytes score 0 under
 * all three, and the dummy idle headers tell the variants apart.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ESP_HOSTED_SCORERS, espHostedScore } from '../../../src/link/esp-hosted/score.ts';
import { VARIANT_IDS } from '../../../src/link/esp-hosted/variants.ts';
import { VECTORS } from '../../../src/protocol/vectors.ts';
import { espIdle, hostIdle, TXN_SIZE } from './encoder.ts';
import { SESSIONS } from './sessions.ts';

function pad(b: Uint8Array, n = TXN_SIZE): Uint8Array {
  const out = new Uint8Array(n);
  out.set(b.subarray(0, n));
  return out;
}

describe('esp-hosted scores', () => {
  for (const own of VARIANT_IDS) {
    it(`the ${own} session scores highest as ${own}, and every transaction of it scores > 0`, () => {
      const txns = SESSIONS[own]().items.filter((i) => i.kind === 'txn');
      const totals = Object.fromEntries(VARIANT_IDS.map((v) => [v, 0])) as Record<string, number>;
      for (const t of txns) {
        if (t.kind !== 'txn') continue;
        for (const v of VARIANT_IDS) totals[v] += espHostedScore(v, t.mosi, t.miso);
        assert.ok(espHostedScore(own, t.mosi, t.miso) > 0, `txn ${t.txn}`);
      }
      for (const v of VARIANT_IDS) if (v !== own) assert.ok(totals[own] > totals[v] * 2, `${own} ${totals[own]} vs ${v} ${totals[v]}`);
    });
  }

  it('every buddy-protocol vector, as MOSI and as MISO, scores 0 under every variant', () => {
    assert.ok(VECTORS.length > 5);
    for (const vec of VECTORS) {
      const b = pad(Buffer.from(vec.hex, 'hex'));
      for (const v of VARIANT_IDS) {
        assert.equal(espHostedScore(v, b, b), 0, `${vec.name} as ${v}`);
        assert.equal(espHostedScore(v, hostIdle(), b), 0, `${vec.name} (MISO) as ${v}`);
      }
    }
  });

  it('random bytes score 0', () => {
    let x = 12345;
    const rnd = (): number => (x = (x * 1103515245 + 12345) & 0x7fffffff) >> 16;
    for (let i = 0; i < 300; i++) {
      const a = Uint8Array.from({ length: 256 }, () => rnd() & 0xff);
      const b = Uint8Array.from({ length: 256 }, () => rnd() & 0xff);
      for (const v of VARIANT_IDS) assert.equal(ESP_HOSTED_SCORERS[v](a, b), 0, `sample ${i} as ${v}`);
    }
  });

  it("a variant's dummy idle header rules the other variants out", () => {
    for (const own of VARIANT_IDS) {
      for (const v of VARIANT_IDS) {
        const s = espHostedScore(v, hostIdle(), espIdle(own));
        if (v === own) assert.ok(s >= 2, `${own}`);
        else assert.equal(s, 0, `${own} dummy as ${v}`);
      }
    }
  });
});
