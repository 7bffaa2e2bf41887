import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ControlHandlers, type ControlHost } from '../../src/sim/buddy/control.ts';
import { BuddyTxQueues } from '../../src/sim/buddy/queues.ts';
import { Tracer } from '../../src/sim/buddy/trace.ts';
import type { LinkState } from '../../src/sim/buddy/state.ts';
import { decodeControl, type ControlMessage } from '../../src/protocol/control.ts';
import { RequestTable } from '../../src/sim/driver/requests.ts';
import { Scheduler } from '../../src/sim/scheduler.ts';
import type { Ap } from '../../src/sim/world/access-points.ts';

function fakeHost() {
  const sched = new Scheduler();
  const sent: ControlMessage[] = [];
  let scans = 0;
  const ap: Ap = { ssid: 'lab', bssid: new Uint8Array(6), channel: 6, rssi: -50, security: 'wpa2', passphrase: 'secret-pass', present: true };
  const host: ControlHost = {
    get now() { return sched.now; },
    linkState: { kind: 'idle' } as LinkState,
    tracer: new Tracer(new BuddyTxQueues()),
    mac: new Uint8Array(6),
    later: (d, fn) => void sched.after(d, fn),
    sendControl: (b) => {
      const m = decodeControl(b);
      if (m.ok && m.value.type !== 'unknown') sent.push(m.value);
    },
    hello: () => {},
    softReset: () => {},
    status: () => ({ state: 'idle', mac: new Uint8Array(6), uptime_ms: 0, tx_frames: 0, rx_frames: 0, tx_dropped: 0, rx_dropped: 0, trace_dropped: 0 }),
    scanAps: () => { scans++; return [ap]; },
    connectAp: () => ({ kind: 'auth-failed', delayNs: 1e9 }),
    associated: () => {},
    rssiOf: (a) => a.rssi,
  };
  return { sched, host, sent, scans: () => scans };
}

test('answers a duplicate request id from the reply cache without re-executing it', () => {
  const { sched, host, sent, scans } = fakeHost();
  const h = new ControlHandlers(host);
  h.handle({ type: 'scan', id: 7, body: {} });
  h.handle({ type: 'scan', id: 7, body: {} }); // retry while still scanning: ignored
  while (sched.step()) {}
  h.handle({ type: 'scan', id: 7, body: {} }); // retry after the reply: served from cache
  while (sched.step()) {}
  assert.equal(scans(), 1);
  assert.deepEqual(sent.map((m) => `${m.type}#${m.id}`), ['scan_result#7', 'scan_result#7']);
});

test('answers busy while scanning, not-connected to disconnect, unknown-message to an unknown type', () => {
  const { sched, host, sent } = fakeHost();
  const h = new ControlHandlers(host);
  h.handle({ type: 'scan', id: 1, body: {} });
  h.handle({ type: 'connect', id: 2, body: { ssid: 'lab' } });
  h.handle({ type: 'disconnect', id: 3, body: {} });
  h.handle({ type: 'unknown', code: 0x3e, id: 4, body: {} });
  while (sched.step()) {}
  const errs = sent.filter((m) => m.type === 'error').map((m) => (m.type === 'error' ? `${m.id}:${m.body.code}` : ''));
  assert.deepEqual(errs, ['2:busy', '3:not-connected', '4:unknown-message']);
});

test('a connect with the wrong passphrase ends in error auth-failed after the handshake timeout', () => {
  const { sched, host, sent } = fakeHost();
  new ControlHandlers(host).handle({ type: 'connect', id: 5, body: { ssid: 'lab', passphrase: 'wrong-pass' } });
  while (sched.step()) {}
  assert.equal(sched.now, 1e9);
  assert.equal(sent.length, 1);
  assert.ok(sent[0].type === 'error' && sent[0].body.code === 'auth-failed');
  assert.ok(host.linkState.kind === 'disconnected' && host.linkState.reason === 'auth-failed');
});

test('the request table retries with the same id, then settles once with timeout', async () => {
  const sched = new Scheduler();
  const wire: Uint8Array[] = [];
  const t = new RequestTable(sched, (b) => wire.push(b), 2);
  t.open = true;
  const p = t.request('get_status', {}, 1000);
  while (sched.step()) {}
  const o = await p;
  assert.equal(o.ok, false);
  assert.ok(!o.ok && o.code === 'timeout' && o.attempts === 3);
  assert.equal(wire.length, 3);
  const ids = wire.map((b) => { const m = decodeControl(b); return m.ok ? m.value.id : -1; });
  assert.deepEqual(ids, [1, 1, 1]);
  assert.equal(t.onReply({ type: 'status', id: 1, body: { state: 'idle', mac: new Uint8Array(6), uptime_ms: 0, tx_frames: 0, rx_frames: 0, tx_dropped: 0, rx_dropped: 0, trace_dropped: 0 } }), false);
});

test('the request table keeps at most maxRequests outstanding and fails them on a reboot', async () => {
  const sched = new Scheduler();
  const wire: Uint8Array[] = [];
  const t = new RequestTable(sched, (b) => wire.push(b));
  t.maxRequests = 2;
  t.open = true;
  const ps = [t.request('get_status', {}, 1e9), t.request('get_status', {}, 1e9), t.request('get_status', {}, 1e9)];
  assert.equal(wire.length, 2);
  t.onBoot(null);
  assert.equal(wire.length, 3); // the third goes out once the window opens
  const [a, b] = await Promise.all(ps.slice(0, 2));
  assert.ok(!a.ok && a.code === 'buddy-reset' && !b.ok && b.code === 'buddy-reset');
});
