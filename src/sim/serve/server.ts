/**
 * The simulator as a bridge: `serveScenario(scenario, options)` listens on TCP, runs the scenario
 * paced against the wall clock, and streams its transaction records to every connected client as
 * bridge packets (docs/bridge.md), so every live path (capture --live, view --live, extcap) runs
 * end to end with no hardware.
 *
 * Each client gets a HELLO on connect (1 GHz clock: the simulator's ns survive exactly; origin 0 =
 * the scenario start; boot id new per run), then every record from then on. A slow client gets a
 * DROP packet instead of unbounded memory (client.ts). With `loop` the scenario restarts when it
 * ends and every client gets a new HELLO (a bridge reset: the clock restarts); without it the
 * sockets close when the scenario ends. `stop()` ends at once (Ctrl-C).
 *
 * Options (defaults): host 127.0.0.1, port 0 (a free port), speed 1 (Infinity = as fast as
 * possible), loop false, waitForClient true (the run starts when the first client connects, so it
 * sees the scenario from time 0), maxQueuedBytes 4 MiB per client, keepaliveMs 1000 (TIME packets
 * when the bus is idle), onListening(address), onClient(event).
 *
 * Example:
 *   const s = await serveScenario(openScenario('demo'), { port: 7878, speed: 10 });
 *   console.error(`listening on ${s.url}`); const result = await s.done;
 */
import { randomInt } from 'node:crypto';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { encodeFrames } from '../../bridge/framing.ts';
import { RecordPacketEncoder, simHello } from '../../bridge/encode-records.ts';
import type { BridgePacket } from '../../bridge/packets.ts';
import { runScenario } from '../run.ts';
import type { SimReport } from '../report.ts';
import type { Scenario } from '../scenario.ts';
import { BridgeClient, DEFAULT_MAX_QUEUED_BYTES } from './client.ts';
import { Pacer } from './pacer.ts';

export interface ServeOptions {
  readonly host?: string;
  readonly port?: number;
  readonly speed?: number;
  readonly loop?: boolean;
  readonly waitForClient?: boolean;
  readonly maxQueuedBytes?: number;
  readonly keepaliveMs?: number;
  readonly onClient?: (event: { readonly kind: 'connected' | 'disconnected'; readonly address: string }) => void;
}

export interface ServeResult {
  /** The last complete run's report (null when stopped before one ended). */
  readonly report: SimReport | null;
  readonly runs: number;
  readonly records: number;
  readonly clients: number;
  /** Events dropped across all clients (slow readers). */
  readonly dropped: number;
  /** True when stop() ended it. */
  readonly stopped: boolean;
}

/** Live counters, readable while serving. */
export interface ServeProgress {
  records: number;
  /** Events dropped so far across all clients, connected or gone. */
  dropped: number;
  clients: number;
}

export interface ScenarioServer {
  readonly host: string;
  readonly port: number;
  /** tcp://HOST:PORT, what `--live` takes. */
  readonly url: string;
  readonly done: Promise<ServeResult>;
  progress(): ServeProgress;
  stop(): void;
}

export const BRIDGE_NAME = 'buddyshark-sim';
/** How long a finished server waits for clients to read what is queued for them. */
const CLOSE_GRACE_MS = 10_000;

