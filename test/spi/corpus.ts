/**
 * The real-capture corpus (test/fixtures/real/sigrok-dumps-spi, from sigrok-dumps) and the reference
 * decoder a user compares us with: sigrok-cli's own SPI decoder, run on the same file with the
 * parameters of cases.tsv. Shared by the corpus test and the detection measurement.
 *
 * A case is one (file, channel assignment) pair: a single-data-line capture is run twice, once with
 * the line as MOSI and once as MISO, so both one-direction paths are checked.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const CORPUS_DIR = new URL('../fixtures/real/sigrok-dumps-spi/', import.meta.url).pathname;

export interface CorpusCase {
  /** Path under the corpus folder, as in cases.tsv. */
  readonly file: string;
  /** Label for messages: the file, plus the data-line role for single-line captures. */
  readonly label: string;
  readonly sampleRate: number;
  /** Role -> channel, by name or by 0-based index (as cases.tsv gives it). */
  readonly roles: { readonly clk: string; readonly mosi?: string; readonly miso?: string; readonly cs?: string };
  readonly cpol: 0 | 1;
  readonly cpha: 0 | 1;
  readonly bitOrder: 'msb' | 'lsb';
  readonly csActive: 'low' | 'high';
  readonly wordBits: number;
}

type Roles = { clk: string; mosi?: string; miso?: string; cs?: string };

function parseRoles(spec: string): Roles[] {
  const assigned = [...spec.matchAll(/\b(clk|mosi|miso|cs|data)=(\S+)/g)];
  if (assigned.length > 0) {
    const r: Record<string, string> = {};
    for (const [, role, ch] of assigned) r[role] = ch;
    if (r.data !== undefined) {
      // One data line: check it both as MOSI and as MISO.
      return [{ clk: r.clk, mosi: r.data, cs: r.cs }, { clk: r.clk, miso: r.data, cs: r.cs }];
    }
    return [{ clk: r.clk, mosi: r.mosi, miso: r.miso, cs: r.cs }];
  }
  // A list of channel names by index: the roles are the names themselves.
  const names = spec.split(/\s+/);
  const pick = (n: string): string | undefined => (names.includes(n) ? n : undefined);
  return [{ clk: pick('CLK') as string, mosi: pick('MOSI'), miso: pick('MISO'), cs: pick('CS#') }];
}

export function readCases(): CorpusCase[] {
  const rows = readFileSync(join(CORPUS_DIR, 'cases.tsv'), 'utf8').trim().split('\n').slice(1);
  const out: CorpusCase[] = [];
  for (const row of rows) {
    const [file, rate, channels, cpol, cpha, order, cs, word] = row.split('\t');
    const variants = parseRoles(channels);
    for (const roles of variants) {
      const label = variants.length > 1 ? `${file} (data line as ${roles.mosi !== undefined ? 'MOSI' : 'MISO'})` : file;
      out.push({
        file, label, sampleRate: Number(rate), roles,
        cpol: Number(cpol) as 0 | 1, cpha: Number(cpha) as 0 | 1,
        bitOrder: order === 'lsb' ? 'lsb' : 'msb', csActive: cs === 'high' ? 'high' : 'low',
        wordBits: Number.parseInt(word, 10),
      });
    }
  }
  return out;
}

/** `--channels` for buddyshark: roles by index when cases.tsv gives numbers, else by name. */
export function channelsArg(c: CorpusCase): string {
  const parts = [`sck=${c.roles.clk}`];
  if (c.roles.mosi !== undefined) parts.push(`mosi=${c.roles.mosi}`);
  if (c.roles.miso !== undefined) parts.push(`miso=${c.roles.miso}`);
  if (c.roles.cs !== undefined) parts.push(`cs=${c.roles.cs}`);
  return parts.join(',');
}

export const hasSigrok = spawnSync('sigrok-cli', ['--version']).status === 0;

/** One decoded word: start in ns and value as big-endian hex of ceil(wordBits / 8) bytes. */
export interface RefWord {
  readonly startNs: number;
  readonly hex: string;
}

export interface RefDecode {
  readonly mosi: RefWord[];
  readonly miso: RefWord[];
  /** One per completed CS assertion (CS released before the capture ends): start ns and words. */
  readonly transfers: { readonly startNs: number; readonly mosi: string[]; readonly miso: string[] }[];
}

/** sigrok names channels; cases.tsv may give indices: map them through the file's channel list. */
function sigrokName(ref: string, channels: readonly string[]): string {
  return /^\d+$/.test(ref) && !channels.includes(ref) ? channels[Number(ref)] : ref;
}

function padHex(text: string, wordBits: number): string {
  const bytes = Math.ceil(wordBits / 8);
  return BigInt(`0x${text}`).toString(16).padStart(bytes * 2, '0');
}

const run = promisify(execFile);

/** Runs sigrok-cli's SPI decoder and collects words and transfers by annotation class. */
export async function sigrokDecode(c: CorpusCase, channels: readonly string[]): Promise<RefDecode> {
  const spec = [`spi:clk=${sigrokName(c.roles.clk, channels)}`];
  if (c.roles.mosi !== undefined) spec.push(`mosi=${sigrokName(c.roles.mosi, channels)}`);
  if (c.roles.miso !== undefined) spec.push(`miso=${sigrokName(c.roles.miso, channels)}`);
  if (c.roles.cs !== undefined) spec.push(`cs=${sigrokName(c.roles.cs, channels)}`);
  spec.push(`cpol=${c.cpol}`, `cpha=${c.cpha}`, `bitorder=${c.bitOrder}-first`, `cs_polarity=active-${c.csActive}`, `wordsize=${c.wordBits}`);
  const r = await run('sigrok-cli', [
    '-i', join(CORPUS_DIR, c.file), '-P', spec.join(':'),
    '-A', 'spi=mosi-data:miso-data:mosi-transfer:miso-transfer', '--protocol-decoder-jsontrace',
  ], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const trace = JSON.parse(r.stdout) as { traceEvents: { ph: string; ts: number; tid: string; name: string }[] };
  const out: RefDecode = { mosi: [], miso: [], transfers: [] };
  const open = new Map<number, { mosi: string[]; miso: string[] }>();
  for (const ev of trace.traceEvents) {
    if (ev.ph !== 'B') continue;
    const startNs = ev.ts * 1000;
    if (ev.tid === 'MOSI data') out.mosi.push({ startNs, hex: padHex(ev.name, c.wordBits) });
    else if (ev.tid === 'MISO data') out.miso.push({ startNs, hex: padHex(ev.name, c.wordBits) });
    else if (ev.tid === 'MOSI transfer' || ev.tid === 'MISO transfer') {
      // An empty transfer has an empty name; both classes of one transfer share its start.
      let t = open.get(startNs);
      if (!t) {
        t = { mosi: [], miso: [] };
        open.set(startNs, t);
        out.transfers.push({ startNs, ...t });
      }
      const words = ev.name.trim() === '' ? [] : ev.name.trim().split(/\s+/).map((w) => padHex(w, c.wordBits));
      (ev.tid === 'MOSI transfer' ? t.mosi : t.miso).push(...words);
    }
  }
  return out;
}

/** Runs `fn` over `items` with at most `limit` at once (sigrok-cli is single-threaded Python). */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
