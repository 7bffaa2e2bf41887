/**
 * Live source specs: `tcp://HOST:PORT` (IPv6 hosts in brackets), `serial:PATH` with an optional
 * `@BAUD` (`serial:/dev/ttyACM0@921600`), or `-` for standard input.
 *
 * Example: parseLiveSpec('tcp://[::1]:7878') -> { kind: 'tcp', host: '::1', port: 7878 }
 * A spec that is none of these is a SourceError naming it.
 */
import { SourceError } from '../errors.ts';

export type LiveSpec =
  | { readonly kind: 'tcp'; readonly host: string; readonly port: number }
  | { readonly kind: 'serial'; readonly path: string; readonly baud: number | null }
  | { readonly kind: 'stdin' };

const USAGE = 'expected tcp://HOST:PORT, serial:PATH[@BAUD] or - (standard input)';

export function parseLiveSpec(spec: string): LiveSpec {
  if (spec === '-') return { kind: 'stdin' };
  if (spec.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/[\]]+):(\d{1,5})\/?$/.exec(spec);
    if (!m) throw new SourceError(spec, 'address', `${USAGE}: a TCP address needs a host and a port`);
    const port = Number(m[2]);
    if (port < 1 || port > 65535) throw new SourceError(spec, 'address', `port ${port} is out of range (1-65535)`);
    return { kind: 'tcp', host: m[1].replace(/^\[|\]$/g, ''), port };
  }
  if (spec.startsWith('serial:')) {
    const rest = spec.slice('serial:'.length);
    const m = /^(.+?)(?:@(\d+))?$/.exec(rest);
    if (!m || m[1] === '') throw new SourceError(spec, 'address', `${USAGE}: a serial port needs a device path`);
    const baud = m[2] === undefined ? null : Number(m[2]);
    if (baud !== null && baud < 1) throw new SourceError(spec, 'address', `baud rate ${baud} must be positive`);
    return { kind: 'serial', path: m[1], baud };
  }
  throw new SourceError(spec, 'address', USAGE);
}
