/**
 * Lenient parsing of the arguments Wireshark passes to an extcap. Wireshark's flag set grows with
 * its versions (--extcap-version=4.0, --extcap-capture-filter, --extcap-control-in/out, --debug,
 * --debug-file, --extcap-reload-option, ...), and an extcap that rejects a flag it does not know
 * simply vanishes from the interface list. So: every `--flag`, `--flag value` and `--flag=value`
 * is accepted, flags we do not use are collected in `ignored`, and only the values we act on are
 * checked (a bad one is an ExtcapArgError naming the flag).
 *
 * Booleans follow Wireshark's own rule (EXTCAP_BOOLEAN_REGEX, case-insensitive `^.*([yt1-9])`):
 * `--raw true`, `--raw yes`, `--raw 1` and a bare `--raw` are true; `--raw false`, `--raw 0` false.
 *
 * Example:
 *   parseExtcapArgs(['--capture', '--extcap-interface', 'buddyshark', '--fifo', '/tmp/f', '--raw', 'false'])
 *   // { mode: 'capture', iface: 'buddyshark', fifo: '/tmp/f', raw: false, ... }
 */
import { UserFacingError } from '../errors.ts';
import { DEFAULT_BAUD, DEFAULT_SOURCE } from './protocol.ts';
import { PROTOCOL_CHOICES, type ProtocolChoice } from '../link/select.ts';

export type ExtcapMode = 'interfaces' | 'dlts' | 'config' | 'filter-check' | 'capture' | 'none';

export interface ExtcapArgs {
  readonly mode: ExtcapMode;
  readonly iface?: string;
  readonly fifo?: string;
  readonly captureFilter?: string;
  readonly wiresharkVersion?: string;
  readonly source: string;
  readonly baud: number;
  readonly raw: boolean;
  readonly reconnect: boolean;
  /** --protocol: the link protocol on the bridge (auto by default). */
  readonly protocol: ProtocolChoice;
  /** --debug: connection status lines to stderr. */
  readonly debug: boolean;
  /** --debug-file PATH: connection status lines appended there. */
  readonly debugFile?: string;
  /** Flags we accept and do not use, as given (for --debug output). */
  readonly ignored: readonly string[];
}

export class ExtcapArgError extends UserFacingError {
  override name = 'ExtcapArgError';

  constructor(message: string) {
    super(`extcap: ${message}`);
  }
}

/** Flags that never take a value: a following word is not theirs. */
const SWITCHES = new Set(['extcap-interfaces', 'extcap-dlts', 'extcap-config', 'capture', 'debug', 'help', 'extcap-cleanup-postkill']);
/** Flags whose value may be left out (a bare flag means true). */
const BOOLEANS = new Set(['raw', 'reconnect']);
/**
 * Flags that always carry a value, taken even when it starts with dashes (an empty capture
 * filter arrives as its own empty word; `--extcap-reload-option` names an option, `--source`).
 */
const VALUED = new Set([
  'extcap-interface', 'fifo', 'extcap-capture-filter', 'extcap-reload-option', 'extcap-control-in',
  'extcap-control-out', 'debug-file', 'source', 'baud', 'protocol',
]);

function protocolOf(value: string): ProtocolChoice {
  const p = PROTOCOL_CHOICES.find((c) => c === value.trim());
  if (!p) throw new ExtcapArgError(`--protocol ${value}: not one of ${PROTOCOL_CHOICES.join(', ')}`);
  return p;
}

export function extcapBoolean(value: string): boolean {
  return /^.*([yt1-9])/i.test(value);
}

interface Flag {
  readonly name: string;
  readonly value: string | undefined;
  readonly text: string;
}

function* flags(argv: readonly string[]): Generator<Flag> {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('--') || arg === '--') {
      // Not ours to judge: a stray word (Wireshark never sends one) is ignored, not fatal.
      yield { name: '', value: arg, text: arg };
      continue;
    }
    const eq = arg.indexOf('=');
    if (eq > 0) {
      yield { name: arg.slice(2, eq), value: arg.slice(eq + 1), text: arg };
      continue;
    }
    const name = arg.slice(2);
    const next = argv[i + 1];
    const takesNext = next !== undefined && (VALUED.has(name) || (!SWITCHES.has(name) && !next.startsWith('--') &&
      (!BOOLEANS.has(name) || /^(true|false|yes|no|on|off|[0-9]+)$/i.test(next))));
    if (takesNext) {
      i++;
      yield { name, value: next, text: `${arg} ${next}` };
    } else yield { name, value: undefined, text: arg };
  }
}

function baudOf(value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !/^[0-9]+$/.test(value.trim()) || !Number.isSafeInteger(n) || n <= 0) {
    throw new ExtcapArgError(`--baud: expected a positive whole number, got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return n;
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new ExtcapArgError(`--${name} needs a value`);
  return value;
}

export function parseExtcapArgs(argv: readonly string[]): ExtcapArgs {
  const seen = new Set<string>();
  const ignored: string[] = [];
  let iface: string | undefined;
  let fifo: string | undefined;
  let captureFilter: string | undefined;
  let wiresharkVersion: string | undefined;
  let source = DEFAULT_SOURCE;
  let baud = DEFAULT_BAUD;
  let raw = true;
  let reconnect = true;
  let protocol: ProtocolChoice = 'auto';
  let debugFile: string | undefined;
  for (const f of flags(argv)) {
    seen.add(f.name);
    switch (f.name) {
      case 'extcap-interfaces': case 'extcap-dlts': case 'extcap-config': case 'capture': case 'debug':
        break;
      case 'extcap-interface': iface = required(f.name, f.value); break;
      case 'fifo': fifo = required(f.name, f.value); break;
      case 'extcap-capture-filter': captureFilter = f.value ?? ''; break;
      case 'extcap-version': wiresharkVersion = f.value; break;
      case 'debug-file': debugFile = f.value; break;
      case 'source': source = required(f.name, f.value).trim(); break;
      case 'baud': baud = baudOf(f.value); break;
      case 'raw': raw = f.value === undefined || extcapBoolean(f.value); break;
      case 'reconnect': reconnect = f.value === undefined || extcapBoolean(f.value); break;
      case 'protocol': protocol = protocolOf(required(f.name, f.value)); break;
      default: ignored.push(f.text);
    }
  }
  // Wireshark asks one question per run; the order below settles a mixed command line the way
  // Wireshark would mean it (a capture run also carries the options, a config run the interface).
  let mode: ExtcapMode = 'none';
  if (seen.has('extcap-interfaces')) mode = 'interfaces';
  else if (seen.has('capture')) mode = 'capture';
  else if (seen.has('extcap-dlts')) mode = 'dlts';
  else if (seen.has('extcap-config')) mode = 'config';
  else if (captureFilter !== undefined) mode = 'filter-check';
  return {
    mode, iface, fifo, captureFilter, wiresharkVersion, source, baud, raw, reconnect, protocol,
    debug: seen.has('debug'), debugFile, ignored,
  };
}
