/**
 * The world a replay runs in: the simulator settings a capture does not carry by itself (access
 * points and passphrases, DNS names, air and background traffic, the buddy's queue sizes, the seed
 * of the simulated world's randomness, buddy-side faults such as a watchdog reset at a given time).
 *
 * Where it comes from, in order (and the report says which):
 * 1. `--world FILE`: a scenario file, or a world file (a scenario without steps);
 * 2. a sidecar next to the capture: `x.pcapng` -> `x.world.json` (the golden corpus ships these);
 * 3. derived from the capture itself (facts.ts): APs from scan results, joins and refusals,
 *    passphrases from connect requests, names from DNS answers, bus clock from transaction lengths. The simulated network
 *    peer keeps its own addresses and no background traffic is invented.
 *
 * Example world file: { "seed": 1, "world": { "aps": [{ "ssid": "lab", "channel": 6, "rssi": -50,
 *   "security": "wpa2", "passphrase": "correct horse" }] } }
 */
import { existsSync } from 'node:fs';
import { z } from 'zod';
import { scenarioSchema, type Scenario } from '../sim/scenario.ts';
import { readJsonFile } from '../sim/json-file.ts';
import type { CaptureFacts, CapturedAp } from './facts.ts';

/**
 * Things the far side of the network did on its own schedule (a scenario step told the peer to
 * flood the CPU): the capture shows only their effect, so a world file lists them with their time.
 */
const worldEventSchema = z.object({ atNs: z.number().int().min(0), do: z.literal('peer-flood'), frames: z.number().int().min(1), size: z.number().int().min(60).max(1514) }).strict();
export type WorldEvent = z.infer<typeof worldEventSchema>;

/** A scenario minus its script: everything replay needs from one. */
export type WorldSpec = Omit<Scenario, 'steps' | 'tailMs' | 'description' | 'name'> & { readonly name?: string; readonly events?: readonly WorldEvent[] };

export type WorldSource = 'file' | 'sidecar' | 'derived';

export interface ReplayWorld {
  readonly spec: WorldSpec;
  readonly source: WorldSource;
  /** The file it came from, or the capture it was derived from. */
  readonly origin: string;
  /** One line per derived or notable setting, for the report. */
  readonly notes: string[];
}

/** Stands for a secured AP's passphrase the capture never revealed. */
export const UNKNOWN_PASSPHRASE = 'unknown to replay: not in the capture';

const worldFileSchema = scenarioSchema.extend({ name: z.string().min(1).optional(), steps: z.array(z.unknown()).optional(), events: z.array(worldEventSchema).optional() });

export function sidecarPath(capture: string): string {
  return capture.replace(/(\.pcapng(\.gz)?|\.ndjson|\.json|\.vcd|\.csv|\.sr)?$/i, '.world.json');
}

export function loadWorldFile(path: string): WorldSpec {
  // The path as given and the line of the fault, like a scenario's (src/sim/json-file.ts).
  const data = readJsonFile(path, worldFileSchema);
  const { steps: _steps, tailMs: _tail, description: _d, ...spec } = data;
  return spec;
}

/** Picks the world for a capture: an explicit file, a sidecar, or one derived from `facts`. */
export function chooseWorld(capture: string, explicit: string | 'derive' | undefined, facts: CaptureFacts): ReplayWorld {
  if (explicit && explicit !== 'derive') return { spec: loadWorldFile(explicit), source: 'file', origin: explicit, notes: [] };
  const side = sidecarPath(capture);
  if (explicit !== 'derive' && side !== capture && existsSync(side)) return { spec: loadWorldFile(side), source: 'sidecar', origin: side, notes: [] };
  return deriveWorld(capture, facts);
}

export function deriveWorld(capture: string, f: CaptureFacts): ReplayWorld {
  const notes: string[] = [];
  const aps = f.aps.map((a) => ({
    ssid: a.ssid, bssid: a.bssid, channel: a.channel, rssi: a.rssi, security: a.security,
    // A passphrase that never worked is not the AP's: a secured AP then refuses whatever is tried.
    ...(a.passphrase !== undefined && a.passphraseWorked ? { passphrase: a.passphrase } : a.security === 'open' ? {} : { passphrase: UNKNOWN_PASSPHRASE }),
  }));
  const listed = (from: CapturedAp['from']): string => f.aps.filter((a) => a.from === from).map((a) => `${a.ssid} ch${a.channel} ${a.rssi} dBm`).join(', ');
  if (!aps.length) notes.push('no scan results, joins or refusals in the capture: no access points');
  if (listed('scan')) notes.push(`access point(s) from scan results: ${listed('scan')}`);
  if (listed('joined')) notes.push(`access point(s) joined without a scan, from the connected reply: ${listed('joined')} (security taken as ${f.aps.some((a) => a.from === 'joined' && a.security !== 'open') ? 'WPA2 since a passphrase was sent' : 'open since no passphrase was sent'})`);
  if (listed('refused')) notes.push(`access point(s) known only from an auth-failed reply (channel and BSSID assumed): ${f.aps.filter((a) => a.from === 'refused').map((a) => a.ssid).join(', ')}`);
  const known = f.aps.filter((a) => a.passphraseWorked).map((a) => a.ssid);
  if (known.length) notes.push(`passphrase from a successful connect for ${[...new Set(known)].join(', ')}`);
  const names = Object.keys(f.names);
  notes.push(names.length ? `${names.length} DNS name(s) from answers: ${names.join(', ')}` : 'no DNS answers in the capture');
  if (f.bus.clockHz) notes.push(`SPI clock ${(f.bus.clockHz / 1e6).toFixed(3)} MHz and turnaround ${f.bus.turnaroundNs} ns solved from transaction lengths`);
  if (f.bus.processingDelayUs !== null) notes.push(`buddy processing delay ${f.bus.processingDelayUs} us (median CS release to READY)`);
  if (!f.bus.readyLine) notes.push('no READY edges: IRQ-only mode');
  notes.push('network: none simulated; against the buddy, the frames it forwarded are replayed over the air from the capture, and against the CPU they are in the captured MISO already');
  const spec: WorldSpec = {
    seed: 0,
    bus: {
      ...(f.bus.clockHz ? { clockHz: f.bus.clockHz } : {}),
      ...(f.bus.turnaroundNs !== null ? { turnaroundNs: f.bus.turnaroundNs } : {}),
      ...(f.bus.readyLine ? {} : { irqOnly: true }),
    },
    buddy: f.bus.processingDelayUs !== null ? { processingDelayUs: f.bus.processingDelayUs } : {},
    driver: f.hello ? { traceLevel: f.hello.trace_level, cpuCredit: Math.max(1, f.hello.credit) } : {},
    // Nothing is invented: no background broadcasts, and no random stalls of other stations on the air.
    world: { aps, names: f.names, backgroundMs: null, mediumBusy: null },
    faults: {},
  };
  return { spec, source: 'derived', origin: capture, notes };
}
