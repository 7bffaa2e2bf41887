/**
 * Transaction streams to feed two link decoders the same trouble: wire faults on captured
 * transactions (bit flips, drops, repeats, cuts, reordering), payloads rewritten inside
 * well-formed frames (so CBOR and schema checks are reached), and synthetic sessions whose messages
 * are split into fragments. Seeded, so a failure names its case.
 */
import { decodeFrame, encodeFrame } from '../../src/protocol/frame.ts';
import { fragmentFlags } from '../../src/protocol/fragment.ts';
import { Flag } from '../../src/protocol/constants.ts';
import type { TxnRecord } from '../../src/records/types.ts';
import { Rng } from '../../src/sim/prng.ts';

function renumber(txns: readonly TxnRecord[]): TxnRecord[] {
  return txns.map((t, i) => ({ ...t, txn: i, startNs: i * 100_000, endNs: i * 100_000 + 50_000 }));
}

function padded(mosi: Uint8Array, miso: Uint8Array): { mosi: Uint8Array; miso: Uint8Array } {
  const n = Math.max(mosi.length, miso.length);
  const pad = (b: Uint8Array): Uint8Array => {
    const out = new Uint8Array(n);
    out.set(b);
    return out;
  };
  return { mosi: pad(mosi), miso: pad(miso) };
}

function flip(bytes: Uint8Array, rng: Rng, bits: number): Uint8Array {
  const out = bytes.slice();
  for (let k = 0; k < bits && out.length > 0; k++) out[rng.int(0, out.length - 1)] ^= 1 << rng.int(0, 7);
  return out;
}

/** Each transaction, with probability `rate`, suffers one fault: flipped bits, a drop, a repeat, a cut or a swap with the next. */
export function wireFaults(txns: readonly TxnRecord[], seed: number, rate = 0.08): TxnRecord[] {
  const rng = new Rng(seed);
  const out: TxnRecord[] = [];
  for (let i = 0; i < txns.length; i++) {
    const t = txns[i];
    if (!rng.chance(rate)) {
      out.push(t);
      continue;
    }
    switch (rng.int(0, 5)) {
      case 0:
        out.push({ ...t, mosi: flip(t.mosi, rng, rng.int(1, 3)) });
        break;
      case 1:
        out.push({ ...t, miso: flip(t.miso, rng, rng.int(1, 3)) });
        break;
      case 2:
        break; // dropped
      case 3:
        out.push(t, t);
        break;
      case 4: {
        const n = rng.int(0, t.mosi.length);
        out.push({ ...t, mosi: t.mosi.subarray(0, n), miso: t.miso.subarray(0, n) });
        break;
      }
      default:
        if (i + 1 < txns.length) out.push(txns[++i]);
        out.push(t);
    }
  }
  return renumber(out);
}

/**
 * Every intact frame with a payload has it rewritten by `mutate` with probability `rate`, then is
 * encoded again with valid CRCs, so the decoders' message checks see the damage.
 */
export function rewritePayloads(txns: readonly TxnRecord[], seed: number, mutate: (payload: Uint8Array, rng: Rng) => Uint8Array, rate = 0.3): TxnRecord[] {
  const rng = new Rng(seed);
  const again = (bytes: Uint8Array): Uint8Array => {
    const r = decodeFrame(bytes);
    if (!r.ok || r.value.payload.length === 0 || !rng.chance(rate)) return bytes;
    const h = r.value.header;
    return encodeFrame(h, mutate(r.value.payload, rng).subarray(0, 1536));
  };
  return renumber(txns.map((t) => ({ ...t, ...padded(again(t.mosi), again(t.miso)) })));
}

/** Byte-level damage to a CBOR payload: a changed, inserted or removed byte, or a cut. */
export function damageCbor(payload: Uint8Array, rng: Rng): Uint8Array {
  const p = Array.from(payload);
  const at = rng.int(0, Math.max(0, p.length - 1));
  switch (rng.int(0, 3)) {
    case 0:
      p[at] = rng.int(0, 255);
      break;
    case 1:
      p.splice(at, 0, rng.int(0, 255));
      break;
    case 2:
      p.splice(at, 1);
      break;
    default:
      p.length = at;
  }
  return Uint8Array.from(p.length ? p : [0xff]);
}

export type Dir = 'cpu-to-buddy' | 'buddy-to-cpu';

/**
 * A synthetic session: messages sent as frames (split into fragments of `maxPayload`), each frame
 * in a transaction of its own opposite an idle frame, with per-direction sequence numbers and the
 * buddy's epoch on both sides.
 */
export class Session {
  private readonly seq = { 'cpu-to-buddy': 0, 'buddy-to-cpu': 0 };
  private readonly out: TxnRecord[] = [];

  constructor(private readonly epoch = 9, private readonly credit = 8) {}

  /** Splits like src/protocol/fragment.ts, without its size limit, so oversized messages can be sent too. */
  send(dir: Dir, channel: number, message: Uint8Array, maxPayload = 1536): this {
    const parts: Uint8Array[] = [];
    for (let at = 0; at < message.length; at += maxPayload) parts.push(message.subarray(at, at + maxPayload));
    parts.forEach((part, i) => {
      const flags = fragmentFlags(i, parts.length) | Flag.ackValid;
      this.frameTxn(dir, encodeFrame({ channel, flags, seq: this.seq[dir], ack: 0, credit: this.credit, epoch: this.epoch }, part));
      this.seq[dir] = (this.seq[dir] + 1) & 0xffff;
    });
    return this;
  }

  /** A raw frame of `dir` (any flags, seq and channel), not counted by the session. */
  raw(dir: Dir, frame: Uint8Array): this {
    this.frameTxn(dir, frame);
    return this;
  }

  private idle(dir: Dir): Uint8Array {
    return encodeFrame({ channel: 0, flags: Flag.ackValid, seq: this.seq[dir], ack: 0, credit: this.credit, epoch: this.epoch });
  }

  private frameTxn(dir: Dir, frame: Uint8Array): void {
    const other: Dir = dir === 'cpu-to-buddy' ? 'buddy-to-cpu' : 'cpu-to-buddy';
    const pair = dir === 'cpu-to-buddy' ? padded(frame, this.idle(other)) : padded(this.idle(other), frame);
    this.out.push({ kind: 'txn', txn: 0, startNs: 0, endNs: 0, ...pair });
  }

  txns(): TxnRecord[] {
    return renumber(this.out);
  }
}

/** Drops each transaction with probability `rate`: lost fragments, gaps in the middle of messages. */
export function dropSome(txns: readonly TxnRecord[], seed: number, rate: number): TxnRecord[] {
  const rng = new Rng(seed);
  return renumber(txns.filter(() => !rng.chance(rate)));
}
