/**
 * Pass 1 of a replay: what the capture itself says about the world and the two ends, gathered in
 * one streaming pass over the decoded records (nothing but these small summaries is kept).
 *
 * - epochs: the buddy's boot epochs in the order they appear (replay boots the model with them);
 * - crashTxns: where the buddy's watchdog fired (a `boot` with reset_reason "watchdog"): the last
 *   transaction before it whose MISO still began with a frame's sync byte (after a crash the buddy
 *   is unpowered and MISO floats high);
 * - hello: the CPU's first hello (its credit, trace level and max frame configure the driver);
 * - aps: every access point in scan results, and those the CPU joined without scanning (from the
 *   `connected` reply or `link_up` event) or was refused by (`auth-failed`: the AP exists, its
 *   channel and BSSID unknown); passphrases from connect requests, marked correct when the buddy
 *   answered `connected`;
 * - names: DNS A answers seen in Ethernet frames towards the CPU;
 * - bus: SPI clock and turnaround solved from transaction durations, whether a READY line exists,
 *   and the buddy's median CS-release-to-READY time (its processing delay).
 */
import { Channel, HEADER_SIZE, SYNC, Timing } from '../protocol/constants.ts';
import type { ControlBody } from '../protocol/control-schema.ts';
import type { ControlMessage } from '../protocol/control.ts';
import type { BuddyRecord, RecordStream } from '../records/types.ts';
import { parseDns } from '../sim/net/dns.ts';
import { macText, parseEthernet } from '../sim/net/ethernet.ts';
import { ipText, parseIpv4, parseUdp } from '../sim/net/ip.ts';

export interface CapturedAp {
  ssid: string;
  bssid: string;
  channel: number;
  rssi: number;
  security: string;
  /** Where the capture shows it: a scan result, a join without a scan, or only a refusal. */
  from: 'scan' | 'joined' | 'refused';
  passphrase?: string;
  /** The passphrase led to `connected` (otherwise it was only tried). */
  passphraseWorked: boolean;
}

export interface CaptureFacts {
  epochs: number[];
  crashTxns: number[];
  hello: ControlBody<'hello'> | null;
  aps: CapturedAp[];
  names: Record<string, string>;
  bus: { clockHz: number | null; turnaroundNs: number | null; readyLine: boolean; processingDelayUs: number | null };
  transactions: number;
  durationNs: number;
  /** The capture had TxnRecords (a raw layer). */
  raw: boolean;
  /** READY and IRQ edges in the capture (none in a capture written without its raw layer). */
  lineEdges: number;
}

interface TxnShape {
  bytes: number;
  ns: number;
}

