/**
 * The bridge codec: COBS, packet layout and CRC, framing and resync. Property tests cover every
 * packet shape and every way a stream can be cut into chunks; the fixed vectors pin the wire bytes
 * docs/bridge.md documents, so a firmware author can test against them.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cobsDecode, cobsEncode } from '../../src/bridge/cobs.ts';
import { encodeFrames, FrameReader, MAX_FRAME_BYTES, type FrameItem } from '../../src/bridge/framing.ts';
import { crc32c } from '../../src/protocol/crc.ts';
import { Capability, encodePacketInto, LINE_IDS, PacketType, packetSize, parsePacket, type BridgePacket } from '../../src/bridge/packets.ts';
import { ANOMALY_CODES } from '../../src/records/types.ts';

const u64 = fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER });

const packetArb: fc.Arbitrary<BridgePacket> = fc.oneof(
  fc.record({
    type: fc.constant('hello' as const), version: fc.integer({ min: 0, max: 255 }), capabilities: fc.integer({ min: 0, max: 0xffff }),
    clockHz: fc.integer({ min: 1, max: 0xffffffff }), bootId: fc.integer({ min: 0, max: 0xffffffff }), originTicks: u64, nowTicks: u64,
    name: fc.string({ maxLength: 40 }),
  }),
  fc.integer({ min: 0, max: 600 }).chain((n) => fc.record({
    type: fc.constant('txn' as const), seq: fc.integer({ min: 0, max: 0xffffffff }), startTicks: u64, endTicks: u64,
    flags: fc.integer({ min: 0, max: 3 }), partialBits: fc.integer({ min: 0, max: 7 }),
    mosi: fc.uint8Array({ minLength: n, maxLength: n }), miso: fc.uint8Array({ minLength: n, maxLength: n }),
  })),
  fc.record({ type: fc.constant('line' as const), ticks: u64, line: fc.constantFrom(...LINE_IDS), level: fc.constantFrom(0 as const, 1 as const) }),
  fc.record({ type: fc.constant('drop' as const), startTicks: u64, endTicks: u64, count: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ type: fc.constant('time' as const), ticks: u64 }),
);

function raw(p: BridgePacket): Uint8Array {
  const b = new Uint8Array(packetSize(p));
  assert.equal(encodePacketInto(p, b), b.length);
  return b;
}

function packetsOf(items: readonly FrameItem[]): BridgePacket[] {
  return items.flatMap((i) => (i.kind === 'packet' ? [i.packet] : []));
}

function readAll(chunks: readonly Uint8Array[]): FrameItem[] {
  const r = new FrameReader();
  return [...chunks.flatMap((c) => r.push(c)), ...r.finish()];
}

describe('COBS', () => {
  it('round-trips any bytes and never emits 0x00', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1200 }), (b) => {
      const e = cobsEncode(b);
      assert.equal(e.indexOf(0), -1);
      assert.deepEqual(cobsDecode(e), b);
    }));
  });

  it('matches the textbook vectors (254-byte groups included)', () => {
    assert.deepEqual([...cobsEncode(Uint8Array.of(0))], [1, 1]);
    assert.deepEqual([...cobsEncode(Uint8Array.of(0x11, 0x22, 0, 0x33))], [3, 0x11, 0x22, 2, 0x33]);
    const run = new Uint8Array(254).fill(7);
    assert.deepEqual([...cobsEncode(run)], [0xff, ...run, 1]);
  });

  it('rejects a code byte pointing past the end', () => {
    assert.equal(cobsDecode(Uint8Array.of(5, 1, 2)), null);
  });
});

describe('bridge packets', () => {
  it('round-trip every packet type through encode and parse', () => {
    fc.assert(fc.property(packetArb, (p) => {
      const r = parsePacket(raw(p));
      assert.ok(r.ok, r.ok ? '' : r.reason);
      assert.deepEqual(r.packet, { ...p }); // fc.record builds null-prototype objects
    }));
  });

  it('cuts a HELLO name at 64 bytes', () => {
    const r = parsePacket(raw({ type: 'hello', version: 1, capabilities: 0, clockHz: 1, bootId: 0, originTicks: 0, nowTicks: 0, name: 'x'.repeat(80) }));
    assert.ok(r.ok && r.packet.type === 'hello' && r.packet.name === 'x'.repeat(64));
  });

  it('pins the LINE wire layout (docs/bridge.md example)', () => {
    const b = raw({ type: 'line', ticks: 1500, line: 'irq', level: 1 });
    assert.deepEqual([...b.subarray(0, 11)], [0x03, 0xdc, 0x05, 0, 0, 0, 0, 0, 0, 0x01, 0x01]);
    assert.equal(b.length, 15);
  });

  it('rejects any single flipped bit (CRC-32C)', () => {
    const p = raw({ type: 'txn', seq: 9, startTicks: 100, endTicks: 900, flags: 0, partialBits: 0, mosi: Uint8Array.of(1, 2, 3), miso: Uint8Array.of(4, 5, 6) });
    for (let bit = 0; bit < p.length * 8; bit++) {
      const c = p.slice();
      c[bit >> 3] ^= 1 << (bit & 7);
      assert.equal(parsePacket(c).ok, false, `bit ${bit}`);
    }
  });

  it('names what is wrong with a packet that passes its CRC but not its layout', () => {
    const reason = (b: Uint8Array): string => {
      const r = parsePacket(b);
      assert.ok(!r.ok);
      return r.reason;
    };
    const withCrc = (body: number[]): Uint8Array => {
      const b = Buffer.alloc(body.length + 4);
      b.set(body);
      b.writeUInt32LE(crc32c(b.subarray(0, body.length)), body.length);
      return b;
    };
    assert.match(reason(withCrc([0x7e, 1, 2])), /unknown packet type 0x7e/);
    assert.match(reason(withCrc([0x03, 1, 0, 0, 0, 0, 0, 0, 0, 9, 1])), /unknown line id 9/);
    assert.match(reason(withCrc([0x05, 1, 2, 3])), /TIME body of 3 bytes/);
    const flipped = raw({ type: 'time', ticks: 5 });
    flipped[0] = 0x04;
    assert.match(reason(flipped), /CRC 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}/);
    assert.match(reason(Uint8Array.of(1, 2)), /too short/);
  });
});

describe('framing and resync', () => {
  it('decodes the same packets however the stream is cut into chunks', () => {
    fc.assert(fc.property(fc.array(packetArb, { maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 20 }), (ps, cuts) => {
      const bytes = encodeFrames(ps, true);
      const chunks: Uint8Array[] = [];
      for (let at = 0, k = 0; at < bytes.length; k++) {
        const n = cuts[k % cuts.length];
        chunks.push(bytes.subarray(at, at + n));
        at += n;
      }
      const items = readAll(chunks);
      assert.equal(items.filter((i) => i.kind === 'garbage').length, 0);
      assert.equal(packetsOf(items).length, ps.length);
    }));
  });

  it('skips a run of garbage between packets and reports it once, with its size', () => {
    const a = encodeFrames([{ type: 'time', ticks: 1 }]);
    const b = encodeFrames([{ type: 'time', ticks: 2 }]);
    // Noise with delimiters inside it: several bad frames, still one run.
    const noise = Buffer.from([1, 2, 3, 0, 9, 9, 9, 9, 0, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0]);
    const items = readAll([a, noise, b]);
    assert.deepEqual(items.map((i) => i.kind), ['packet', 'garbage', 'packet']);
    const g = items[1];
    assert.ok(g.kind === 'garbage');
    assert.equal(g.bytes, noise.length);
  });

  it('finds the next packet after a frame cut in the middle (a reader joining mid-stream)', () => {
    const whole = encodeFrames([{ type: 'line', ticks: 7, line: 'ready', level: 1 }, { type: 'time', ticks: 8 }]);
    const items = readAll([whole.subarray(5)]);
    assert.deepEqual(items.map((i) => i.kind), ['garbage', 'packet']);
    assert.deepEqual(packetsOf(items), [{ type: 'time', ticks: 8 }]);
  });

  it('bounds memory on a stream with no delimiter, and recovers at the next one', () => {
    const r = new FrameReader();
    const junk = new Uint8Array(64 * 1024).fill(0x55);
    let items: FrameItem[] = [];
    for (let i = 0; i < 40; i++) items.push(...r.push(junk));
    assert.equal(items.length, 0);
    // The reader holds at most one legal frame's worth.
    assert.ok((r as unknown as { buf: Uint8Array }).buf.length <= MAX_FRAME_BYTES);
    items = r.push(Buffer.concat([Uint8Array.of(0), encodeFrames([{ type: 'time', ticks: 3 }])]));
    assert.deepEqual(items.map((i) => i.kind), ['garbage', 'packet']);
    assert.ok(items[0].kind === 'garbage' && items[0].bytes === 40 * junk.length + 1 && /no delimiter/.test(items[0].reason));
  });

  it('counts packets damaged in transit (bad CRC-32C) as one burst with the offset of the first, apart from noise', () => {
    const good = (ticks: number): Buffer => encodeFrames([{ type: 'time', ticks }]);
    const damaged = (ticks: number): Buffer => {
      const b = raw({ type: 'time', ticks });
      b[3] ^= 0x10; // a bit flipped in the body: the frame is well formed, its CRC is not
      return Buffer.concat([cobsEncode(b), Uint8Array.of(0)]);
    };
    const noise = Buffer.from([0x41, 0x42, 0]);
    const parts = [good(1), damaged(2), damaged(3), good(4), damaged(5), noise, good(6)];
    const r = new FrameReader();
    const items = parts.flatMap((p) => r.push(p));
    assert.deepEqual(items.map((i) => i.kind), ['packet', 'bad-packets', 'packet', 'bad-packets', 'garbage', 'packet']);
    const [first, second] = items.filter((i) => i.kind === 'bad-packets');
    assert.ok(first.kind === 'bad-packets' && second.kind === 'bad-packets');
    const offsetOf = (k: number): number => parts.slice(0, k).reduce((n, p) => n + p.length, 0);
    assert.deepEqual({ ...first, reason: '' }, { kind: 'bad-packets', count: 2, bytes: parts[1].length + parts[2].length, offset: offsetOf(1), reason: '' });
    assert.match(first.reason, /^CRC 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8}$/);
    assert.ok(second.count === 1 && second.offset === offsetOf(4));
    assert.equal(r.badPackets, 3);
    assert.equal(r.badBursts, 2);
    assert.equal(r.garbageRuns, 1, 'the noise is a resync; the damaged packets are not');
    // Before the first good packet (or after a reconnect) the reader may have joined mid-frame: a
    // bad CRC there is garbage, not damage.
    const fresh = new FrameReader();
    assert.deepEqual([damaged(7), good(8)].flatMap((p) => fresh.push(p)).map((i) => i.kind), ['garbage', 'packet']);
    fresh.reset();
    assert.deepEqual([damaged(9), good(10)].flatMap((p) => fresh.push(p)).map((i) => i.kind), ['garbage', 'packet']);
  });

  it('ignores empty frames (0x00 filler) and reports a frame cut by the end of input', () => {
    const t = encodeFrames([{ type: 'time', ticks: 4 }]);
    const items = readAll([Uint8Array.of(0, 0, 0), t, Uint8Array.of(0, 0), t.subarray(0, 4)]);
    assert.deepEqual(items.map((i) => i.kind), ['packet', 'garbage']);
  });
});

describe('docs/bridge.md', () => {
  const doc = readFileSync(new URL('../../docs/bridge.md', import.meta.url), 'utf8');

  it('lists every packet type with its code', () => {
    for (const [name, code] of Object.entries(PacketType)) {
      assert.match(doc, new RegExp(`\\| 0x${code.toString(16).padStart(2, '0')} \\| ${name.toUpperCase()} \\|`), name);
    }
  });

  it('names only anomaly codes that exist, and every code the live reader emits', () => {
    for (const m of doc.matchAll(/`([a-z]+(?:-[a-z]+)+)` anomal/g)) assert.ok((ANOMALY_CODES as readonly string[]).includes(m[1]), m[1]);
    for (const code of ['stream-resync', 'bridge-reset', 'capture-gap', 'cs-glitch']) assert.match(doc, new RegExp(`\`${code}\``), code);
  });

  it('names every capability bit', () => {
    for (const [name, bit] of Object.entries(Capability)) assert.match(doc, new RegExp(`bit ${Math.log2(bit)} \`${name}\``), name);
  });
});
