/**
 * `--serve` addresses: `tcp://HOST:PORT`, `HOST:PORT` or a bare `PORT` (loopback). Port 0 picks a
 * free port. A host that is not loopback is accepted only with `allowRemote` (--listen): serving a
 * lab's bus to the whole network should never be a typo away.
 *
 * Example: parseServeAddress('7878') -> { host: '127.0.0.1', port: 7878 }
 */
import { isIP } from 'node:net';

export interface ServeAddress {
  readonly host: string;
  readonly port: number;
}

export function isLoopback(host: string): boolean {
  if (host === 'localhost' || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** Returns the address, or a one-line reason it is not acceptable. */
export function parseServeAddress(text: string, allowRemote: boolean): ServeAddress | string {
  const s = text.replace(/^tcp:\/\//, '').replace(/\/$/, '');
  let host = '127.0.0.1';
  let portText = s;
  const m = /^(\[[^\]]+\]|[^:[\]]*):(\d+)$/.exec(s);
  if (m) {
    host = m[1].replace(/^\[|\]$/g, '') || '127.0.0.1';
    portText = m[2];
  }
  if (!/^\d+$/.test(portText)) return `"${text}": expected tcp://HOST:PORT, HOST:PORT or PORT`;
  const port = Number(portText);
  if (port > 65535) return `"${text}": port ${port} is out of range (0-65535; 0 picks a free port)`;
  if (!allowRemote && !isLoopback(host)) {
    return `"${text}": ${host} is not a loopback address; add --listen to serve other machines`;
  }
  return { host, port };
}

/** --speed: a positive number (times real time) or "max". */
export function parseSpeed(text: string | number): number | string {
  if (text === 'max') return Infinity;
  const n = typeof text === 'number' ? text : Number(text);
  if (!Number.isFinite(n) || n <= 0) return `--speed must be a positive number or "max" (got ${text})`;
  return n;
}
