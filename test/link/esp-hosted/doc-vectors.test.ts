/**
 * The test vectors of docs/esp-hosted.md: each decodes, padded to a transaction, to the summary the
 * document gives, and the independent test encoder, fed the decoded header fields and payload,
 * gives the documented bytes back exactly.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { EspHostedDecoder } from '../../../src/link/esp-hosted/decoder.ts';
import { summaryLine } from '../../../src/link/esp-hosted/describe.ts';
import { ROOT } from '../../cli/helpers.ts';
import { frame, type Variant } from './encoder.ts';

interface DocVector {
  readonly name: string;
  readonly variant: Variant;
  readonly dir: string;
  readonly summary: string;
  readonly hex: string;
}

function vectors(): DocVector[] {
  const md = readFileSync(`${ROOT}docs/esp-hosted.md`, 'utf8');
  const body = md.slice(md.indexOf('<!-- esp-vectors:start -->'), md.indexOf('<!-- esp-vectors:end -->'));
  return body.split('\n### ').slice(1).map((block) => {
    const get = (k: string): string => (new RegExp(`^ {4}${k}: (.+)$`, 'm').exec(block) ?? [])[1] ?? '';
    return {
      name: block.split('\n')[0].trim(), variant: get('variant') as Variant, dir: get('dir'), summary: get('summary'),
      hex: (/^ {4}([0-9a-f]+)$/m.exec(block) ?? [])[1] ?? '',
    };
  });
}

describe('docs/esp-hosted.md test vectors', () => {
  const list = vectors();
  it('has a vector for each variant', () => {
    assert.deepEqual([...new Set(list.map((v) => v.variant))].sort(), ['fg', 'mcu', 'ng']);
    assert.ok(list.every((v) => v.hex.length > 24 && v.summary !== ''));
  });
  for (const v of list) {
    it(`${v.name}: decodes to its summary and re-encodes byte for byte`, () => {
      const wire = Uint8Array.from(Buffer.from(v.hex, 'hex'));
      const txn = new Uint8Array(256);
      txn.set(wire);
      const host = v.dir === 'host→ESP';
      const recs = new EspHostedDecoder(v.variant).transaction({ txn: 0, startNs: 0, endNs: 1, mosi: host ? txn : new Uint8Array(256), miso: host ? new Uint8Array(256) : txn });
      assert.deepEqual(recs.filter((r) => r.kind === 'anomaly'), []);
      const f = recs.find((r) => r.kind === 'frame');
      assert.ok(f && f.kind === 'frame');
      assert.equal(summaryLine(f), v.summary);
      const h = f.header;
      const again = frame(v.variant, {
        ifType: h.ifType, ifNum: h.ifNum, flags: h.flags, payload: f.payload, lastByte: h.pktType, offset: h.offset, size: wire.length,
        ...(h.seq !== undefined ? { seq: h.seq } : {}), ...(h.packetType !== undefined ? { packetType: h.packetType } : {}), ...(h.throttle !== undefined ? { throttle: h.throttle } : {}),
      });
      assert.equal(Buffer.from(again).toString('hex'), v.hex);
    });
  }
});
