/**
 * VCD reader (sigrok/PulseView exports, HDL simulators).
 *
 * Consumes a ByteInput; emits a `signals` SourceStream whose channels are the one-bit `$var`s in
 * declaration order (bit k = k-th one-bit var, at most 32; later ones are listed in
 * `stats.ignoredChannels`). Multi-bit vectors (`b1010 id`) and reals (`r1.5 id`) are skipped. `x`/`z`
 * values read as 0 and are counted in `stats.unknownValues`. Changes before the first `#time` are
 * at time 0. Times: `#N` x `$timescale` (1 fs .. 100 s), in ns. Value changes may share the line of
 * their timestamp (sigrok writes `#5 0! 1"`).
 *
 * Errors (SourceError, line N): missing `$enddefinitions`, bad `$timescale`, time going backwards,
 * a change for an undeclared id, any other unexpected token.
 *
 * The header is parsed here, line by line; the body is scanned as bytes by vcd-body.ts (no string
 * per line: ~4x faster on large captures). The body starts on the line after `$enddefinitions $end`.
 *
 * Example: `$timescale 1 us $end ... #5 1!` -> a change at 5000 ns with bit 0 set.
 */
import type { SignalInfo } from '../signals/types.ts';
import type { ByteInput } from './byte-input.ts';
import { SourceError } from './errors.ts';
import { clip, HeaderLines, scanVcdBody } from './vcd-body.ts';
import type { SourceStats, SourceStream } from './types.ts';
import { newStats } from './types.ts';

const UNIT_NS: Record<string, number> = { s: 1e9, ms: 1e6, us: 1e3, ns: 1, ps: 1e-3, fs: 1e-6 };
/**
 * Hand over what a block (one input chunk: 1 MiB from a file, ~64 KiB from a pipe) decoded at its
 * end, so a live `sigrok-cli ... | buddyshark decode -` shows changes as they arrive.
 */
const EAGER_YIELD = 1;

interface Header {
  channels: string[];
  /** id -> bit index, or -1 for a var to skip (vectors, aliases beyond 32 channels). */
  ids: Map<string, number>;
  mul: number;
  div: number;
}

export interface VcdStats extends SourceStats {
  ignoredChannels: string[];
}

export async function readVcd(input: ByteInput): Promise<SourceStream> {
  const cur = new HeaderLines(input.chunks(), input.name);
  const stats: VcdStats = { ...newStats(), ignoredChannels: [] };
  let header: Header;
  try {
    header = await readHeader(cur, input.name, stats);
  } catch (e) {
    await cur.close();
    throw e;
  }
  const info: SignalInfo = { channels: header.channels, source: input.name };
  return { kind: 'signals', info, batches: scanVcdBody(cur.rest(), header, input.name, stats, EAGER_YIELD), stats };
}

function parseTimescale(tokens: string[]): { mul: number; div: number } | null {
  const m = /^(1|10|100)\s*(s|ms|us|ns|ps|fs)$/.exec(tokens.join(' ').trim());
  if (!m) return null;
  const ns = Number(m[1]) * UNIT_NS[m[2]];
  // Keep integer arithmetic where we can: ns = N * mul / div is exact for integer N below 2^53.
  return ns >= 1 ? { mul: ns, div: 1 } : { mul: Number(m[1]), div: 1 / UNIT_NS[m[2]] };
}

async function readHeader(cur: HeaderLines, source: string, stats: VcdStats): Promise<Header> {
  const channels: string[] = [];
  const ids = new Map<string, number>();
  let scale = { mul: 1, div: 1 };
  const scopes: string[] = [];
  let section: string | null = null;
  let sectionTokens: string[] = [];
  let sectionLine = 0;
  let sawAny = false;
  for (;;) {
    const line = await cur.next();
    if (line === null) {
      throw new SourceError(source, `line ${cur.lineNo + 1}`, sawAny ? 'file ends before $enddefinitions' : 'empty file');
    }
    // sigrok-cli 0.7 prefixes VCD converted from a file with "META samplerate: N": not VCD, skip it.
    if (!sawAny && section === null && line.startsWith('META ')) continue;
    for (const tok of line.split(/\s+/)) {
      if (tok === '') continue;
      sawAny = true;
      if (section === null) {
        if (!tok.startsWith('$')) throw new SourceError(source, `line ${cur.lineNo}`, `expected a $keyword, found "${clip(tok)}"`);
        section = tok;
        sectionTokens = [];
        sectionLine = cur.lineNo;
        continue;
      }
      if (tok !== '$end') {
        sectionTokens.push(tok);
        continue;
      }
      const where = `line ${sectionLine}`;
      switch (section) {
        case '$timescale': {
          const s = parseTimescale(sectionTokens);
          if (!s) throw new SourceError(source, where, `bad $timescale "${sectionTokens.join(' ')}"`);
          scale = s;
          break;
        }
        case '$scope':
          scopes.push(sectionTokens[1] ?? '');
          break;
        case '$upscope':
          scopes.pop();
          break;
        case '$var': {
          const [varType, widthText, id, ...nameParts] = sectionTokens;
          if (id === undefined || nameParts.length === 0) throw new SourceError(source, where, 'malformed $var');
          if (ids.has(id)) break; // an alias of a var already declared
          let name = nameParts.filter((p) => !p.startsWith('[')).join(' ');
          if (Number(widthText) !== 1 || varType === 'real' || varType === 'realtime') {
            ids.set(id, -1);
          } else if (channels.length >= 32) {
            ids.set(id, -1);
            stats.ignoredChannels.push(name);
          } else {
            if (channels.includes(name)) name = [...scopes, name].join('.');
            ids.set(id, channels.length);
            channels.push(name);
          }
          break;
        }
        case '$enddefinitions':
          if (channels.length === 0) throw new SourceError(source, where, 'no one-bit $var in the header');
          return { channels, ids, mul: scale.mul, div: scale.div };
        default:
          break; // $date, $version, $comment and unknown sections carry nothing we need
      }
      section = null;
    }
  }
}

export { clip };
