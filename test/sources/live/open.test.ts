/**
 * openLiveSource over every transport without hardware: standard input (a bridge stream, a VCD
 * trickling in, garbage), TCP against a scripted bridge (reconnects, resets, a slow consumer), and
 * serial through an injected stream and, when python3 is there, a real pty.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { after, describe, it } from 'node:test';
import { cobsEncode } from '../../../src/bridge/cobs.ts';
import { encodeFrames } from '../../../src/bridge/framing.ts';
import { encodePacketInto, packetSize, type BridgePacket, type HelloPacket } from '../../../src/bridge/packets.ts';
import type { AnomalyRecord, BuddyRecord, TxnRecord } from '../../../src/records/types.ts';
import { SourceError } from '../../../src/sources/errors.ts';
import { openLiveSource } from '../../../src/sources/live/open.ts';
import { sniffStdin } from '../../../src/sources/live/stdin.ts';
import type { LiveStatus } from '../../../src/sources/live/types.ts';
import { DEFAULT_MODE } from '../../../src/spi/types.ts';
import { openScenario } from '../../../src/pipeline/scenario-path.ts';
import { runScenario } from '../../../src/sim/index.ts';
import { cli, collect, hasTool, tempDir } from '../../cli/helpers.ts';

function hello(over: Partial<HelloPacket> = {}): HelloPacket {
  return { type: 'hello', version: 1, capabilities: 3, clockHz: 1e9, bootId: 1, originTicks: 0, nowTicks: 0, name: 'scripted', ...over };
}

function txn(seq: number, start: number, n = 4): BridgePacket {
  return { type: 'txn', seq, startTicks: start, endTicks: start + 100, flags: 0, partialBits: 0, mosi: new Uint8Array(n).fill(seq & 0xff), miso: new Uint8Array(n) };
}

const codes = (rs: readonly BuddyRecord[]): string[] => rs.map((r) => (r.kind === 'anomaly' ? r.code : r.kind));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP bridge whose every connection runs the next script in the list. */
async function scriptedBridge(scripts: ((s: Socket) => void | Promise<void>)[]): Promise<{ url: string; server: Server; connections: () => number }> {
  let n = 0;
  const server = createServer((s) => {
    const script = scripts[Math.min(n++, scripts.length - 1)];
    s.on('error', () => {});
    void script(s);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `tcp://127.0.0.1:${port}`, server, connections: () => n };
}

describe('openLiveSource: specs', () => {
  it('rejects a spec that names no transport, saying what it expects', async () => {
    for (const bad of ['udp://x:1', 'tcp://nohost', 'tcp://h:99999', 'serial:', '/dev/ttyACM0']) {
      await assert.rejects(openLiveSource(bad), (e: unknown) => e instanceof SourceError && e.message.startsWith(bad) && /tcp:\/\/HOST:PORT|out of range|device path/.test(e.message), bad);
    }
  });
});

describe('openLiveSource: standard input', () => {
  it('reads a bridge stream with garbage and a bridge reset, to EOF', async () => {
    const stream = Buffer.concat([
      Buffer.from([0x13, 0x37]), // a frame cut short: the reader joined mid-stream
      encodeFrames([hello(), txn(0, 1000), txn(1, 2000)], true),
      Buffer.from('\x05garbage\0'),
      encodeFrames([hello({ bootId: 2, nowTicks: 10 }), txn(0, 50)]),
    ]);
    const live = await openLiveSource('-', {}, { stdin: Readable.from([stream.subarray(0, 7), stream.subarray(7)]) });
    assert.equal(live.name, '<stdin>');
    const rs = await collect(live.records);
    assert.deepEqual(codes(rs), ['stream-resync', 'txn', 'txn', 'stream-resync', 'bridge-reset', 'txn']);
    assert.deepEqual(rs.filter((r): r is TxnRecord => r.kind === 'txn').map((r) => [r.txn, r.startNs]), [[0, 1000], [1, 2000], [2, 2140]]);
    assert.equal(live.stats.resyncs, 2);
    assert.equal(live.stats.records, rs.length);
    assert.equal(live.stats.bytes, stream.length);
  });

  it('counts bridge packets with a bad CRC: one bad-packets anomaly per burst, in the stats and the capture summary', async () => {
    const damaged = (p: BridgePacket): Buffer => {
      const b = new Uint8Array(packetSize(p));
      encodePacketInto(p, b);
      b[2] ^= 0x01;
      return Buffer.concat([cobsEncode(b), Uint8Array.of(0)]);
    };
    const head = encodeFrames([hello(), txn(0, 1000)], true);
    const stream = Buffer.concat([head, damaged(txn(1, 2000)), damaged(txn(2, 3000)), encodeFrames([txn(3, 4000)]), damaged(txn(4, 5000)), encodeFrames([txn(5, 6000)])]);
    const live = await openLiveSource('-', {}, { stdin: Readable.from([stream]) });
    const rs = await collect(live.records);
    assert.deepEqual(codes(rs), ['txn', 'bad-packets', 'txn', 'bad-packets', 'txn']);
    const bursts = rs.filter((r): r is AnomalyRecord => r.kind === 'anomaly');
    assert.deepEqual(bursts.map((a) => [a.count, a.offset]), [[2, head.length], [1, stream.length - encodeFrames([txn(5, 6000)]).length - damaged(txn(4, 5000)).length]]);
    assert.equal(live.stats.badPackets, 3);
    assert.equal(live.stats.resyncs, 0);
    // The same stream through `capture --live -`: the summary counts the packets, the file holds the anomalies.
    const dir = tempDir('bs-bad-packets-');
    const out = join(dir, 'bad.pcapng');
    const r = spawnSync(process.execPath, [join(import.meta.dirname, '../../../bin/buddyshark.js'), 'capture', '--live', '-', '-w', out], { input: stream, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /bad-packets 2 \(3 packets\)/);
    assert.match(r.stdout, /live: .*bad packets 3/);
  });

  it('tells a VCD (after a short text preamble) from a bridge stream by the first bytes', () => {
    assert.deepEqual(sniffStdin(Buffer.from('  \n$date x $end'), false), { kind: 'vcd', skip: 3, skipped: [] });
    assert.deepEqual(sniffStdin(Buffer.from('META samplerate: 1\n$date'), false), { kind: 'vcd', skip: 19, skipped: ['META samplerate: 1'] });
    assert.equal(sniffStdin(Buffer.from('META samp'), false), null, 'waits for the rest of a line');
    assert.deepEqual(sniffStdin(Buffer.from([0, 5, 1, 2]), false), { kind: 'bridge' });
    assert.deepEqual(sniffStdin(Buffer.from('text\n\x01\x02'), false), { kind: 'bridge' });
    assert.deepEqual(sniffStdin(Buffer.from('just text'), true), { kind: 'bridge' });
  });

  it('fails with one line when standard input is neither a VCD nor a bridge stream', async () => {
    const text = Buffer.from('hello, this is not a capture\n'.repeat(3000));
    const live = await openLiveSource('-', {}, { stdin: Readable.from([text]) });
    await assert.rejects(collect(live.records), (e: unknown) => e instanceof SourceError && /^<stdin>: byte \d+: no bridge packet in the first \d+ bytes/.test(e.message));
    const empty = await openLiveSource('-', {}, { stdin: Readable.from([]) });
    await assert.rejects(collect(empty.records), /<stdin>: byte 0: empty input/);
  });

  describe('a VCD (sigrok-cli -O vcd)', () => {
    const dir = tempDir('bs-live-vcd-');
    const vcdPath = join(dir, 'demo.vcd');
    let vcd = Buffer.alloc(0);

    it('decodes the whole stream like the simulator made it, past sigrok-cli\'s META preamble line', async () => {
      assert.equal(cli(['simulate', 'demo', '-o', vcdPath]).status, 0);
      vcd = readFileSync(vcdPath);
      // sigrok-cli 0.7 -O vcd prints this line on stdout before the VCD header.
      const preamble = Buffer.from('META samplerate: 1000000000\n');
      const notes: string[] = [];
      const live = await openLiveSource('-', { onNote: (n) => notes.push(n) }, { stdin: Readable.from([preamble, vcd]) });
      const rs = await collect(live.records);
      assert.deepEqual(notes, ['<stdin>: skipped 1 line(s) before the VCD header ("META samplerate: 1000000000")']);
      const sim = await collect(runScenario(openScenario('demo')).records);
      const mosi = (r: BuddyRecord): string => (r.kind === 'txn' ? Buffer.from(r.mosi).toString('hex') : '');
      assert.deepEqual(rs.filter((r) => r.kind === 'txn').map(mosi), sim.filter((r) => r.kind === 'txn').map(mosi));
      assert.ok(live.stats.packets > 0 && live.stats.bytes === preamble.length + vcd.length);
    });

    it('yields transactions while the pipe is still open (a slow trickle, not only at EOF)', async () => {
      const pipe = new PassThrough();
      const live = await openLiveSource('-', { mode: DEFAULT_MODE }, { stdin: pipe });
      const it = live.records[Symbol.asyncIterator]();
      // Two thirds of the file, in small pieces with pauses; the rest is withheld until a batch came.
      const cut = Math.floor((vcd.length * 2) / 3);
      for (let at = 0; at < cut; at += 4096) {
        pipe.write(vcd.subarray(at, Math.min(cut, at + 4096)));
        await sleep(1);
      }
      const first = await Promise.race([it.next(), sleep(5000).then(() => null)]);
      assert.ok(first !== null && !first.done && first.value.some((r) => r.kind === 'txn'), 'a batch of transactions before EOF');
      pipe.end(vcd.subarray(cut));
      let n = first.value.length;
      for (let r = await it.next(); !r.done; r = await it.next()) n += r.value.length;
      assert.ok(n > first.value.length);
    });

    it('reports a broken VCD as one line naming standard input', async () => {
      const live = await openLiveSource('-', {}, { stdin: Readable.from([Buffer.from('$timescale 1 ns $end\n$var wire 1 ! CLK $end\n$enddefinitions $end\n#5 1?\n')]) });
      await assert.rejects(collect(live.records), (e: unknown) => e instanceof SourceError && e.message.startsWith('<stdin>:'));
    });
  });
});

describe('openLiveSource: TCP', () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  it('reconnects with backoff; a continued clock is a capture-gap, a restarted one a bridge-reset', async () => {
    const statuses: LiveStatus[] = [];
    const b = await scriptedBridge([
      (s) => {
        s.end(encodeFrames([hello({ bootId: 1 }), txn(0, 1000), txn(1, 2000)], true));
      },
      (s) => {
        s.end(encodeFrames([hello({ bootId: 1, nowTicks: 900_000_000 }), txn(9, 900_000_100)], true));
      },
      (s) => {
        s.write(encodeFrames([hello({ bootId: 2, nowTicks: 5 }), txn(0, 10)], true));
      },
    ]);
    servers.push(b.server);
    const live = await openLiveSource(b.url, { maxBackoffMs: 200, onStatus: (st) => statuses.push(st) });
    const rs: BuddyRecord[] = [];
    for await (const batch of live.records) {
      rs.push(...batch);
      if (rs.filter((r) => r.kind === 'txn').length === 4) live.stop();
    }
    assert.deepEqual(codes(rs), ['txn', 'txn', 'capture-gap', 'txn', 'capture-gap', 'bridge-reset', 'txn']);
    const gap = rs[2] as AnomalyRecord;
    assert.deepEqual([gap.startNs, gap.endNs], [2100, 900_000_000]);
    assert.ok(rs[3].kind === 'txn' && rs[3].txn === 9);
    const reset = rs[5] as AnomalyRecord;
    assert.ok(reset.startNs >= 900_000_200 + 50e6, 'the wall-clock outage (a 100 ms backoff at least) is in the time line');
    assert.ok(rs[6].kind === 'txn' && rs[6].txn === 10 && rs[6].startNs === reset.startNs + 5);
    for (let i = 1; i < rs.length; i++) assert.ok(rs[i].startNs >= rs[i - 1].startNs);
    assert.equal(live.stats.reconnects, 2);
    assert.equal(live.stats.gaps, 2);
    assert.ok(statuses.some((s) => s.state === 'connected' && /bridge scripted, 1 GHz clock/.test(s.detail)));
    assert.ok(statuses.some((s) => s.state === 'disconnected' && /reconnecting in \d+ ms/.test(s.detail)));
  });

  it('without reconnect, a refused first connect is one SourceError', async () => {
    const b = await scriptedBridge([(s) => {
      s.destroy();
    }]);
    const url = b.url;
    await new Promise<void>((r) => b.server.close(() => r()));
    const live = await openLiveSource(url, { reconnect: false });
    await assert.rejects(collect(live.records), (e: unknown) => e instanceof SourceError && e.message.startsWith(`${url}: connect: `));
  });

  it('with reconnect, keeps retrying a bridge that is not there until stopped', async () => {
    const b = await scriptedBridge([(s) => {
      s.destroy();
    }]);
    await new Promise<void>((r) => b.server.close(() => r()));
    const statuses: LiveStatus[] = [];
    const ac = new AbortController();
    const live = await openLiveSource(b.url, { maxBackoffMs: 100, signal: ac.signal, onStatus: (s) => statuses.push(s) });
    setTimeout(() => ac.abort(), 500);
    assert.deepEqual(await collect(live.records), []);
    assert.ok(statuses.filter((s) => /cannot connect/.test(s.detail)).length >= 3, statuses.map((s) => s.detail).join('\n'));
  });

  it('refuses a peer that sends no bridge packets (wrong port)', async () => {
    const b = await scriptedBridge([(s) => {
      s.end(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n'.repeat(4000)));
    }]);
    servers.push(b.server);
    const live = await openLiveSource(b.url, {});
    await assert.rejects(collect(live.records), /no bridge packet in the first \d+ bytes: not a buddyshark bridge stream/);
    assert.equal(b.connections(), 1, 'no reconnect loop against something that is not a bridge');
  });

  it('keeps memory bounded for a slow consumer: the backlog stays near maxBacklog and nothing is lost', async () => {
    const total = 30_000;
    const b = await scriptedBridge([(s) => {
      const ps: BridgePacket[] = [hello()];
      for (let i = 0; i < total; i++) ps.push(txn(i, 1000 + i * 1000, 64));
      s.end(encodeFrames(ps, true));
    }]);
    servers.push(b.server);
    const maxBacklog = 500;
    const live = await openLiveSource(b.url, { reconnect: false, maxBacklog });
    let n = 0;
    let maxSeen = 0;
    let next = 0;
    for await (const batch of live.records) {
      for (const r of batch) {
        assert.ok(r.kind === 'txn' && r.txn === next++);
      }
      n += batch.length;
      await sleep(2);
      maxSeen = Math.max(maxSeen, live.stats.backlog);
    }
    assert.equal(n, total);
    // One socket read (at most 64 KiB, ~700 of these packets) can land on top of the bound.
    assert.ok(maxSeen > 0 && maxSeen <= maxBacklog + 1000, `backlog peaked at ${maxSeen}`);
  });
});

describe('openLiveSource: serial', () => {
  it('reads a bridge through the serial path (injected port stream), with the baud from the spec', async () => {
    const port = new PassThrough();
    let opened: [string, number] | null = null;
    const live = await openLiveSource('serial:/dev/ttyFAKE0@115200', { reconnect: false }, {
      openSerial: async (path, baud) => {
        opened = [path, baud];
        return port;
      },
    });
    port.end(encodeFrames([hello(), txn(0, 5), { type: 'line', ticks: 9, line: 'ready', level: 1 }], true));
    const rs = await collect(live.records);
    assert.deepEqual(opened, ['/dev/ttyFAKE0', 115200]);
    assert.deepEqual(codes(rs), ['txn', 'line']);
  });

  it('reports a missing device as one line', async () => {
    const live = await openLiveSource('serial:/dev/does-not-exist-bs', { reconnect: false });
    await assert.rejects(collect(live.records), (e: unknown) => e instanceof SourceError && e.message.startsWith('serial:/dev/does-not-exist-bs: connect: '));
  });

  const python = hasTool('python3') ? false : 'python3 not installed (needed to make a pty pair)';
  it('reads a real pty with the serialport package', { skip: python }, async () => {
    const dir = tempDir('bs-live-pty-');
    const data = join(dir, 'stream.bin');
    const frames = encodeFrames([hello({ name: 'pty' }), txn(0, 100), txn(1, 200), txn(2, 300)], true);
    spawnSync('sh', ['-c', `cat > ${data}`], { input: frames });
    // The python side opens a pty, prints the follower's path, writes the stream once the port is
    // open (it waits for a byte from us), then holds the pty until killed.
    const script = [
      'import os, sys, pty, tty, time',
      'm, s = pty.openpty()',
      'tty.setraw(s)',
      'print(os.ttyname(s), flush=True)',
      'os.read(m, 1)',
      `os.write(m, open(${JSON.stringify(data)}, 'rb').read())`,
      'time.sleep(30)',
    ].join('\n');
    const py = spawn('python3', ['-c', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const path = await new Promise<string>((resolve) => py.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())));
      const live = await openLiveSource(`serial:${path}`, { reconnect: false });
      const rs: BuddyRecord[] = [];
      // The python end waits for one byte before it writes (so the port is open by then); it is
      // sent through a second handle on the follower until the stream arrives.
      const poke = setInterval(() => spawnSync('sh', ['-c', `printf x > ${path}`]), 100);
      try {
        for await (const batch of live.records) {
          rs.push(...batch);
          if (rs.length >= 3) live.stop();
        }
      } finally {
        clearInterval(poke);
      }
      assert.deepEqual(codes(rs), ['txn', 'txn', 'txn']);
    } finally {
      py.kill();
    }
  });
});
