/**
 * Places in JSON text, for error messages that point at a line and column: where a syntax error
 * is, and where the value at a path (as a schema validator reports it) was written.
 *
 * JSON.parse stays the parser of record; this scanner only finds places. It accepts exactly what
 * JSON.parse accepts (RFC 8259; a property test holds it to that) and walks without recursion, so
 * a hostile nesting depth cannot overflow the stack. JSON.parse's own messages are no help here:
 * some carry a position and some do not ("Unexpected token ...", "Unexpected end of JSON input").
 *
 * Example:
 *   jsonSyntaxFault('{"a": }')                 // { offset: 6, reason: 'expected a value, found "}"' }
 *   jsonPathOffset('{"a": [1, 2]}', ['a', 1])  // 10 (the 2)
 *   placeOf('{\n  "a": 1}', 4)                // { line: 2, column: 3 }
 */

export type JsonPath = readonly PropertyKey[];

export interface JsonFault {
  /** UTF-16 offset of the fault in the text. */
  readonly offset: number;
  readonly reason: string;
}

export interface TextPlace {
  /** 1-based. */
  readonly line: number;
  /** 1-based, in UTF-16 code units from the start of the line. */
  readonly column: number;
}

/** Called for every value: an object member at its key, an array element or the root at the value. */
type Visit = (path: readonly (string | number)[], offset: number) => void;

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX4 = /^[0-9a-fA-F]{4}$/;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function found(text: string, i: number): string {
  return i >= text.length ? 'the end of the text' : JSON.stringify(text[i]);
}

/** Walks `text`; returns the first syntax fault, or null when it is valid JSON. */
function scan(text: string, visit?: Visit): JsonFault | null {
  let i = 0;
  const path: (string | number)[] = [];
  const open: ('{' | '[')[] = [];
  const fault = (reason: string, at = i): JsonFault => ({ offset: Math.min(at, text.length), reason });
  const skipSpace = (): void => {
    while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  };
  /** A string starting at i (a quote); returns a fault, or null with i after the closing quote. */
  const string = (): JsonFault | null => {
    const start = i++;
    for (;;) {
      if (i >= text.length) return fault('the text ends inside a string that starts here', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return null;
      }
      if (c < 0x20) return fault('a control character (a line break, a tab...) inside a string: escape it');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!HEX4.test(text.slice(i + 2, i + 6))) return fault('\\u must be followed by 4 hex digits');
          i += 6;
        } else if (e !== undefined && ESCAPES.has(e)) i += 2;
        else return fault(`unknown escape \\${e ?? ''} in a string`);
      } else i++;
    }
  };
  /** An object key at i, its colon, and the member's path entry. */
  const key = (): JsonFault | null => {
    skipSpace();
    if (text[i] !== '"') return fault(`expected a quoted property name, found ${found(text, i)}`);
    const start = i;
    const bad = string();
    if (bad) return bad;
    path.push(JSON.parse(text.slice(start, i)) as string);
    visit?.(path, start);
    skipSpace();
    if (text[i] !== ':') return fault(`expected ':' after the property name, found ${found(text, i)}`);
    i++;
    return null;
  };

  for (;;) {
    // A value is expected at i.
    skipSpace();
    if (i >= text.length) return fault('the text ends where a value should be');
    if (open.at(-1) !== '{') visit?.(path, i);
    const c = text[i];
    if (c === '{' || c === '[') {
      open.push(c);
      i++;
      skipSpace();
      if (text[i] === (c === '{' ? '}' : ']')) {
        i++;
        open.pop();
      } else if (c === '{') {
        const bad = key();
        if (bad) return bad;
        continue;
      } else {
        path.push(0);
        continue;
      }
    } else if (c === '"') {
      const bad = string();
      if (bad) return bad;
    } else if (text.startsWith('true', i)) i += 4;
    else if (text.startsWith('false', i)) i += 5;
    else if (text.startsWith('null', i)) i += 4;
    else {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return fault(`expected a value, found ${found(text, i)}`);
      i = NUMBER.lastIndex;
    }
    // After a value: close what it ends, or move to the next member or element.
    for (;;) {
      skipSpace();
      const top = open.at(-1);
      if (top === undefined) return i < text.length ? fault(`unexpected ${found(text, i)} after the JSON value`) : null;
      const close = top === '{' ? '}' : ']';
      if (text[i] === close) {
        i++;
        open.pop();
        path.pop();
        continue;
      }
      if (text[i] !== ',') return fault(`expected ',' or '${close}', found ${found(text, i)}`);
      i++;
      if (top === '{') {
        path.pop();
        const bad = key();
        if (bad) return bad;
      } else path[path.length - 1] = (path[path.length - 1] as number) + 1;
      break;
    }
  }
}

/** The first syntax fault in `text`, or null when JSON.parse accepts it. */
export function jsonSyntaxFault(text: string): JsonFault | null {
  return scan(text);
}

/**
 * Offset of the value at `path` in valid JSON `text` (of its key, for an object member); for a
 * path that is not there (a missing field), of the deepest part of it that is. Where a key is
 * repeated, the last one counts, as in JSON.parse.
 */
export function jsonPathOffset(text: string, path: JsonPath): number {
  let best = 0;
  let bestDepth = -1;
  scan(text, (at, offset) => {
    if (at.length < bestDepth || at.length > path.length) return;
    for (let k = 0; k < at.length; k++) if (String(at[k]) !== String(path[k])) return;
    best = offset;
    bestDepth = at.length;
  });
  return best;
}

export function placeOf(text: string, offset: number): TextPlace {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
}
