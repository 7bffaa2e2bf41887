/**
 * The `metadata` entry of a sigrok session (.sr), read as libsigrok's sr_session_load reads it
 * (session_file.c; both session versions use the same keys): a GLib key file whose first
 * `[device N]` group says
 *
 *   capturefile = logic-1      the sample entries' base name
 *   total probes = 8           logic channels in each sample; channel k is bit k
 *   samplerate = 25 MHz        in sr_parse_sizestring form: "25 MHz", "500 kHz", "1000000", "24m"
 *   unitsize = 1               bytes per sample (1 to 8), little-endian
 *   probe1 = CS#               probeN names channel N-1 and enables it; unlisted channels are off
 *
 * Channel k of the result is always probe k+1 (users pick channels by index): the list runs to the
 * highest enabled probe, and a disabled (or empty-named) probe in between is called `probeK`.
 * Disabled probes are masked to 0. States are 32-bit, so an enabled probe past 32 is refused.
 *
 * Errors (SourceError at `entry metadata`, with the line when there is one): anything libsigrok
 * refuses to load (a probe past `total probes`, a bad samplerate, an unparsable line, a bad
 * escape), and what buddyshark cannot represent (unitsize outside 1 to 8, a probe past 32 or past
 * the unitsize).
 *
 * Example: "[device 1]\ncapturefile=logic-1\ntotal probes=8\nsamplerate=1 MHz\nunitsize=1\nprobe1=CLK\nprobe3=CS"
 *   -> channels ['CLK', 'probe2', 'CS'], mask 0b101, samplerate 1e6.
 */
import { SourceError } from './errors.ts';
import { KeyFile, KeyFileError, parseKeyFile } from './key-file.ts';

/** The widest state a change batch holds. */
export const MAX_CHANNELS = 32;
export const MAX_UNITSIZE = 8;

export interface SessionMeta {
  readonly capturefile: string;
  readonly samplerate: number;
  readonly unitsize: number;
  readonly channels: readonly string[];
  /** Bits of the enabled probes. */
  readonly mask: number;
}

const MULTIPLIERS: Record<string, number> = { k: 1e3, m: 1e6, g: 1e9 };

/**
 * sr_parse_sizestring: an integer with an optional fraction, optional spaces, an optional k/M/G
 * multiplier (either case) and an optional "Hz" (any case); the result is truncated to whole Hz as
 * libsigrok's uint64 is. NaN for what libsigrok refuses, and for a fraction glued to its unit
 * ("1.5MHz"): libsigrok's loop skips the character after a fraction and reads that as 1 Hz.
 */
export function parseSamplerate(text: string): number {
  const m = /^(\d*)(\.\d+)?( *)([kmg])?(hz)?$/i.exec(text);
  if (!m || (m[1] === '' && m[2] === undefined)) return Number.NaN;
  if (m[2] !== undefined && m[3] === '' && (m[4] !== undefined || m[5] !== undefined)) return Number.NaN;
  const mult = m[4] ? MULTIPLIERS[m[4].toLowerCase()] : 1;
  return Math.trunc(Number(m[1] || '0') * mult + Number(m[2] ?? '0') * mult);
}

export function parseSessionMetadata(text: string, path: string): SessionMeta {
  const where = 'entry metadata';
  const fail = (reason: string, line?: number): never => {
    throw new SourceError(path, where, line === undefined ? reason : `line ${line}: ${reason}`);
  };
  try {
    const kf = parseKeyFile(text);
    const dev = kf.groups().find((g) => g.startsWith('device '));
    if (dev === undefined) return fail('no [device 1] group');
    return readDevice(kf, dev, fail);
  } catch (e) {
    if (e instanceof KeyFileError) return fail(e.reason, e.line);
    throw e;
  }
}

type Fail = (reason: string, line?: number) => never;

function readDevice(kf: KeyFile, dev: string, fail: Fail): SessionMeta {
  const line = (key: string): number | undefined => kf.lineOf(dev, key);
  const capturefile = kf.get(dev, 'capturefile');
  if (!capturefile) return fail(`no capturefile= in [${dev}]: no logic data (analog-only sessions are not read)`);

  const rateText = kf.get(dev, 'samplerate');
  if (rateText === undefined) return fail(`no samplerate= in [${dev}]`);
  const samplerate = parseSamplerate(rateText);
  if (!(samplerate > 0)) {
    return fail(`bad samplerate "${rateText}" (sigrok writes e.g. "25 MHz", "1.5 MHz", "500 kHz", "1000000")`, line('samplerate'));
  }

  const unitsize = wholeNumber(kf.get(dev, 'unitsize'));
  if (unitsize === undefined || unitsize < 1 || unitsize > MAX_UNITSIZE) {
    return fail(`unitsize "${kf.get(dev, 'unitsize') ?? ''}" is not 1 to ${MAX_UNITSIZE} bytes`, line('unitsize'));
  }
  const total = wholeNumber(kf.get(dev, 'total probes'));
  if (total === undefined) return fail(`bad or missing "total probes" in [${dev}]`, line('total probes'));

  const names: (string | undefined)[] = [];
  let mask = 0;
  for (const key of kf.keys(dev)) {
    const pm = /^probe(\d+)$/.exec(key);
    if (!pm) continue;
    const n = Number(pm[1]);
    const name = kf.get(dev, key) ?? '';
    const at = line(key);
    if (n < 1 || n > total) fail(`${key} is outside the ${total} probes of the capture ("total probes")`, at);
    if (n > unitsize * 8) fail(`${key} is outside the ${unitsize * 8} bits of a ${unitsize}-byte sample`, at);
    if (n > MAX_CHANNELS) fail(`${key}=${name}: only probes 1 to ${MAX_CHANNELS} can be read (states are 32-bit)`, at);
    names[n - 1] = name;
    mask |= 1 << (n - 1);
  }
  if (names.length === 0) return fail(`no probeN= channel names in [${dev}]`);
  const channels = Array.from(names, (name, k) => (name ? name : `probe${k + 1}`));
  return { capturefile, samplerate, unitsize, channels, mask: mask >>> 0 };
}

/** libsigrok reads these with strtoull, which stops at the first non-digit; only trailing spaces are let through here. */
function wholeNumber(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+[ \t]*$/.test(text)) return undefined;
  return Number.parseInt(text, 10);
}
