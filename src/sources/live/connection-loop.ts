/**
 * Keeps a bridge connection (TCP or serial) alive: connect, read until it drops, wait, reconnect.
 * Backoff starts at 100 ms and doubles up to `maxBackoffMs` (default 2000); it resets once a
 * connection delivers a HELLO. Each drop is handed to the BridgeFeed (so the next HELLO becomes a
 * `capture-gap`, and a `bridge-reset` if the bridge restarted). Without reconnect, the first
 * failure ends the source: a failed first connect is a SourceError ("connect"), a dropped
 * connection just ends the stream.
 *
 * Example: await runConnections({ name, connect: () => connectTcp(h, p), feed, queue, ... });
 */
import type { Readable } from 'node:stream';
import { SourceError } from '../errors.ts';
import type { BridgeFeed } from './bridge-feed.ts';
import type { RecordQueue } from './record-queue.ts';
import type { LiveStats, LiveStatus } from './types.ts';

export const FIRST_BACKOFF_MS = 100;
export const DEFAULT_MAX_BACKOFF_MS = 2000;

export interface ConnectionLoop {
  readonly name: string;
  /** "127.0.0.1:7878" or "/dev/ttyACM0": for status lines. */
  readonly where: string;
  readonly connect: () => Promise<Readable>;
  readonly feed: BridgeFeed;
  readonly queue: RecordQueue;
  readonly stats: LiveStats;
  readonly reconnect: boolean;
  readonly maxBackoffMs: number;
  readonly status: (s: LiveStatus) => void;
  readonly stopped: () => boolean;
  /** The loop registers the live connection so stop() can close it. */
  readonly setCurrent: (c: Readable | null) => void;
  /** A sleep that stop() cuts short. */
  readonly sleep: (ms: number) => Promise<void>;
}

export async function runConnections(l: ConnectionLoop): Promise<void> {
  let backoff = FIRST_BACKOFF_MS;
  let everConnected = false;
  while (!l.stopped()) {
    l.status({ state: 'connecting', detail: `connecting to ${l.where}` });
    let conn: Readable;
    try {
      conn = await l.connect();
    } catch (e) {
      const why = (e as Error).message;
      if (!l.reconnect) throw new SourceError(l.name, 'connect', why);
      l.status({ state: 'disconnected', detail: `cannot connect to ${l.where}: ${why}; retrying in ${backoff} ms` });
      await l.sleep(backoff);
      backoff = Math.min(backoff * 2, l.maxBackoffMs);
      continue;
    }
    if (l.stopped()) {
      conn.destroy();
      break;
    }
    if (everConnected) l.stats.reconnects++;
    everConnected = true;
    l.setCurrent(conn);
    l.status({ state: 'connected', detail: `connected to ${l.where}, waiting for the bridge's hello` });
    let why = 'closed by the bridge';
    try {
      await l.feed.pump(conn as AsyncIterable<Buffer>, l.stopped);
    } catch (e) {
      if (e instanceof SourceError) throw e;
      why = (e as Error).message;
    } finally {
      l.setCurrent(null);
      conn.destroy();
    }
    if (l.feed.helloSeen) backoff = FIRST_BACKOFF_MS;
    l.feed.disconnected();
    if (l.stopped()) break;
    if (!l.reconnect) {
      l.status({ state: 'disconnected', detail: `${l.where}: ${why}` });
      break;
    }
    l.status({ state: 'disconnected', detail: `${l.where}: ${why}; reconnecting in ${backoff} ms` });
    await l.sleep(backoff);
    backoff = Math.min(backoff * 2, l.maxBackoffMs);
  }
}
