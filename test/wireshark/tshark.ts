/** Runs tshark and sharkd with the buddyshark Lua plugin, for the Wireshark tests. */
import { spawnSync } from 'node:child_process';
import { mkdirSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BuddyRecord } from '../../src/records/types.ts';
import { writeRecordsToPcapng } from '../../src/pcapng/sink.ts';
import { hasTool, ROOT, tempDir } from '../cli/helpers.ts';

export const LUA = join(ROOT, 'wireshark/buddyshark.lua');
export const skip = hasTool('tshark') ? false : 'tshark not installed';

export interface TsharkResult {
  rows: string[][];
  status: number | null;
  stderr: string;
}

export function tshark(args: string[], lua = true): TsharkResult {
  const r = spawnSync('tshark', [...(lua ? ['-X', `lua_script:${LUA}`] : []), ...args], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const rows = r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
  return { rows, status: r.status, stderr: r.stderr.split('\n').filter((l) => l && !l.startsWith('Running as user')).join('\n') };
}

/** One row per packet matching `filter`: frame.number, then the fields (repeats joined with ","). */
export function fields(file: string, names: readonly string[], opts: { filter?: string; twoPass?: boolean } = {}): TsharkResult {
  return tshark([
    '-r', file, ...(opts.twoPass ? ['-2'] : []), ...(opts.filter ? ['-Y', opts.filter] : []),
    '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number', ...names.flatMap((n) => ['-e', n]),
  ]);
}

export async function writeCapture(records: readonly BuddyRecord[], file: string, raw = true): Promise<void> {
  async function* once(): AsyncGenerator<BuddyRecord[]> {
    yield [...records];
  }
  await writeRecordsToPcapng(once(), file, { force: true, raw });
}

export const hasSharkd = hasTool('sharkd');

export interface SharkdFrame {
  /** The packet list columns, as Wireshark's own list shows them. */
  col: string[];
  /** The display filter string of every tree item ("buddy.msg == \"scan\""...). */
  filters: string[];
}

/**
 * Loads the file in sharkd (Wireshark's engine behind its web UI: one first pass at load, then each
 * frame dissected on request, in the order asked, like clicks in Wireshark) and returns the frames
 * asked for. sharkd takes plugins only from the personal plugin folder: a private HOME holds ours.
 */
export function sharkdFrames(file: string, frames: readonly number[]): Map<number, SharkdFrame> {
  const home = tempDir('bs-sharkd-');
  const plugins = join(home, '.local/lib/wireshark/plugins');
  mkdirSync(plugins, { recursive: true });
  copyFileSync(LUA, join(plugins, 'buddyshark.lua'));
  const requests = [
    { jsonrpc: '2.0', id: 1, method: 'load', params: { file } },
    ...frames.map((frame, i) => ({ jsonrpc: '2.0', id: i + 2, method: 'frame', params: { frame, proto: true, columns: true } })),
  ];
  const r = spawnSync('sharkd', ['-'], {
    input: requests.map((q) => JSON.stringify(q)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') },
  });
  const out = new Map<number, SharkdFrame>();
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const reply = JSON.parse(line) as { id: number; result?: { status?: string; col?: string[]; tree?: TreeNode[] }; error?: { message: string } };
    if (reply.error) throw new Error(`sharkd request ${reply.id}: ${reply.error.message}`);
    if (!reply.result?.col) continue;
    const filters: string[] = [];
    const walk = (nodes: TreeNode[] = []): void => {
      for (const n of nodes) {
        if (n.f) filters.push(n.f);
        walk(n.n);
      }
    };
    walk(reply.result.tree);
    out.set(frames[reply.id - 2], { col: reply.result.col, filters });
  }
  return out;
}

interface TreeNode {
  f?: string;
  n?: TreeNode[];
}
