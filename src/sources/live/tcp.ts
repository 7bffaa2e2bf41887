/**
 * Connects to a bridge over TCP (a network bridge, or `buddyshark simulate --serve`). Resolves
 * with the connected socket (no delay on, so small packets are not held back), rejects with the
 * socket error or after `timeoutMs` (default 5000).
 *
 * Example: const sock = await connectTcp('127.0.0.1', 7878); for await (const chunk of sock) ...
 */
import { connect, type Socket } from 'node:net';

export function connectTcp(host: string, port: number, timeoutMs = 5000): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const sock = connect({ host, port });
    const fail = (err: Error): void => {
      sock.destroy();
      reject(err);
    };
    sock.setTimeout(timeoutMs, () => fail(new Error(`no answer within ${timeoutMs} ms`)));
    sock.once('error', fail);
    sock.once('connect', () => {
      sock.off('error', fail);
      sock.setTimeout(0);
      sock.setNoDelay(true);
      resolve(sock);
    });
  });
}
