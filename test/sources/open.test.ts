import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { PassThrough, Readable } from 'node:stream';
import { detectFormat } from '../../src/sources/detect.ts';
import { openSource } from '../../src/sources/open.ts';
import { SourceError } from '../../src/sources/errors.ts';
import { collect, FIXTURES, signals, tempDir } from './helpers.ts';
import { makeZip, metadata } from './zip-helpers.ts';

test('detects each format from content, not from the file name', async () => {
  const t = tempDir();
  try {
    const cases: [string, string][] = [
      ['sigrok.vcd', 'vcd'],
      ['hdl.vcd', 'vcd'],
      ['logic2-digital.csv', 'saleae-csv'],
      ['logic1-digital.csv', 'saleae-csv'],
      ['logic2-spi.csv', 'saleae-analyzer'],
      ['logic2-spi-noduration.csv', 'saleae-analyzer'],
      ['legacy-spi.csv', 'saleae-analyzer'],
    ];
    for (const [name, format] of cases) {
      const p = t.path(`${name}.dat`);
      copyFileSync(`${FIXTURES}${name}`, p);
      assert.equal(detectFormat(readFileSync(p).subarray(0, 4096), false), format, name);
      assert.equal((await openSource(p)).kind, format === 'saleae-analyzer' ? 'transactions' : 'signals', name);
    }
    await makeZip(t.path('x.bin'), [['version', '2'], ['metadata', metadata(['A'], '1 MHz')]]);
    assert.equal(detectFormat(readFileSync(t.path('x.bin')), false), 'sigrok-sr');
    assert.equal(detectFormat(Buffer.from('<SALEAE>\0\0\0\0'), false), 'saleae-bin');
    assert.equal(detectFormat(Buffer.alloc(0), true), 'saleae-bin');
    assert.equal(detectFormat(Buffer.from('hello,world\n'), false), null);
  } finally {
    t.cleanup();
  }
});

test('unknown content, a missing file and a bad format option are SourceErrors', async () => {
  const t = tempDir();
  try {
    writeFileSync(t.path('junk'), Buffer.from([1, 2, 3, 0, 255, 254]));
    await assert.rejects(openSource(t.path('junk')), (e: unknown) => e instanceof SourceError && /unknown format/.test(e.reason));
    await assert.rejects(openSource(t.path('nope')), (e: unknown) => e instanceof SourceError && e.where === 'open');
    writeFileSync(t.path('empty'), '');
    await assert.rejects(openSource(t.path('empty')), (e: unknown) => e instanceof SourceError && /empty/.test(e.reason));
    // @ts-expect-error: a format name from the command line that does not exist
    await assert.rejects(openSource(`${FIXTURES}sigrok.vcd`, { format: 'pcap' }), /unknown format "pcap"/);
  } finally {
    t.cleanup();
  }
});

test('the format option overrides detection', async () => {
  const src = await openSource(`${FIXTURES}logic2-digital.csv`, { format: 'vcd' }).then(
    () => null,
    (e: unknown) => e,
  );
  assert.ok(src instanceof SourceError);
  assert.equal(src.where, 'line 1');
});

test('stdin streams: changes arrive before the input ends', async () => {
  const input = new PassThrough();
  input.write('$timescale 1 ns $end\n$var wire 1 ! CLK $end\n$enddefinitions $end\n');
  const lines: string[] = [];
  for (let i = 0; i < 5000; i++) lines.push(`#${i} ${i & 1}!`);
  input.write(`${lines.join('\n')}\n`);
  const src = signals(await openSource('-', {}, input));
  const it = src.batches[Symbol.asyncIterator]();
  const first = await it.next(); // input still open: must not wait for its end
  assert.equal(first.done, false);
  assert.ok(first.value && first.value.length > 0);
  input.end('#6000 0!\n');
  let total = first.value ? first.value.length : 0;
  for (;;) {
    const r = await it.next();
    if (r.done) break;
    total += r.value.length;
  }
  assert.equal(total, 5001);
});

test('a zip on stdin is refused with a clear error', async () => {
  const t = tempDir();
  try {
    await makeZip(t.path('x.sr'), [['version', '2'], ['metadata', metadata(['A'], '1 MHz')]]);
    const err = await openSource('-', {}, Readable.from([readFileSync(t.path('x.sr'))])).then(() => null, (e: unknown) => e);
    assert.ok(err instanceof SourceError);
    assert.equal(err.source, '<stdin>');
    assert.match(err.reason, /standard input/);
  } finally {
    t.cleanup();
  }
});

test('a child process reads a VCD piped to its stdin through openSource("-")', async () => {
  const script = `import { openSource } from ${JSON.stringify(new URL('../../src/sources/open.ts', import.meta.url).pathname)};
const src = await openSource('-');
let n = 0; let last = 0;
for await (const b of src.batches) { n += b.length; last = b.times[b.length - 1]; }
console.log(JSON.stringify({ kind: src.kind, n, last }));`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: new URL('../..', import.meta.url).pathname });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin.end(readFileSync(`${FIXTURES}sigrok.vcd`));
  const code = await new Promise<number | null>((r) => child.on('close', r));
  assert.equal(code, 0, err);
  assert.deepEqual(JSON.parse(out), { kind: 'signals', n: 7, last: 8000 });
});

test('a source closes cleanly when the consumer stops early', async () => {
  const src = signals(await openSource(`${FIXTURES}sigrok.vcd`));
  for await (const b of src.batches) {
    assert.ok(b.length > 0);
    break;
  }
  const again = await collect(signals(await openSource(`${FIXTURES}sigrok.vcd`)).batches);
  assert.equal(again.times.length, 7);
});

test('binary junk with no line breaks is refused as an over-long line, not buffered without bound', async () => {
  const t = tempDir();
  try {
    const junk = Buffer.alloc(3 * 1024 * 1024, 0x41);
    writeFileSync(t.path('junk.vcd'), Buffer.concat([Buffer.from('$timescale 1 ns $end\n'), junk]));
    await assert.rejects(openSource(t.path('junk.vcd')), (e: unknown) => e instanceof SourceError && e.where === 'line 2' && /longer than/.test(e.reason));
    writeFileSync(t.path('junk.csv'), Buffer.concat([Buffer.from('Time [s],A\n0.0,1\n0.1,0\n'), Buffer.from([0xff, 0x00, 0x13, 0x37])]));
    const src = signals(await openSource(t.path('junk.csv')));
    const got: number[] = [];
    await assert.rejects(async () => {
      for await (const b of src.batches) for (let i = 0; i < b.length; i++) got.push(b.states[i]);
    }, (e: unknown) => e instanceof SourceError && e.where === 'line 4');
    assert.deepEqual(got, [1, 0]);
  } finally {
    t.cleanup();
  }
});
