/**
 * Option checks at the edge. yargs parses the command line; before a handler does any work it
 * passes the parsed values through `checkOptions(args, shape)`, a zod shape built from the rules
 * below, and gets them back checked (and transformed where a rule says so, e.g. --speed "max").
 * The first bad value is a UserError naming the option, on one line, exit 2:
 *   `--glitch must be a number of ns >= 0 (got -1)`, `--count given more than once (got 1, 2)`.
 *
 * yargs alone lets through what a number or string type cannot express: negative or fractional
 * counts, NaN from `--glitch abc`, and an array when a single-valued option is repeated.
 *
 * Example:
 *   const o = checkOptions(args, { glitch: OPTION.atLeast0('ns'), speed: OPTION.speed });
 */
import { z } from 'zod';
import { parseSpeed } from '../sim/serve/address.ts';
import { UserError } from './output.ts';

/** The largest baud rate offered (the extcap's range says the same to Wireshark). */
export const MAX_BAUD = 100_000_000;
/** Sample rates for exports: 1 GHz is the ns resolution of every time buddyshark keeps. */
export const MAX_SAMPLE_RATE_HZ = 1_000_000_000;

function shown(v: unknown): string {
  if (typeof v === 'number') return Number.isNaN(v) ? 'a value that is not a number' : String(v);
  if (Array.isArray(v)) return v.map(shown).join(', ');
  return JSON.stringify(v) ?? String(v);
}

/** A rule's message, with the offending value appended: `must be ... (got -1)`. */
function says(text: string): { error: (issue: { readonly input?: unknown }) => string } {
  return { error: (issue) => `${text} (got ${shown(issue.input)})` };
}

function wholeNumber(min: number, max: number, text: string): z.ZodNumber {
  const e = says(text);
  return z.number(e).int(e).min(min, e).max(max, e);
}

const SPEED_RULE = 'must be a positive number (times real time) or "max"';

export const OPTION = {
  /** A number >= 0 of `unit` (ns, seconds ...); NaN and infinities are refused. */
  atLeast0: (unit: string) => {
    const e = says(`must be a number of ${unit} >= 0`);
    return z.number(e).min(0, e);
  },
  /** A number > 0 of `unit`. */
  above0: (unit: string) => {
    const e = says(`must be a number of ${unit} > 0`);
    return z.number(e).positive(e);
  },
  /** A whole number > 0 of `what` ("files"): `must be a whole number of files > 0`. */
  positiveWhole: (what?: string) => wholeNumber(1, Number.MAX_SAFE_INTEGER, `must be a whole number${what ? ` of ${what}` : ''} > 0`),
  /** A whole number >= `min` of `what`: `must be a whole number of records >= 1`. */
  wholeAtLeast: (min: number, what: string) => wholeNumber(min, Number.MAX_SAFE_INTEGER, `must be a whole number of ${what} >= ${min}`),
  /** A whole number in min..max, of `unit` if given. */
  wholeIn: (min: number, max: number, unit?: string) => wholeNumber(min, max, `must be a whole number${unit ? ` of ${unit}` : ''} from ${min} to ${max}`),
  /** One string (a path, a spec); `nonEmpty` refuses "" as well. */
  text: (nonEmpty = false) => {
    const e = says(nonEmpty ? 'must be a non-empty value' : 'must be text');
    return nonEmpty ? z.string(e).min(1, e) : z.string(e);
  },
  /** One of `values` (a non-empty list). */
  choice: <const T extends string>(values: readonly T[]) => z.enum(values as readonly T[] as [T, ...T[]], says(`must be one of ${values.join(', ')}`)),
  /** Several strings (an array option or a variadic positional). */
  texts: () => z.array(z.string(says('must be text')), says('must be text')),
  /** --speed: times real time, or "max" (Infinity) for as fast as possible. */
  speed: z.string(says(SPEED_RULE)).transform((text, ctx) => {
    const speed = parseSpeed(text);
    if (typeof speed === 'number') return speed;
    ctx.addIssue({ code: 'custom', input: text, message: `${SPEED_RULE} (got ${shown(text)})` });
    return z.NEVER;
  }),
} as const;

/**
 * Checks the options named in `shape` (absent ones are left to their rules: use .optional()).
 * Names in `positionals` are arguments, not options: an error calls them `<input>`, not `--input`.
 */
export function checkOptions<S extends z.ZodRawShape>(args: object, shape: S, positionals: readonly (keyof S & string)[] = []): z.output<z.ZodObject<S>> {
  const values: Record<string, unknown> = {};
  for (const name of Object.keys(shape)) values[name] = (args as Record<string, unknown>)[name];
  const r = z.object(shape).safeParse(values);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const name = String(issue.path[0]);
  const value = values[name];
  const called = positionals.includes(name) ? `<${name}>` : `--${name}`;
  // yargs makes an array of a single-valued option given twice: say that, not "must be a number".
  if (Array.isArray(value) && value.length > 1 && z.safeParse(shape[name], value[0]).success) {
    throw new UserError(`${called} given more than once (got ${shown(value)})`);
  }
  throw new UserError(`${called} ${issue.message}`);
}
