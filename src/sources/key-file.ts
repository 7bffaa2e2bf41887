/**
 * GLib key files (GKeyFile), read the way g_key_file_load_from_data reads them: the format of a
 * sigrok session's `metadata`, so a file libsigrok loads is read here with the same keys and values.
 *
 * - Lines end at `\n` (a `\r` before it is dropped); leading whitespace is ignored on every line.
 * - `#` starts a comment line (`;` does not: GLib refuses such a line); blank lines are comments.
 * - `[name]` opens a group (spaces or tabs may follow the `]`); a group seen twice is one group.
 * - `key = value`: the key ends at the first `=` (trailing whitespace dropped, so keys may hold
 *   spaces, as in `total probes`), the value starts after the whitespace that follows it and keeps
 *   its own trailing whitespace. A key given twice keeps the later value. Keys with a locale
 *   suffix (`Name[de]`) are translations and are skipped.
 * - Values are unescaped when read (`get`): `\s` `\n` `\t` `\r` `\\`; any other escape is an error.
 *
 * Errors are KeyFileError with the 1-based line number.
 *
 * Example: parseKeyFile('[device 1]\n total probes = 8\n').get('device 1', 'total probes') -> '8'.
 */

export class KeyFileError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
    this.name = 'KeyFileError';
  }
}

interface RawValue {
  readonly raw: string;
  readonly line: number;
}

export class KeyFile {
  /** Groups in file order; keys in each in file order (a repeated key keeps its first place). */
  constructor(private readonly groupMap: ReadonlyMap<string, ReadonlyMap<string, RawValue>>) {}

  groups(): string[] {
    return [...this.groupMap.keys()];
  }

  keys(group: string): string[] {
    return [...(this.groupMap.get(group)?.keys() ?? [])];
  }

  /** The unescaped value, or undefined when the group or key is missing. */
  get(group: string, key: string): string | undefined {
    const v = this.groupMap.get(group)?.get(key);
    return v === undefined ? undefined : unescapeValue(v.raw, v.line);
  }

  /** Line of a key, for error messages. */
  lineOf(group: string, key: string): number | undefined {
    return this.groupMap.get(group)?.get(key)?.line;
  }
}

// g_ascii_isspace: space, \t, \n, \v, \f, \r.
const LEADING_SPACE = /^[ \t\n\v\f\r]+/;
const TRAILING_SPACE = /[ \t\n\v\f\r]+$/;

export function parseKeyFile(text: string): KeyFile {
  const groups = new Map<string, Map<string, RawValue>>();
  let group: Map<string, RawValue> | null = null;
  const lines = text.split('\n');
  // A final "\n" leaves an empty last piece: it is not a line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const raw = lines[i].endsWith('\r') ? lines[i].slice(0, -1) : lines[i];
    const line = raw.replace(LEADING_SPACE, '');
    if (line === '' || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      const close = line.indexOf(']');
      if (close > 0 && /^[ \t]*$/.test(line.slice(close + 1))) {
        const name = line.slice(1, close);
        if (name === '' || /[[\]\x00-\x1f\x7f]/.test(name)) throw new KeyFileError(n, `invalid group name "${name}"`);
        group = groups.get(name) ?? new Map<string, RawValue>();
        groups.set(name, group);
        continue;
      }
    }
    const eq = line.indexOf('=');
    if (eq <= 0) throw new KeyFileError(n, `"${clip(line)}" is not a key-value pair, group, or comment`);
    if (group === null) throw new KeyFileError(n, 'a key before the first [group]');
    const key = line.slice(0, eq).replace(TRAILING_SPACE, '');
    const locale = /\[[^\]]*\]$/.exec(key);
    const base = locale ? key.slice(0, locale.index) : key;
    if (base === '' || /[[\]]/.test(base) || base.endsWith(' ')) throw new KeyFileError(n, `invalid key name "${clip(key)}"`);
    if (locale) continue;
    group.set(key, { raw: line.slice(eq + 1).replace(LEADING_SPACE, ''), line: n });
  }
  return new KeyFile(groups);
}

const ESCAPES: Record<string, string> = { s: ' ', n: '\n', t: '\t', r: '\r', '\\': '\\' };

function unescapeValue(raw: string, line: number): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = raw[++i];
    if (e === undefined) throw new KeyFileError(line, 'escape character at end of line');
    const v = ESCAPES[e];
    if (v === undefined) throw new KeyFileError(line, `invalid escape sequence "\\${e}"`);
    out += v;
  }
  return out;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
