/**
 * The buddy's WiFi link state, a tagged union (embassy's ConnectState style). Only `connected`
 * carries an association; `disconnected` keeps why, which `status` and `link_down` report.
 */
export interface Association {
  readonly ssid: string;
  readonly bssid: Uint8Array;
  readonly channel: number;
}

export type LinkState =
  | { readonly kind: 'idle' }
  | { readonly kind: 'scanning'; readonly id: number }
  | { readonly kind: 'connecting'; readonly id: number; readonly ssid: string; readonly span: number | null }
  | { readonly kind: 'connected'; readonly ap: Association }
  | { readonly kind: 'disconnected'; readonly reason: string };

export type LinkStateName = LinkState['kind'];
