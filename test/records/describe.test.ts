import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sharedDetail, txnSummary, type TreeNode } from '../../src/records/describe.ts';
import type { TxnRecord } from '../../src/records/types.ts';

function txn(over: Partial<TxnRecord>): TxnRecord {
  return { kind: 'txn', txn: 7, startNs: 1_000, endNs: 9_000, mosi: new Uint8Array(0), miso: new Uint8Array(0), ...over };
}

const labels = (nodes: readonly TreeNode[]): string[] => nodes.flatMap((n) => [n.label, ...labels(n.children ?? [])]);

test('a transaction detail says when, how many bytes each way and the word width, not a JSON dump', () => {
  const t = txn({ mosi: Uint8Array.of(1, 2, 3), miso: Uint8Array.of(4, 5, 6) });
  assert.deepEqual(labels(sharedDetail(t)), [
    'SPI transaction #7',
    'time: 1.000 µs .. 9.000 µs (8.000 µs) from capture start',
    'MOSI: 3 bytes',
    'MISO: 3 bytes',
    'word: 8 bits',
  ]);
});

test('wide words, a missing direction and a partial word are said in the transaction detail', () => {
  const t = txn({ mosi: Uint8Array.of(0x12, 0x34, 0x56, 0x78), miso: new Uint8Array(0), wordBits: 16, partialBits: 5 });
  const l = labels(sharedDetail(t));
  assert.ok(l.includes('MOSI: 4 bytes (2 words)'), l.join('\n'));
  assert.ok(l.includes('MISO: not captured'));
  assert.ok(l.includes('word: 16 bits, 2 bytes each, most significant byte first'));
  assert.ok(l.some((x) => x.startsWith('partial word at CS release: 5 bits')));
});

test('a transaction summary shows 16 words a side, fewer when given less room, then how many there were', () => {
  const bytes = Uint8Array.from({ length: 20 }, (_, k) => k);
  const t = txn({ mosi: bytes, miso: bytes });
  const whole = txnSummary(t);
  assert.match(whole, /^SPI #7  MOSI 00 01 .* 0f \.\.\. \(20 words\)  MISO 00 01 .* 0f \.\.\. \(20 words\)$/);
  const narrow = txnSummary(t, 60);
  assert.equal(narrow, 'SPI #7  MOSI 00 01 ... (20 words)  MISO 00 01 ... (20 words)');
  assert.ok(narrow.length <= 60);
  assert.equal(txnSummary(txn({ mosi: Uint8Array.of(1, 2), miso: Uint8Array.of(3, 4) }), 10), 'SPI #7  MOSI 01 ... (2 words)  MISO 03 ... (2 words)', 'at least one word a side');
});