function listen(server: Server, host: string, port: number): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port }, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function serveScenario(sc: Scenario, opts: ServeOptions = {}): Promise<ScenarioServer> {
  const speed = opts.speed ?? 1;
  const pacer = new Pacer(speed);
  const clients = new Set<BridgeClient>();
  let totalClients = 0;
  let served = 0;
  let droppedGone = 0;
  let bootId = randomInt(0, 0x1_0000_0000);
  let running = false;
  let stopped = false;
  let firstClient: () => void = () => {};
  const clientArrived = new Promise<void>((resolve) => {
    firstClient = resolve;
  });
  const hello = (): Uint8Array => encodeFrames([simHello(`${BRIDGE_NAME} ${sc.name}`, bootId, running ? pacer.virtualNowNs() : 0)], true);

  const server = createServer((sock: Socket) => {
    if (stopped) {
      sock.destroy();
      return;
    }
    const c = new BridgeClient(sock, opts.maxQueuedBytes ?? DEFAULT_MAX_QUEUED_BYTES);
    clients.add(c);
    totalClients++;
    c.sendAlways(hello());
    opts.onClient?.({ kind: 'connected', address: c.address });
    sock.on('close', () => {
      if (clients.delete(c)) droppedGone += c.dropped;
      opts.onClient?.({ kind: 'disconnected', address: c.address });
    });
    firstClient();
  });
  const addr = await listen(server, opts.host ?? '127.0.0.1', opts.port ?? 0);
  const host = addr.address;
  const url = `tcp://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;

  let wakeStop: () => void = () => {};
  const stopSignal = new Promise<void>((resolve) => {
    wakeStop = resolve;
  });

  function broadcast(packets: BridgePacket[], events: number, startNs: number, endNs: number): void {
    if (packets.length === 0 || clients.size === 0) return;
    const frames = encodeFrames(packets);
    for (const c of clients) c.send(frames, events, startNs, endNs);
  }

  async function serve(): Promise<ServeResult> {
    let report: SimReport | null = null;
    let runs = 0;
    let records = 0;
    if (opts.waitForClient ?? true) await Promise.race([clientArrived, stopSignal]);
    const keepaliveMs = opts.keepaliveMs ?? 1000;
    let lastSend = performance.now();
    const keepalive = Number.isFinite(speed) && keepaliveMs > 0
      ? setInterval(() => {
        if (!running || performance.now() - lastSend < keepaliveMs) return;
        broadcast([{ type: 'time', ticks: pacer.virtualNowNs() }], 0, 0, 0);
        lastSend = performance.now();
      }, keepaliveMs)
      : null;
    try {
      while (!stopped) {
        if (runs > 0) {
          // A new run restarts the clock: every client sees a bridge reset.
          bootId = (bootId + 1 + randomInt(0, 0xffff)) >>> 0;
          for (const c of clients) c.sendAlways(hello());
        }
        const run = runScenario(sc);
        const encoder = new RecordPacketEncoder();
        running = true;
        const packets: BridgePacket[] = [];
        for await (const batch of pacer.pace(run.records)) {
          if (stopped) break;
          packets.length = 0;
          const events = encoder.encode(batch, packets);
          records += batch.length;
          served += batch.length;
          broadcast(packets, events, batch[0].startNs, batch[batch.length - 1].endNs);
          lastSend = performance.now();
        }
        running = false;
        if (stopped) break;
        report = await run.done;
        runs++;
        if (!(opts.loop ?? false)) break;
      }
    } finally {
      if (keepalive) clearInterval(keepalive);
      running = false;
    }
    const dropped = droppedSoFar();
    await closeAll();
    return { report, runs, records, clients: totalClients, dropped, stopped };
  }

  function droppedSoFar(): number {
    return droppedGone + [...clients].reduce((n, c) => n + c.dropped, 0);
  }

  async function closeAll(): Promise<void> {
    const closing = new Promise<void>((resolve) => server.close(() => resolve()));
    const ends = [...clients].map((c) => new Promise<void>((resolve) => {
      if (c.closed) return resolve();
      c.socket.once('close', () => resolve());
      if (stopped) c.socket.destroy();
      else {
        c.end();
        // A client that stopped reading would hold the server open for ever.
        setTimeout(() => c.socket.destroy(), CLOSE_GRACE_MS).unref();
      }
    }));
    await Promise.all([closing, ...ends]);
  }

  const done = serve();
  return {
    host, port: addr.port, url, done,
    progress: () => ({ records: served, dropped: droppedSoFar(), clients: clients.size }),
    stop: () => {
      if (stopped) return;
      stopped = true;
      wakeStop();
      pacer.cancel();
      for (const c of clients) c.socket.destroy();
    },
  };
}
