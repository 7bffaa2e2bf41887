/**
 * Access points in range: ssid, bssid, channel, security, passphrase and an RSSI that drifts as a
 * seeded random walk (+-1 dB a second, clamped to -90..-30). Decides what a scan finds and how a
 * connect attempt ends, with WiFi-like timing:
 * - unknown (or vanished) SSID: `no-ap` after a directed probe of `noApNs` (1.5 s);
 * - wrong or missing passphrase on a secured AP: the 4-way handshake times out, `auth-failed`
 *   after `authTimeoutNs` (1 s);
 * - otherwise associated after `assocNs` (120 ms).
 * `remove(ssid)` makes an AP vanish (link loss); listeners hear about it.
 */
import type { Rng } from '../prng.ts';
import type { Scheduler } from '../scheduler.ts';

export interface ApConfig {
  readonly ssid: string;
  readonly bssid?: string;
  readonly channel: number;
  readonly rssi: number;
  readonly security: string;
  readonly passphrase?: string;
}

export interface Ap {
  readonly ssid: string;
  readonly bssid: Uint8Array;
  readonly channel: number;
  rssi: number;
  readonly security: string;
  readonly passphrase?: string;
  present: boolean;
}

export type ConnectOutcome =
  | { readonly kind: 'ok'; readonly ap: Ap; readonly delayNs: number }
  | { readonly kind: 'auth-failed'; readonly delayNs: number }
  | { readonly kind: 'no-ap'; readonly delayNs: number };

export const WIFI_TIMING = { scanNs: 1_200_000_000, assocNs: 120_000_000, authTimeoutNs: 1_000_000_000, noApNs: 1_500_000_000, beaconLossNs: 1_024_000_000 };

export class AccessPoints {
  readonly aps: Ap[];
  private goneListeners: ((ap: Ap) => void)[] = [];

  constructor(private readonly sched: Scheduler, private readonly rng: Rng, configs: readonly ApConfig[]) {
    this.aps = configs.map((c, i) => ({
      ssid: c.ssid,
      bssid: c.bssid ? parseMac(c.bssid) : new Uint8Array([0x02, 0x11, 0x22, 0x33, 0x44, 0x10 + i]),
      channel: c.channel,
      rssi: c.rssi,
      security: c.security,
      passphrase: c.passphrase,
      present: true,
    }));
    if (this.aps.length) this.sched.after(1e9, () => this.drift());
  }

  private drift(): void {
    for (const ap of this.aps) ap.rssi = Math.max(-90, Math.min(-30, ap.rssi + this.rng.int(-1, 1)));
    this.sched.after(1e9, () => this.drift());
  }

  onGone(fn: (ap: Ap) => void): void {
    this.goneListeners.push(fn);
  }

  scan(): Ap[] {
    return this.aps.filter((a) => a.present);
  }

  connect(ssid: string, passphrase: string | undefined): ConnectOutcome {
    const ap = this.aps.find((a) => a.present && a.ssid === ssid);
    if (!ap) return { kind: 'no-ap', delayNs: WIFI_TIMING.noApNs };
    if (ap.security !== 'open' && passphrase !== ap.passphrase) return { kind: 'auth-failed', delayNs: WIFI_TIMING.authTimeoutNs };
    return { kind: 'ok', ap, delayNs: WIFI_TIMING.assocNs };
  }

  find(bssid: Uint8Array): Ap | undefined {
    return this.aps.find((a) => a.bssid.every((b, i) => b === bssid[i]));
  }

  remove(ssid: string): void {
    for (const ap of this.aps) {
      if (ap.ssid !== ssid || !ap.present) continue;
      ap.present = false;
      for (const fn of this.goneListeners) fn(ap);
    }
  }

  restore(ssid: string): void {
    for (const ap of this.aps) if (ap.ssid === ssid) ap.present = true;
  }
}

export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/).map((h) => parseInt(h, 16));
  if (parts.length !== 6 || parts.some((p) => !(p >= 0 && p <= 255))) throw new TypeError(`not a MAC address: ${text}`);
  return new Uint8Array(parts);
}
