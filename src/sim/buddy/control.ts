/**
 * The buddy's control request handlers (one per request type, like spiflash's handle_<name>).
 *
 * Every request gets exactly one reply: its REPLY_TO type or `error` {code, text}; `reset` is
 * answered by the next `boot`. Replies are cached by id (the last `replyCacheSize`, default 8): a
 * retried request whose reply is cached is answered from the cache without re-executing; one still
 * executing (scan, connect) is ignored, its reply will come.
 */
import { CONTROL_CODES, controlRole, type ControlBody, type ControlType } from '../../protocol/control-schema.ts';
import { controlMessage, encodeControl, type DecodedControl } from '../../protocol/control.ts';
import type { AccessPoints, Ap } from '../world/access-points.ts';
import { WIFI_TIMING } from '../world/access-points.ts';
import type { LinkState } from './state.ts';
import { CALLSITES, type Tracer } from './trace.ts';

/** What the handlers need from the buddy. */
export interface ControlHost {
  readonly now: number;
  linkState: LinkState;
  readonly tracer: Tracer;
  readonly mac: Uint8Array;
  /** Runs `fn` after `delayNs` unless the buddy has reset in between. */
  later(delayNs: number, fn: () => void): void;
  sendControl(bytes: Uint8Array): void;
  hello(body: ControlBody<'hello'>): void;
  softReset(): void;
  status(): ControlBody<'status'>;
  scanAps(): Ap[];
  connectAp(ssid: string, passphrase: string | undefined): ReturnType<AccessPoints['connect']>;
  associated(ap: Ap): void;
  rssiOf(ap: Ap): number;
}

export class ControlHandlers {
  private cache = new Map<number, Uint8Array>();
  private running = new Set<number>();

  constructor(private readonly host: ControlHost, private readonly cacheSize = 8) {}

  clear(): void {
    this.cache.clear();
    this.running.clear();
  }

  event<T extends ControlType>(type: T, body: ControlBody<T>): void {
    this.host.sendControl(encodeControl(controlMessage(type, 0, body)));
  }

  private reply<T extends ControlType>(id: number, type: T, body: ControlBody<T>): void {
    const bytes = encodeControl(controlMessage(type, id, body));
    this.running.delete(id);
    this.cache.set(id, bytes);
    if (this.cache.size > this.cacheSize) this.cache.delete(this.cache.keys().next().value as number);
    this.host.sendControl(bytes);
  }

  private error(id: number, code: string, text: string): void {
    this.reply(id, 'error', { code, text });
  }

  handle(msg: DecodedControl): void {
    const h = this.host;
    const id = msg.id;
    if (msg.type === 'unknown') return this.error(id, 'unknown-message', `unknown control type 0x${msg.code.toString(16)}`);
    if (controlRole(CONTROL_CODES[msg.type]) !== 'request' || id === 0) {
      if (id !== 0) this.error(id, 'bad-request', `${msg.type} is not a request`);
      return;
    }
    const cached = this.cache.get(id);
    if (cached) return h.sendControl(cached);
    if (this.running.has(id)) return;
    switch (msg.type) {
      case 'hello':
        if (msg.body.protocol !== 1) return this.error(id, 'unsupported', `protocol ${msg.body.protocol}`);
        h.hello(msg.body);
        return this.reply(id, 'ok', {});
      case 'scan':
        return this.scan(id);
      case 'connect':
        return this.connect(id, msg.body.ssid, msg.body.passphrase);
      case 'disconnect': {
        if (h.linkState.kind !== 'connected') return this.error(id, 'not-connected', 'no association');
        h.linkState = { kind: 'disconnected', reason: 'requested' };
        this.reply(id, 'ok', {});
        return this.event('link_down', { reason: 'requested' });
      }
      case 'get_status':
        return this.reply(id, 'status', h.status());
      case 'set_trace_level':
        h.tracer.level = msg.body.level;
        return this.reply(id, 'ok', {});
      case 'reset':
        return h.softReset();
      case 'echo':
        return this.reply(id, 'echo_reply', { data: msg.body.data });
    }
  }

  private busy(id: number): boolean {
    const k = this.host.linkState.kind;
    if (k !== 'scanning' && k !== 'connecting') return false;
    this.error(id, 'busy', `wifi is ${k}`);
    return true;
  }

  private scan(id: number): void {
    const h = this.host;
    if (this.busy(id)) return;
    const before = h.linkState;
    h.linkState = { kind: 'scanning', id };
    this.running.add(id);
    h.tracer.event(CALLSITES.scanning, {});
    h.later(WIFI_TIMING.scanNs, () => {
      const aps = h.scanAps().slice(0, 64);
      h.linkState = before;
      h.tracer.event(CALLSITES.scanDone, { aps: aps.length });
      this.reply(id, 'scan_result', {
        aps: aps.map((a) => ({ ssid: a.ssid, bssid: a.bssid, channel: a.channel, rssi: h.rssiOf(a), security: a.security })),
      });
    });
  }

  private connect(id: number, ssid: string, passphrase: string | undefined): void {
    const h = this.host;
    if (this.busy(id)) return;
    const span = h.tracer.enterSpan(CALLSITES.connect, { ssid });
    h.linkState = { kind: 'connecting', id, ssid, span };
    this.running.add(id);
    const outcome = h.connectAp(ssid, passphrase);
    h.later(outcome.delayNs, () => {
      if (outcome.kind === 'ok') {
        const ap = outcome.ap;
        h.associated(ap);
        h.tracer.event(CALLSITES.associated, { ssid, rssi: h.rssiOf(ap) }, span ?? undefined);
        h.tracer.exitSpan(span);
        const body = { ssid: ap.ssid, bssid: ap.bssid, channel: ap.channel, rssi: h.rssiOf(ap) };
        this.reply(id, 'connected', body);
        this.event('link_up', body);
        return;
      }
      h.linkState = { kind: 'disconnected', reason: outcome.kind };
      if (outcome.kind === 'auth-failed') {
        h.tracer.event(CALLSITES.authFailed, { ssid }, span ?? undefined);
        h.tracer.exitSpan(span);
        return this.error(id, 'auth-failed', `4-way handshake with ${ssid} timed out (wrong passphrase?)`);
      }
      h.tracer.exitSpan(span);
      this.error(id, 'no-ap', `no access point named ${ssid}`);
    });
  }
}
