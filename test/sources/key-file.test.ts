import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyFileError, parseKeyFile } from '../../src/sources/key-file.ts';

test('GLib key file: spaced keys, indented lines, CRLF, comments, groups merged, the later key wins', () => {
  const kf = parseKeyFile('# top\r\n[global]\r\nsigrok version = 0.2.0\r\n[device 1]\n  total probes = 8\n\tprobe1\t=\tCS# \n # indented comment\n\nprobe1 = CLK\n[device 1]  \nunitsize=1');
  assert.deepEqual(kf.groups(), ['global', 'device 1']);
  assert.equal(kf.get('global', 'sigrok version'), '0.2.0');
  assert.equal(kf.get('device 1', 'total probes'), '8');
  // The value keeps its trailing whitespace, as GLib does; the later probe1 wins.
  assert.equal(kf.get('device 1', 'probe1'), 'CLK');
  assert.equal(kf.get('device 1', 'unitsize'), '1', 'a group seen twice is one group; a last line without newline counts');
  assert.deepEqual(kf.keys('device 1'), ['total probes', 'probe1', 'unitsize']);
  assert.equal(kf.lineOf('device 1', 'unitsize'), 11);
  assert.equal(kf.get('device 2', 'x'), undefined);
});

test('values are unescaped when read; a bad escape is an error at its line', () => {
  const kf = parseKeyFile('[g]\na=\\sx\\ty\\\\z\nb = trailing  \nc=bad\\q\nd=end\\\n');
  assert.equal(kf.get('g', 'a'), ' x\ty\\z');
  assert.equal(kf.get('g', 'b'), 'trailing  ');
  assert.throws(() => kf.get('g', 'c'), (e: unknown) => e instanceof KeyFileError && e.line === 4 && /invalid escape/.test(e.reason));
  assert.throws(() => kf.get('g', 'd'), (e: unknown) => e instanceof KeyFileError && e.line === 5 && /end of line/.test(e.reason));
});

test('what GLib refuses: a ";" comment, a key before any group, a line with no "=", a bad group or key', () => {
  const fails = (text: string, line: number, re: RegExp): void => {
    assert.throws(() => parseKeyFile(text), (e: unknown) => e instanceof KeyFileError && e.line === line && re.test(e.reason), text);
  };
  fails('[g]\n; semi\n', 2, /not a key-value pair, group, or comment/);
  fails('k=v\n[g]\n', 1, /before the first \[group\]/);
  fails('[g]\njunk line\n', 2, /not a key-value pair/);
  fails('[g]\n=v\n', 2, /not a key-value pair/);
  fails('[]\n', 1, /invalid group name/);
  fails('[g]\na]b=1\n', 2, /invalid key name/);
  // A translated key is read by nobody here, but is not an error.
  assert.equal(parseKeyFile('[g]\nName[de]=x\nName=y\n').get('g', 'Name'), 'y');
});
