/**
 * Maps a capture's channel names to the buddy link's roles (sck, mosi, miso, cs, ready, irq, reset).
 *
 * `resolveChannels(channels, explicit?)` -> ChannelMap (bit index per role, -1 when absent).
 * - By name, case-insensitive, ignoring surrounding spaces, with common aliases (table below).
 *   Names like `D0`/`Channel 0` are deliberately not aliases: they say nothing about the role.
 * - `explicit` ("sck=0,mosi=1,miso=2,cs=3") assigns roles by channel index or name and overrides
 *   the aliases for those roles; other roles are still matched by name.
 *
 * Errors are ChannelMapError (a usage problem rather than a file fault, so it names no file: the
 * pipeline adds it through resolveChannelsOf): a malformed `--channels` entry, an unknown role name,
 * a channel that does not exist, one channel given two roles explicitly, no SCK, or neither MOSI nor
 * MISO (one data line is enough: write-only devices have no MISO): the message names the role and
 * lists the channels the file has.
 *
 * Example: resolveChannels(['CLK', 'COPI', 'CIPO', 'CS#']) -> { sck: 0, mosi: 1, miso: 2, cs: 3,
 * ready: -1, irq: -1, reset: -1 }.
 */
import { UserFacingError } from '../errors.ts';
import type { ChannelMap, Role } from '../signals/types.ts';
import { DATA_ROLES, REQUIRED_ROLES, ROLES } from '../signals/types.ts';
import { SourceError } from './errors.ts';

/** `where` is "--channels" for a fault in the explicit map, "channels" for one of the file's names. */
export class ChannelMapError extends UserFacingError {
  override name = 'ChannelMapError';

  constructor(readonly where: '--channels' | 'channels', readonly reason: string) {
    super(`${where}: ${reason}`);
  }
}

export const ROLE_ALIASES: Readonly<Record<Role, readonly string[]>> = {
  sck: ['sck', 'clk', 'sclk', 'clock', 'spi_clk'],
  mosi: ['mosi', 'copi', 'sdo', 'si'],
  miso: ['miso', 'cipo', 'so'],
  cs: ['cs', 'ncs', 'csn', 'cs#', 'ss', 'nss', 'enable'],
  ready: ['ready', 'rdy', 'handshake', 'hs'],
  irq: ['irq', 'int', 'data_ready', 'data-ready', 'dataready', 'drdy', 'dr'],
  reset: ['reset', 'rst', 'nrst', 'en'],
};

function norm(s: string): string {
  return s.trim().toLowerCase();
}

export function resolveChannels(channels: readonly string[], explicit?: string): ChannelMap {
  const map: Record<Role, number> = { sck: -1, mosi: -1, miso: -1, cs: -1, ready: -1, irq: -1, reset: -1 };
  const given = new Set<Role>();
  if (explicit !== undefined && explicit.trim() !== '') {
    for (const part of explicit.split(',')) {
      const eq = part.indexOf('=');
      if (eq < 0) throw new ChannelMapError('--channels', `"${part.trim()}": expected role=channel (e.g. sck=0)`);
      const role = norm(part.slice(0, eq)) as Role;
      const target = part.slice(eq + 1).trim();
      if (!ROLES.includes(role)) throw new ChannelMapError('--channels', `unknown role "${part.slice(0, eq).trim()}"; roles are ${ROLES.join(', ')}`);
      const idx = /^\d+$/.test(target) ? Number(target) : channels.findIndex((c) => norm(c) === norm(target));
      if (idx < 0 || idx >= channels.length) {
        throw new ChannelMapError('--channels', `${role}=${target}: no such channel; the file has ${describe(channels)}`);
      }
      if (given.has(role)) throw new ChannelMapError('--channels', `${role} given twice`);
      for (const r of given) {
        if (map[r] === idx) throw new ChannelMapError('--channels', `channel ${idx} given to both ${r} and ${role}`);
      }
      map[role] = idx;
      given.add(role);
    }
  }
  const taken = new Set(Object.values(map).filter((v) => v >= 0));
  for (const role of ROLES) {
    if (given.has(role)) continue;
    const aliases = ROLE_ALIASES[role];
    const idx = channels.findIndex((c, i) => !taken.has(i) && aliases.includes(norm(c)));
    if (idx >= 0) {
      map[role] = idx;
      taken.add(idx);
    }
  }
  for (const role of REQUIRED_ROLES) {
    if (map[role] < 0) {
      throw new ChannelMapError('channels', `no ${role.toUpperCase()} channel: none of ${describe(channels)} is named like ${ROLE_ALIASES[role].join('/')}; map it explicitly, e.g. --channels ${role}=0`);
    }
  }
  if (DATA_ROLES.every((role) => map[role] < 0)) {
    throw new ChannelMapError('channels', `no MOSI or MISO channel: none of ${describe(channels)} is named like ${DATA_ROLES.map((r) => ROLE_ALIASES[r].join('/')).join(' or ')}; map one explicitly, e.g. --channels mosi=1`);
  }
  return map;
}

/** resolveChannels for the capture `source`: a mapping fault becomes a SourceError naming it. */
export function resolveChannelsOf(source: string, channels: readonly string[], explicit?: string): ChannelMap {
  try {
    return resolveChannels(channels, explicit);
  } catch (err) {
    if (err instanceof ChannelMapError) throw new SourceError(source, err.where, err.reason);
    throw err;
  }
}

/** Channels listed in an error: enough to pick from, and the message stays one readable line. */
const LISTED_CHANNELS = 16;

function describe(channels: readonly string[]): string {
  if (channels.length === 0) return 'no channels';
  // JSON quoting: a name with a quote or a line break in it cannot break the one-line message.
  const listed = channels.slice(0, LISTED_CHANNELS).map((c, i) => `${i}:${JSON.stringify(c)}`).join(', ');
  return channels.length > LISTED_CHANNELS ? `${listed} and ${channels.length - LISTED_CHANNELS} more` : listed;
}
