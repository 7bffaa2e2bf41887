/**
 * The replay report people read: a verdict line per capture and side, the world used, and on a
 * divergence its context (the captured transactions before it), the first divergence expected
 * versus actual (decoded and as hex), every further one on a line (or the first `show`), then the
 * counts. `paint` is
 * given by the caller so the same text serves a terminal (colour) and a file or pipe (plain).
 */
import type { Divergence } from './compare.ts';
import type { ReplayOutcome } from './run.ts';

export type Painter = (style: 'bold' | 'green' | 'red' | 'yellow' | 'dim', text: string) => string;

const SIDE = { buddy: 'against the buddy (captured CPU drives the simulated buddy)', cpu: 'against the CPU (captured buddy drives the simulated driver)' };

export function ms(ns: number): string {
  return `${(ns / 1e6).toFixed(6)} ms`;
}

export function verdictLine(o: ReplayOutcome): string {
  const d = o.divergences[0];
  return o.matched ? 'match' : `diverged at txn #${d?.txn ?? '?'}${d ? ` (${ms(d.atNs)})` : ''}: ${d?.what ?? ''}`;
}

export function reportText(o: ReplayOutcome, paint: Painter, show = Infinity): string[] {
  const s = o.stats;
  const lines: string[] = [];
  const verdict = o.matched ? paint('green', 'MATCH') : paint('red', 'DIVERGED');
  lines.push(paint('bold', `replay ${o.capture} ${SIDE[o.against]}, ${o.level} level: `) + verdict);
  lines.push(`  world: ${o.world.source === 'derived' ? 'derived from the capture' : `${o.world.source} ${o.world.origin}`}`);
  for (const n of o.world.notes) lines.push(`    ${n}`);
  if (o.ignore.length) lines.push(`  ignoring: ${o.ignore.join(', ')}`);
  for (const n of o.notes) lines.push(`  note: ${n}`);
  const first = o.divergences[0];
  if (first) {
    if (o.context.length) {
      lines.push(paint('bold', '  before it (captured):'));
      for (const c of o.context) lines.push(`    txn #${c.txn} ${ms(c.atNs)}  MOSI ${c.mosi}  |  MISO ${c.miso}`);
    }
    lines.push(paint('bold', `  first divergence: txn #${first.txn} at ${ms(first.atNs)}, ${first.dir === 'buddy-to-cpu' ? 'MISO' : 'MOSI'}: `) + paint('red', first.what));
    lines.push(...shown('expected (captured)', first.expected), ...shown('actual (simulated)', first.actual));
    const rest = o.divergences.slice(1, show + 1);
    if (rest.length) {
      lines.push(paint('bold', `  further divergences (${s.divergences - 1}${s.divergences - 1 > rest.length ? `, first ${rest.length} shown` : ''}):`));
      for (const d of rest) lines.push(`    ${line(d)}`);
    }
  }
  const rate = o.wallMs > 0 ? ` (${(o.virtualNs / 1e6 / o.wallMs).toFixed(1)}x real time)` : '';
  lines.push(`  ${s.transactions} transactions, ${s.compared} compared: ${s.matched} matched, ${s.diverged} diverged, ${s.unverifiable} unverifiable (corrupted on the captured wire)` +
    `${o.level === 'messages' ? `, ${s.messages} messages paired` : ''}; ${(o.virtualNs / 1e9).toFixed(3)} s replayed in ${(o.wallMs / 1e3).toFixed(3)} s${rate}`);
  return lines;
}

function shown(label: string, v: Divergence['expected']): string[] {
  if (!v) return [`    ${label}: nothing`];
  return [`    ${label}: ${v.summary}`, `      ${v.hex}`];
}

function line(d: Divergence): string {
  return `txn #${d.txn} ${ms(d.atNs)}: ${d.what}`;
}
