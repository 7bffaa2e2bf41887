/**
 * Random link traffic for comparing Wireshark's reassembly with the link decoder's: from a seed,
 * both ends send messages of every channel and size (whole, fragmented, past MAX_MESSAGE), and the
 * capture meets every fault the decoder knows: frames lost or corrupt in header or payload,
 * transactions cut short, sender mistakes (a CONT flag missing, a frame of another channel or a
 * repeated or skipped seq inside a message), buddy reboots, CPU epoch changes, stale CPU frames,
 * bridge restarts, and seq numbers that wrap.
 */
import { controlMessage, encodeControl } from '../../src/protocol/control.ts';
import { encodeTrace } from '../../src/protocol/trace.ts';
import type { BuddyRecord } from '../../src/records/types.ts';
import { Rng } from '../../src/sim/prng.ts';
import { arpRequest } from '../pcapng/fixtures.ts';
import { Channel, LinkScript, corruptHeader, corruptPayload, type Side, type WireFrame } from './link-script.ts';

export async function randomLink(seed: number, transactions: number): Promise<BuddyRecord[]> {
  const rng = new Rng(seed);
  const rnd = (): number => rng.float();
  const int = (n: number): number => Math.floor(rnd() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => int(256));
  const s = new LinkScript(1 + int(200));
  // Start near the top of the seq space, so messages span the wrap.
  s.cpu.seq = 0xffff - int(40);
  s.buddy.seq = 0xffff - int(40);
  let id = 1;

  function message(side: Side, channel: number, size: number): Uint8Array {
    if (channel === Channel.control) {
      const data = new Uint8Array(Math.max(0, size - 12)).fill(int(256));
      return encodeControl(side === s.cpu ? controlMessage('echo', id++, { data }) : controlMessage('echo_reply', id++, { data }));
    }
    if (channel === Channel.trace) return encodeTrace({ type: 'event', body: { meta: 1 + int(9), fields: { message: 'm'.repeat(Math.max(0, size - 20)) } } });
    if (channel === Channel.ethernet && size < 60) return arpRequest();
    if (channel === Channel.bleHci) return Uint8Array.of(0x01, 0x03, 0x0c, ...bytes(Math.max(0, size - 3)));
    return bytes(Math.max(1, size));
  }

  /** A message as its sender queues it, sometimes with a sender's mistake in it. */
  function enqueue(side: Side): void {
    const channel = pick([1, 1, 1, 1, 3, 3, 2, 2, 4, 7, 0]);
    const max = pick([32, 100, 1536]);
    const r = rnd();
    const size = r < 0.6 ? 1 + int(max) : r < 0.97 || max !== 1536 ? max + 1 + int(max * 4) : 16_385 + int(2000);
    const frames = side.message(channel, message(side, channel, size), max);
    const m = rnd();
    if (frames.length > 1 && m < 0.05) {
      // CONT left off a middle or last fragment.
      const k = 1 + int(frames.length - 1);
      frames[k] = { ...frames[k], flags: frames[k].flags & ~0x08 };
    } else if (frames.length > 1 && m < 0.09) {
      // A frame of another channel between two fragments, taking a seq of its own or repeating one.
      const k = 1 + int(frames.length - 1);
      const other = pick([0, 1, 2, 3, 4].filter((c) => c !== channel));
      const extra: WireFrame = { channel: other, flags: 0, seq: frames[k - 1].seq, epoch: side.epoch, payload: other === 2 ? arpRequest() : message(side, other, 20) };
      if (rnd() < 0.5) {
        for (let i = k; i < frames.length; i++) frames[i] = { ...frames[i], seq: (frames[i].seq + 1) % 0x10000 };
        side.seq = (side.seq + 1) % 0x10000;
        extra.seq = (frames[k - 1].seq + 1) % 0x10000;
      }
      frames.splice(k, 0, extra);
    } else if (frames.length > 1 && m < 0.11) {
      frames.splice(1 + int(frames.length - 1), 0, { ...frames[int(frames.length)] }); // a fragment sent twice
    } else if (m < 0.13) {
      side.seq = (side.seq + 1 + int(3)) % 0x10000; // seq skipped before the next message
    }
    side.send(frames);
  }

  for (let t = 0; t < transactions; t++) {
    const e = rnd();
    if (e < 0.006) {
      let epoch = 1 + int(255);
      if (epoch === s.buddy.epoch) epoch = (epoch % 255) + 1;
      s.buddyReboot(epoch, rnd() < 0.5);
      if (rnd() < 0.5) for (const f of s.buddy.queue) f.epoch = epoch; // or frames built before the reboot go out stale
    } else if (e < 0.012) {
      s.cpu.epoch = pick([0, s.buddy.epoch, s.buddy.epoch, 1 + int(255)]);
      if (rnd() < 0.3) s.cpu.seq = 0;
    } else if (e < 0.015) {
      s.bridgeReset();
    } else if (e < 0.025) {
      // A stale CPU frame pushed in front of the queue.
      const stale = s.buddy.epoch === 255 ? 1 : s.buddy.epoch + 1;
      s.cpu.queue.unshift({ channel: pick([1, 2, 3]), flags: pick([0, 0x01, 0x08, 0x09]), seq: int(0x10000), epoch: stale, payload: arpRequest() });
    }
    for (const side of [s.cpu, s.buddy]) if (!side.busy && rnd() < 0.6) enqueue(side);
    const fault = (): ((b: Uint8Array) => Uint8Array) | undefined => {
      const f = rnd();
      return f < 0.03 ? corruptHeader : f < 0.06 ? corruptPayload : undefined;
    };
    s.txn(fault(), fault(), rnd() < 0.01 ? 16 + int(40) : undefined);
  }
  return s.records();
}
