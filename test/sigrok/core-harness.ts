/**
 * Runs the Python decoder core (sigrok/buddylink/buddylink_core, shared with the Saleae analyzer)
 * and the TypeScript LinkDecoder over the same transactions, and puts both outputs in one form:
 * frames (header fields, payload, reassembled message, message type and id) and anomalies (code,
 * transaction, direction, byte offset, count), in emission order. A difference is a rule one of
 * them applies differently.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { toHex } from '../../src/protocol/bytes.ts';
import { LinkDecoder } from '../../src/link/buddy/decoder.ts';
import type { BuddyRecord, TxnRecord } from '../../src/records/types.ts';
import { ROOT } from '../cli/helpers.ts';

export const CORE_PARENT = join(ROOT, 'sigrok', 'buddylink');
const RUNNER = join(ROOT, 'test', 'sigrok', 'link_runner.py');

export type Decoded = { kind: 'control'; type: string; id: number; code?: number } | { kind: 'trace'; type: string; variant?: number };

export type LinkOut =
  | {
    kind: 'frame'; txn: number; dir: string; channel: number; seq: number; ack: number; flags: number; credit: number; epoch: number;
    payload: string; fragments?: number; message?: string; decoded?: Decoded;
  }
  | { kind: 'anomaly'; code: string; txn?: number; dir?: string; offset?: number; count?: number };

function decodedOf(r: BuddyRecord & { kind: 'frame' }): Decoded | undefined {
  const d = r.decoded;
  if (d?.kind === 'control') {
    return d.msg.type === 'unknown' ? { kind: 'control', type: 'unknown', id: d.msg.id, code: d.msg.code } : { kind: 'control', type: d.msg.type, id: d.msg.id };
  }
  if (d?.kind === 'trace') return d.event.type === 'unknown' ? { kind: 'trace', type: 'unknown', variant: d.event.variant } : { kind: 'trace', type: d.event.type };
  return undefined;
}

/** One record in the harness's form; transactions and line records have none. */
export function linkOut(r: BuddyRecord): LinkOut | null {
  if (r.kind === 'anomaly') {
    const out: LinkOut = { kind: 'anomaly', code: r.code };
    if (r.txn !== undefined) out.txn = r.txn;
    if (r.dir !== undefined) out.dir = r.dir;
    if (r.offset !== undefined) out.offset = r.offset;
    if (r.count !== undefined) out.count = r.count;
    return out;
  }
  if (r.kind !== 'frame') return null;
  const out: LinkOut = {
    kind: 'frame', txn: r.txn, dir: r.dir, channel: r.channel, seq: r.seq, ack: r.ack, flags: r.flags, credit: r.credit, epoch: r.epoch,
    payload: toHex(r.payload),
  };
  if (r.message !== undefined) {
    out.fragments = r.fragments;
    out.message = toHex(r.message);
    const d = decodedOf(r);
    if (d) out.decoded = d;
  }
  return out;
}

export function typescriptLink(txns: readonly TxnRecord[]): LinkOut[] {
  const d = new LinkDecoder();
  return [...d.push(txns), ...d.finish()].map(linkOut).filter((x): x is LinkOut => x !== null);
}

/** Several captures through one Python process (each with a fresh decoder): one output list each. */
export function pythonLink(captures: readonly (readonly TxnRecord[])[]): LinkOut[][] {
  const lines = captures.map((txns) => txns.map((t) => JSON.stringify({ txn: t.txn, mosi: toHex(t.mosi), miso: toHex(t.miso) })).join('\n'));
  const r = spawnSync('python3', ['-B', RUNNER, CORE_PARENT], { input: lines.join('\n{"session": true}\n'), encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`link_runner.py failed (${r.status}): ${r.stderr}`);
  const out: LinkOut[][] = [[]];
  for (const l of r.stdout.split('\n')) {
    if (l === '') continue;
    const o = JSON.parse(l) as LinkOut | { kind: 'end' };
    if (o.kind === 'end') out.push([]);
    else out[out.length - 1].push(o);
  }
  out.pop();
  if (out.length !== captures.length) throw new Error(`link_runner.py gave ${out.length} captures for ${captures.length}`);
  return out;
}