export async function gatherFacts(records: RecordStream): Promise<CaptureFacts> {
  const f: CaptureFacts = {
    epochs: [], crashTxns: [], hello: null, aps: [], names: {},
    bus: { clockHz: null, turnaroundNs: null, readyLine: false, processingDelayUs: null }, transactions: 0, durationNs: 0, raw: false, lineEdges: 0,
  };
  const apByKey = new Map<string, CapturedAp>();
  const tried: { ssid: string; passphrase: string }[] = [];
  /** Connect requests by id, until answered: an error reply names no SSID. */
  const connects = new Map<number, string>();
  const addAp = (ap: CapturedAp): CapturedAp => {
    const key = `${ap.ssid}/${ap.bssid}`;
    const had = apByKey.get(key);
    if (had) return had;
    apByKey.set(key, ap);
    f.aps.push(ap);
    return ap;
  };
  let lastAlive = -1;
  /** The last live transaction before the current one. */
  let aliveBefore = -1;
  let lastTxnEnd = -1;
  let shortest: TxnShape | null = null;
  let longest: TxnShape | null = null;
  const readyDelays: number[] = [];
  const seenTxn = new Set<number>();
  let lastTxn = -1;

  const onControl = (r: Extract<BuddyRecord, { kind: 'frame' }>, m: ControlMessage): void => {
    if (r.dir === 'cpu-to-buddy') {
      if (m.type === 'hello' && !f.hello) f.hello = m.body;
      if (m.type === 'connect') {
        if (m.body.passphrase !== undefined) tried.push({ ssid: m.body.ssid, passphrase: m.body.passphrase });
        if (connects.size >= 64) connects.delete(connects.keys().next().value as number);
        connects.set(m.id, m.body.ssid);
      }
      return;
    }
    if (m.type === 'boot' && m.body.reset_reason === 'watchdog') {
      // The boot frame's own transaction is the new epoch's: the crash was in an earlier one.
      const crashed = lastAlive < r.txn ? lastAlive : aliveBefore;
      if (crashed >= 0) f.crashTxns.push(crashed);
    }
    if (m.type === 'scan_result') {
      for (const a of m.body.aps) addAp({ ssid: a.ssid, bssid: macText(a.bssid), channel: a.channel, rssi: a.rssi, security: a.security, from: 'scan', passphraseWorked: false });
    }
    if (m.type === 'connected' || m.type === 'link_up') {
      const t = [...tried].reverse().find((x) => x.ssid === m.body.ssid);
      // Joined without a scan: the reply says where; a passphrase sent means it is secured (WPA2 the likeliest).
      addAp({ ssid: m.body.ssid, bssid: macText(m.body.bssid), channel: m.body.channel, rssi: m.body.rssi, security: t ? 'wpa2' : 'open', from: 'joined', passphraseWorked: false });
      if (m.type === 'connected' && t) for (const ap of f.aps) if (ap.ssid === m.body.ssid) Object.assign(ap, { passphrase: t.passphrase, passphraseWorked: true });
    }
    if (m.id !== 0 && connects.has(m.id)) {
      const ssid = connects.get(m.id) as string;
      connects.delete(m.id);
      // Refused after the handshake: the AP is there (secured) even if no scan ever listed it.
      if (m.type === 'error' && m.body.code === 'auth-failed' && !f.aps.some((a) => a.ssid === ssid)) {
        addAp({ ssid, bssid: '02:00:00:00:00:01', channel: 1, rssi: -60, security: 'wpa2', from: 'refused', passphraseWorked: false });
      }
    }
  };

  for await (const batch of records) {
    for (const r of batch) {
      f.durationNs = Math.max(f.durationNs, r.endNs);
      if (r.kind === 'txn') {
        f.raw = true;
        noteTxn(r.txn, r.startNs, r.endNs, r.mosi.length);
        aliveBefore = lastAlive;
        if (r.miso[0] === SYNC) lastAlive = r.txn;
      } else if (r.kind === 'line') {
        if (r.line === 'ready' || r.line === 'irq') f.lineEdges++;
        if (r.line === 'ready') {
          f.bus.readyLine = true;
          if (r.level === 1 && lastTxnEnd >= 0 && r.startNs - lastTxnEnd < 5_000_000) readyDelays.push(r.startNs - lastTxnEnd);
        }
      } else if (r.kind === 'frame') {
        if (!f.raw) {
          noteTxn(r.txn, r.startNs, r.endNs, 0);
          if (r.dir === 'buddy-to-cpu' && r.txn !== lastAlive) {
            aliveBefore = lastAlive;
            lastAlive = r.txn;
          }
        }
        if (r.dir === 'buddy-to-cpu' && f.epochs[f.epochs.length - 1] !== r.epoch) f.epochs.push(r.epoch);
        const d = r.decoded;
        if (d?.kind === 'control' && d.msg.type !== 'unknown') onControl(r, d.msg);
        if (r.channel === Channel.ethernet && r.dir === 'buddy-to-cpu' && r.message) noteDns(r.message, f.names);
      } else if (r.kind === 'anomaly' && !f.raw && r.txn !== undefined && r.dir === 'buddy-to-cpu' && r.code !== 'bad-sync' && r.txn !== lastAlive) {
        aliveBefore = lastAlive;
        lastAlive = r.txn;
      }
    }
  }
  // Passphrases tried but never confirmed still tell the world what the CPU believed.
  for (const t of tried) for (const ap of f.aps) if (ap.ssid === t.ssid && ap.passphrase === undefined) ap.passphrase = t.passphrase;
  const clock = solveClock(shortest, longest);
  f.bus.clockHz = clock?.clockHz ?? null;
  f.bus.turnaroundNs = clock?.turnaroundNs ?? null;
  if (readyDelays.length) {
    readyDelays.sort((a, b) => a - b);
    f.bus.processingDelayUs = Math.round(readyDelays[readyDelays.length >> 1] / 1000);
  }
  return f;

  function noteTxn(index: number, startNs: number, endNs: number, bytes: number): void {
    if (index !== lastTxn && !seenTxn.has(index)) {
      f.transactions++;
      lastTxn = index;
      if (seenTxn.size < 4096) seenTxn.add(index);
    }
    lastTxnEnd = endNs;
    if (bytes > HEADER_SIZE * 2) {
      const s = { bytes, ns: endNs - startNs };
      if (!shortest || bytes < shortest.bytes) shortest = s;
      if (!longest || bytes > longest.bytes) longest = s;
    }
  }
}

/**
 * ns = csSetup + bytes * 8e9 / clock + turnaround + csHold for transactions with a body; two of
 * different lengths give clock and turnaround. CS setup and hold are taken as the spec's 100 ns.
 */
function solveClock(a: TxnShape | null, b: TxnShape | null): { clockHz: number; turnaroundNs: number } | null {
  if (!a || !b || b.bytes - a.bytes < 64) return null;
  const nsPerByte = (b.ns - a.ns) / (b.bytes - a.bytes);
  if (!(nsPerByte > 0)) return null;
  const clockHz = Math.round(8e9 / nsPerByte / 1000) * 1000;
  const turnaroundNs = Math.max(0, Math.round(a.ns - Timing.csSetupNs - Timing.csHoldNs - (a.bytes * 8e9) / clockHz));
  return { clockHz, turnaroundNs };
}

function noteDns(frame: Uint8Array, names: Record<string, string>): void {
  const eth = parseEthernet(frame);
  if (!eth || eth.type !== 0x0800) return;
  const ip = parseIpv4(eth.payload);
  if (!ip || ip.proto !== 17) return;
  const udp = parseUdp(ip.payload);
  if (!udp || udp.sport !== 53) return;
  const dns = parseDns(udp.payload);
  if (dns?.response && dns.answers.length && !(dns.name in names)) names[dns.name] = ipText(dns.answers[0]);
}
