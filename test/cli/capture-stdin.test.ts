/**
 * `capture - -w out.pcapng` from a pipe: the output exists as a valid pcapng (header and the five
 * interfaces) before the input has delivered enough to be recognised, and a capture killed at any
 * point leaves a file tshark reads without error.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, hasTool, ROOT, tempDir } from './helpers.ts';

const skip = hasTool('tshark') && hasTool('capinfos') ? false : 'tshark/capinfos not installed';

async function until(what: string, ok: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function tsharkReads(file: string): { packets: number; interfaces: number } {
  const ts = spawnSync('tshark', ['-r', file, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' });
  assert.equal(ts.status, 0, `tshark -r: ${ts.stderr}`);
  assert.equal(ts.stderr.replace(/^Running as user.*\n/m, '').trim(), '', 'tshark reports nothing wrong');
  const ci = spawnSync('capinfos', ['-M', '-I', file], { encoding: 'utf8' });
  assert.equal(ci.status, 0, ci.stderr);
  const interfaces = /Number of interfaces in file: (\d+)/.exec(ci.stdout);
  return { packets: ts.stdout.trim() === '' ? 0 : ts.stdout.trim().split('\n').length, interfaces: interfaces ? Number(interfaces[1]) : -1 };
}

test('capture from standard input: a valid pcapng at once, and after a kill mid-capture', { skip }, async () => {
  const dir = tempDir('bs-capture-stdin-');
  const vcd = join(dir, 'demo.vcd');
  const sim = spawnSync(process.execPath, [BIN, 'simulate', 'demo', '-o', vcd], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(sim.status, 0, sim.stderr);
  const text = readFileSync(vcd);
  const out = join(dir, 'out.pcapng');
  const child = spawn(process.execPath, [BIN, 'capture', '-', '-w', out, '--mode', '0'], { cwd: ROOT, stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((r) => child.on('exit', (code) => r(void (exitCode = code))));
  child.stdin.on('error', () => undefined); // a child that died is reported below, with its stderr
  try {
    // Less than the head the format is recognised from: the reader is still waiting.
    child.stdin.write(text.subarray(0, 200));
    await until('the output file', () => existsSync(out) && statSync(out).size > 0);
    const empty = tsharkReads(out);
    assert.deepEqual(empty, { packets: 0, interfaces: 5 }, 'header and interfaces, no packets yet');
    const headerBytes = statSync(out).size;
    // Most of the capture (--mode 0: no detection holding the head back), then a kill with no chance to clean up.
    child.stdin.write(text.subarray(200, Math.floor(text.length * 0.8)));
    await until('packets in the output', () => statSync(out).size > headerBytes || exitCode !== undefined);
    assert.equal(exitCode, undefined, `capture exited early: ${stderr}`);
    child.kill('SIGKILL');
    await exited;
    const killed = tsharkReads(out);
    assert.ok(killed.packets > 0 && killed.interfaces === 5, `${killed.packets} packets after the kill; stderr: ${stderr}`);
  } finally {
    child.kill('SIGKILL');
  }
});
