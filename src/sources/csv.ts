/**
 * Small CSV helpers shared by the Saleae text readers.
 *
 * `splitCsv(line)` splits one line into trimmed fields, honouring double quotes (`"a,b"` and `""`
 * escapes); Saleae never writes multi-line fields, so a line is a row.
 * `secondsToNs(text)` turns a decimal seconds string into ns exactly (no float round-off for up to
 * nine fractional digits, so `0.000000125` gives 125, not 124.99999999999999); exponent forms are
 * accepted too. Returns NaN when the text is not a number.
 *
 * Example: splitCsv('SPI,result,0.5,"0x01"') -> ['SPI', 'result', '0.5', '0x01'].
 */

export function splitCsv(line: string): string[] {
  if (line.indexOf('"') < 0) {
    const parts = line.split(',');
    for (let i = 0; i < parts.length; i++) parts[i] = parts[i].trim();
    return parts;
  }
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"') {
        if (line[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field.trim());
      field = '';
    } else field += ch;
  }
  out.push(field.trim());
  return out;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

export function secondsToNs(text: string): number {
  const m = DECIMAL.exec(text);
  if (m && (m[2] !== '' || (m[3] !== undefined && m[3] !== ''))) {
    const whole = m[2] === '' ? 0 : Number(m[2]);
    const frac = m[3] ?? '';
    let ns = whole * 1e9 + (frac === '' ? 0 : Number(frac.slice(0, 9).padEnd(9, '0')));
    if (frac.length > 9) ns += Number(`0.${frac.slice(9)}`);
    return m[1] === '-' ? -ns : ns;
  }
  if (text === '' || !/^[+-]?[\d.]+(e[+-]?\d+)?$/i.test(text)) return Number.NaN;
  return Number(text) * 1e9;
}

/** Formats ns as seconds with nine decimals (exact for integer ns), e.g. 125 -> "0.000000125". */
export function nsToSeconds(ns: number): string {
  const neg = ns < 0;
  const a = Math.abs(ns);
  const whole = Math.floor(a / 1e9);
  const rem = a - whole * 1e9;
  const intNs = Math.floor(rem);
  let s = `${whole}.${String(intNs).padStart(9, '0')}`;
  const frac = rem - intNs;
  if (frac > 1e-6) s += String(Math.round(frac * 1000)).padStart(3, '0').replace(/0+$/, '');
  return neg ? `-${s}` : s;
}
