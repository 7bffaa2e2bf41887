/**
 * Writes a signal capture as VCD, laid out like sigrok's VCD output so PulseView, GTKWave and
 * `sigrok-cli -i x.vcd` read it: `$timescale`, one `$var wire 1 <id> <name> $end` per channel in
 * one scope, then `#t` lines with the changed values on the same line (`#5 0! 1"`).
 *
 * `writeVcd(info, batches, path, { timescale = '1 ns', endNs?, force = false })`. Times are rounded
 * to the timescale; changes that round to the same instant share one `#t` line, the last value wins.
 * A final `#t` marks the capture's end: `endNs`, default one timescale unit after the last change. Returns the number of changes written.
 *
 * Example output line for CLK rising at 125 ns with timescale 1 ns: `#125 1!`.
 */
import type { ChangeBatch, SignalInfo } from '../signals/types.ts';
import { createOutput, ExportError } from './output.ts';

export interface VcdWriteOptions {
  /** `1 ns`, `10 ps`, `1 us`... (1|10|100 x s|ms|us|ns|ps|fs). */
  timescale?: string;
  endNs?: number;
  force?: boolean;
  /** Shown in `$date`; default now. */
  date?: Date;
}

const UNIT_NS: Record<string, number> = { s: 1e9, ms: 1e6, us: 1e3, ns: 1, ps: 1e-3, fs: 1e-6 };

export function vcdId(k: number): string {
  // Printable ASCII from '!' (33) to '~' (126), then two-character ids.
  const n = 94;
  return k < n ? String.fromCharCode(33 + k) : String.fromCharCode(33 + Math.floor(k / n) - 1) + String.fromCharCode(33 + (k % n));
}

export async function writeVcd(info: SignalInfo, batches: AsyncIterable<ChangeBatch>, path: string, opts: VcdWriteOptions = {}): Promise<number> {
  const timescale = opts.timescale ?? '1 ns';
  const m = /^(1|10|100)\s*(s|ms|us|ns|ps|fs)$/.exec(timescale.trim());
  if (!m) throw new ExportError(`bad timescale "${timescale}" (e.g. "1 ns", "10 us")`);
  const unitNs = Number(m[1]) * UNIT_NS[m[2]];
  const ids = info.channels.map((_, k) => vcdId(k));
  const out = await createOutput(path, opts.force);
  let written = 0;
  try {
    let head = `$date ${(opts.date ?? new Date()).toUTCString()} $end\n$version buddyshark $end\n`;
    head += `$comment\n  Acquisition with ${info.channels.length} channels from ${info.source}\n$end\n`;
    head += `$timescale ${m[1]} ${m[2]} $end\n$scope module buddyshark $end\n`;
    info.channels.forEach((name, k) => {
      head += `$var wire 1 ${ids[k]} ${name.replace(/\s+/g, '_')} $end\n`;
    });
    head += '$upscope $end\n$enddefinitions $end\n';
    await out.write(head);
    // One `#t` line per instant, holding only the net change since the last written instant.
    let lastT = -1;
    let shownState = -1; // state as of the last written line
    let pend = -1; // state at instant lastT, not yet written
    const nch = info.channels.length;
    const lineFor = (t: number, s: number): string => {
      let line = `#${t}`;
      const diff = shownState < 0 ? 0xffffffff : (s ^ shownState) >>> 0;
      for (let k = 0; k < nch; k++) {
        if ((diff >>> k) & 1) line += ` ${(s >>> k) & 1}${ids[k]}`;
      }
      return line;
    };
    for await (const b of batches) {
      const parts: string[] = [];
      for (let i = 0; i < b.length; i++) {
        const t = Math.round(b.times[i] / unitNs);
        if (t < lastT) throw new ExportError(`change ${written} at ${b.times[i]} ns goes back in time`);
        if (t !== lastT && lastT >= 0 && pend !== shownState) {
          parts.push(lineFor(lastT, pend));
          shownState = pend;
        }
        lastT = t;
        pend = b.states[i];
        written++;
      }
      if (parts.length > 0) await out.write(`${parts.join('\n')}\n`);
    }
    if (lastT >= 0 && pend !== shownState) await out.write(`${lineFor(lastT, pend)}\n`);
    // A closing timestamp, as sigrok writes: without it importers drop the last change's samples.
    const endT = opts.endNs !== undefined ? Math.round(opts.endNs / unitNs) : lastT + 1;
    if (lastT >= 0 && endT > lastT) await out.write(`#${endT}\n`);
    await out.close();
  } catch (e) {
    out.abort();
    throw e;
  }
  return written;
}
