/**
 * The streaming reader on hand-built files (a naive builder below, independent of the writer):
 * either byte order, several sections, unknown blocks and options, chunk boundaries anywhere,
 * truncation at every byte, and each kind of structural damage.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { pad4 } from '../../src/pcapng/options.ts';
import { readPcapng, type PcapngBlock } from '../../src/pcapng/reader.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { tmpDir } from './fixtures.ts';

// ---- naive builder ----
function u16(be: boolean, v: number): Buffer {
  const b = Buffer.alloc(2);
  be ? b.writeUInt16BE(v) : b.writeUInt16LE(v);
  return b;
}
function u32(be: boolean, v: number): Buffer {
  const b = Buffer.alloc(4);
  be ? b.writeUInt32BE(v) : b.writeUInt32LE(v);
  return b;
}
function pad(b: Buffer): Buffer {
  return Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4)]);
}
function opt(be: boolean, code: number, value: Buffer | string): Buffer {
  const v = typeof value === 'string' ? Buffer.from(value) : value;
  return Buffer.concat([u16(be, code), u16(be, v.length), pad(v)]);
}
const END = Buffer.alloc(4);
function block(be: boolean, type: number, body: Buffer): Buffer {
  const total = 12 + pad(body).length;
  return Buffer.concat([u32(be, type), u32(be, total), pad(body), u32(be, total)]);
}
function shb(be: boolean, opts: Buffer[] = []): Buffer {
  return block(be, 0x0a0d0d0a, Buffer.concat([u32(be, 0x1a2b3c4d), u16(be, 1), u16(be, 0), Buffer.alloc(8, 0xff), ...opts]));
}
function idb(be: boolean, linkType: number, opts: Buffer[] = []): Buffer {
  return block(be, 1, Buffer.concat([u16(be, linkType), u16(be, 0), u32(be, 0), ...opts]));
}
function epb(be: boolean, iface: number, hi: number, lo: number, data: Buffer, opts: Buffer[] = []): Buffer {
  return block(be, 6, Buffer.concat([u32(be, iface), u32(be, hi), u32(be, lo), u32(be, data.length), u32(be, data.length), pad(data), ...opts]));
}

async function collect(input: Buffer, chunk = 1 << 20): Promise<{ blocks: PcapngBlock[]; error?: unknown }> {
  const parts: Buffer[] = [];
  for (let i = 0; i < input.length; i += chunk) parts.push(input.subarray(i, i + chunk));
  const blocks: PcapngBlock[] = [];
  try {
    for await (const b of readPcapng(Readable.from(parts), { name: 'test.pcapng' })) blocks.push(b);
    return { blocks };
  } catch (error) {
    return { blocks, error };
  }
}

function summary(blocks: PcapngBlock[]): string[] {
  return blocks.map((b) => (b.type === 'epb' ? `epb:${b.iface.name}:${b.timestamp}:${b.data.toString('hex')}` : b.type === 'unknown' ? `unknown:${b.blockType.toString(16)}` : `${b.type}@${b.offset}`));
}

describe('pcapng reader', () => {
  it('reads a big-endian file, with options in big endian', async () => {
    const be = true;
    const file = Buffer.concat([
      shb(be, [opt(be, 4, 'other tool'), END]),
      idb(be, 1, [opt(be, 2, 'eth0'), opt(be, 9, Buffer.of(9)), END]),
      epb(be, 0, 0, 1500, Buffer.from('abcde'), [opt(be, 1, 'c1'), opt(be, 2, u32(be, 1)), opt(be, 5, Buffer.from('0000000000000007', 'hex')), END]),
    ]);
    const { blocks, error } = await collect(file);
    assert.equal(error, undefined);
    const [s, i, p] = blocks;
    assert.ok(s.type === 'shb' && !s.littleEndian && s.userappl === 'other tool');
    assert.ok(i.type === 'idb' && i.name === 'eth0' && i.tsresol === 9 && i.linkType === 1);
    assert.ok(p.type === 'epb');
    assert.equal(p.timestamp, 1500n);
    assert.equal(p.data.toString(), 'abcde');
    assert.deepEqual(p.comments, ['c1']);
    assert.equal(p.flags, 1);
    assert.equal(p.packetId, 7n);
  });

  it('reads two sections of different byte order, restarting interface ids, and skips unknown blocks and options', async () => {
    const file = Buffer.concat([
      shb(false),
      idb(false, 1, [opt(false, 2, 'a0'), opt(false, 999, 'ignored option'), END]),
      block(false, 0x0bad, Buffer.from('custom block')),
      block(false, 5, Buffer.alloc(20)), // interface statistics: not parsed
      epb(false, 0, 0, 1, Buffer.of(1), [opt(false, 1234, 'unknown'), END]),
      shb(true),
      idb(true, 252, [opt(true, 2, 'b0'), END]),
      idb(true, 1, [opt(true, 2, 'b1'), END]),
      epb(true, 1, 1, 2, Buffer.of(2)),
      epb(true, 0, 0, 3, Buffer.of(3)),
    ]);
    const { blocks, error } = await collect(file);
    assert.equal(error, undefined);
    assert.deepEqual(summary(blocks).filter((s) => !s.startsWith('shb') && !s.startsWith('idb')), [
      'unknown:bad', 'unknown:5', 'epb:a0:1:01', 'epb:b1:4294967298:02', 'epb:b0:3:03',
    ]);
    assert.equal(blocks.filter((b) => b.type === 'shb').length, 2);
  });

  it('gives the same blocks whatever the chunk boundaries', async () => {
    const file = Buffer.concat([shb(false), idb(false, 1), epb(false, 0, 0, 9, Buffer.from('0123456789')), epb(false, 0, 0, 10, Buffer.alloc(0))]);
    const whole = summary((await collect(file)).blocks);
    for (const size of [1, 2, 3, 5, 7, 13, 64]) assert.deepEqual(summary((await collect(file, size)).blocks), whole, `chunk ${size}`);
  });

  it('reads a file cut at every byte offset up to the last complete block, then marks the cut', async () => {
    const parts = [shb(false, [opt(false, 4, 'x'), END]), idb(false, 1), epb(false, 0, 0, 5, Buffer.from('hello')), epb(false, 0, 0, 6, Buffer.from('hi'), [opt(false, 1, 'note'), END])];
    const file = Buffer.concat(parts);
    const ends: number[] = [];
    parts.reduce((at, p) => (ends.push(at + p.length), at + p.length), 0);
    for (let cut = 0; cut <= file.length; cut++) {
      const { blocks, error } = await collect(file.subarray(0, cut), 8);
      assert.equal(error, undefined, `cut ${cut}`);
      const complete = ends.filter((e) => e <= cut).length;
      const last = complete ? ends[complete - 1] : 0;
      const expectMarker = cut > last || cut === 0;
      assert.equal(blocks.length, complete + (expectMarker ? 1 : 0), `cut ${cut}`);
      if (expectMarker) assert.deepEqual(blocks.at(-1), { type: 'truncated', offset: last }, `cut ${cut}`);
    }
  });

  const broken: [string, Buffer, number, RegExp][] = [
    ['a block total length below 12', Buffer.concat([shb(false), u32(false, 1), u32(false, 8), u32(false, 8)]), 32, /below 12/],
    ['a block total length not a multiple of 4', Buffer.concat([shb(false), u32(false, 1), u32(false, 22), Buffer.alloc(14)]), 32, /multiple of 4/],
    ['an absurd block length', Buffer.concat([shb(false), u32(false, 6), u32(false, 0x7ffffff0)]), 32, /exceeds/],
    ['a trailing length mismatch', Buffer.concat([shb(false), u32(false, 1), u32(false, 20), Buffer.alloc(8), u32(false, 24)]), 44, /trailing block length 24/],
    ['a first block that is not a section header', Buffer.concat([idb(false, 1)]), 0, /not a section header/],
    ['a bad byte-order magic', Buffer.concat([shb(false), u32(false, 0x0a0d0d0a), u32(false, 28), u32(false, 0x12345678), Buffer.alloc(16)]), 36, /magic/],
    ['a packet naming an undeclared interface', Buffer.concat([shb(false), idb(false, 1), epb(false, 3, 0, 0, Buffer.of(1))]), 56, /interface 3/],
    ['an option running past its block', Buffer.concat([shb(false), block(false, 1, Buffer.concat([u16(false, 1), u16(false, 0), u32(false, 0), u16(false, 2), u16(false, 40)]))]), 44, /runs past/],
  ];
  for (const [what, file, at, reason] of broken) {
    it(`throws a SourceError naming the byte for ${what}, after the blocks before it`, async () => {
      const { blocks, error } = await collect(file, 5);
      assert.ok(error instanceof SourceError, `got ${String(error)}`);
      assert.equal(error.source, 'test.pcapng');
      assert.equal(error.where, `byte ${at}`);
      assert.match(error.reason, reason);
      if (at >= 28) assert.equal(blocks[0]?.type, 'shb');
    });
  }

  it('pads any u32 length to a multiple of 4 without overflowing to a negative number', () => {
    for (const [n, want] of [[0, 0], [1, 4], [4, 4], [5, 8], [0x7ffffffd, 0x80000000], [0x7fffffff, 0x80000000], [0x80000000, 0x80000000], [0xfffffffd, 0x100000000], [0xffffffff, 0x100000000]]) {
      assert.equal(pad4(n), want, `pad4(${n})`);
    }
  });

  // Lengths a hostile file may hold where the reader does arithmetic on them: each must end in a
  // SourceError naming the byte, never in a RangeError from Buffer (the bug: 2^31 - 2 passed as -0).
  const HOSTILE_U32 = [0x7ffffffc, 0x7ffffffd, 0x7ffffffe, 0x7fffffff, 0x80000000, 0x80000001, 0xfffffffc, 0xfffffffd, 0xffffffff];
  const HOSTILE_U16 = [0xfffc, 0xfffd, 0xfffe, 0xffff, 0x8000, 0x7fff];
  const hostile: [string, Buffer, number][] = [
    ...HOSTILE_U32.map((n): [string, Buffer, number] => [
      `an EPB captured length of ${n}`,
      Buffer.concat([shb(false), idb(false, 1), block(false, 6, Buffer.concat([u32(false, 0), u32(false, 0), u32(false, 0), u32(false, n), u32(false, 4), Buffer.from('abcd')]))]),
      68,
    ]),
    ...HOSTILE_U32.map((n): [string, Buffer, number] => [
      `an EPB captured length of ${n} in a big-endian section`,
      Buffer.concat([shb(true), idb(true, 1), block(true, 6, Buffer.concat([u32(true, 0), u32(true, 0), u32(true, 0), u32(true, n), u32(true, 4), Buffer.from('abcd')]))]),
      68,
    ]),
    ...HOSTILE_U16.map((n): [string, Buffer, number] => [
      `an EPB option length of ${n}`,
      Buffer.concat([shb(false), idb(false, 1), epb(false, 0, 0, 1, Buffer.of(1), [Buffer.concat([u16(false, 1), u16(false, n)]), Buffer.alloc(8)])]),
      80,
    ]),
    ...HOSTILE_U16.map((n): [string, Buffer, number] => [
      `an IDB option length of ${n}`,
      Buffer.concat([shb(false), idb(false, 1, [Buffer.concat([u16(false, 2), u16(false, n)]), Buffer.alloc(8)])]),
      44,
    ]),
    ...HOSTILE_U16.map((n): [string, Buffer, number] => [
      `an SHB option length of ${n}`,
      shb(false, [Buffer.concat([u16(false, 4), u16(false, n)]), Buffer.alloc(8)]),
      24,
    ]),
    ...HOSTILE_U32.map((n): [string, Buffer, number] => [`a block total length of ${n}`, Buffer.concat([shb(false), u32(false, 6), u32(false, n), Buffer.alloc(64)]), 32]),
  ];
  for (const [what, file, at] of hostile) {
    it(`refuses ${what} with a SourceError at byte ${at}`, async () => {
      const { error } = await collect(file, 7);
      assert.ok(error instanceof SourceError, `got ${String(error)}`);
      assert.equal(error.where, `byte ${at}`);
    });
  }

  it('ends any file with one u32 or u16 field overwritten in a SourceError or a clean read, never another error', async () => {
    const file = Buffer.concat([
      shb(false, [opt(false, 4, 'tool'), END]),
      idb(false, 1, [opt(false, 2, 'eth0'), opt(false, 9, Buffer.of(9)), END]),
      epb(false, 0, 0, 5, Buffer.from('hello'), [opt(false, 1, 'note'), opt(false, 2, u32(false, 1)), opt(false, 2989, Buffer.alloc(6)), END]),
      block(false, 3, Buffer.concat([u32(false, 5), Buffer.from('simple')])),
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: file.length - 2 }),
        fc.oneof(fc.constantFrom(...HOSTILE_U32, 0, 1, 12, 28), fc.integer({ min: 0, max: 0xffffffff })),
        fc.boolean(),
        async (at, value, wide) => {
          const bad = Buffer.from(file);
          if (wide && at + 4 <= bad.length) bad.writeUInt32LE(value, at);
          else bad.writeUInt16LE(value & 0xffff, at);
          const { error } = await collect(bad, 11);
          return error === undefined || error instanceof SourceError;
        },
      ),
      { numRuns: 400 },
    );
  });

  it('streams a file from a path, and names the path in errors', async () => {
    const dir = tmpDir();
    const p = path.join(dir, 'bad.pcapng');
    fs.writeFileSync(p, Buffer.concat([shb(false), idb(false, 1), u32(false, 6), u32(false, 13)]));
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const b of readPcapng(p)) seen.push(b.type);
    }, (e: unknown) => e instanceof SourceError && e.source === p && e.where === 'byte 52');
    assert.deepEqual(seen, ['shb', 'idb']);
  });
});
