/**
 * `buddyshark protocol`: the wire format by hand. `decode <hex>` checks and decodes one frame
 * (as a sniffer would see it at the start of MOSI or MISO); `vectors` prints the spec's test vectors.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import { fromHex } from '../../protocol/bytes.ts';
import { channelName } from '../../protocol/constants.ts';
import { decodeFrame } from '../../protocol/frame.ts';
import { decodeMessage } from '../../protocol/message.ts';
import { VECTORS, formatVector } from '../../protocol/vectors.ts';
import { detailTree } from '../../link/describe.ts';
import { toJsonValue } from '../../records/json.ts';
import type { FrameRecord } from '../../records/types.ts';
import { checkOptions, OPTION } from '../option-schema.ts';
import { paint, UserError, writeJsonLine } from '../output.ts';
import { treeLines } from '../tree.ts';

interface DecodeArgs {
  hex: string[];
  json: boolean;
}

function frameAsRecord(bytes: Uint8Array): FrameRecord {
  const r = decodeFrame(bytes);
  if (!r.ok) throw new UserError(`not a valid frame: ${r.error.code} at byte ${r.error.offset}: ${r.error.detail}`, 1);
  const { header: h, payload } = r.value;
  const decoded = payload.length ? decodeMessage(h.channel, payload) : null;
  if (decoded && !decoded.ok) throw new UserError(`frame is valid but its ${channelName(h.channel)} message is not: ${decoded.error.code}: ${decoded.error.detail}`, 1);
  return {
    kind: 'frame', startNs: 0, endNs: 0, txn: 0, dir: 'cpu-to-buddy', channel: h.channel, flags: h.flags, seq: h.seq, ack: h.ack,
    credit: h.credit, epoch: h.epoch, payload, ...(payload.length ? { message: payload, fragments: 1 } : {}),
    ...(decoded?.ok ? { decoded: decoded.value } : {}),
  };
}

const decode: CommandModule<object, DecodeArgs> = {
  command: 'decode <hex..>',
  describe: 'Check and decode one frame given as hex (spaces and colons allowed)',
  builder: (y: Argv) =>
    y
      .positional('hex', { type: 'string', array: true, demandOption: true, describe: 'frame bytes in hex' })
      .option('json', { type: 'boolean', default: false, describe: 'print the decoded frame as JSON' })
      .example('$0 protocol decode b50100000000000000000000c16e93aa', 'an idle frame') as unknown as Argv<DecodeArgs>,
  handler: (args: ArgumentsCamelCase<DecodeArgs>) => {
    checkOptions(args, { hex: OPTION.texts() }, ['hex']);
    const bytes = fromHex(args.hex.join(''));
    if (!bytes) throw new UserError('argument is not hex: use pairs of 0-9a-f, optionally separated by spaces or colons');
    const rec = frameAsRecord(bytes);
    if (args.json) {
      const { dir: _dir, txn: _txn, startNs: _s, endNs: _e, ...frame } = rec;
      writeJsonLine(toJsonValue(frame));
      return;
    }
    for (const line of treeLines(detailTree(rec))) process.stdout.write(`${line}\n`);
    const size = 16 + rec.payload.length + (rec.payload.length ? 4 : 0);
    if (bytes.length > size) process.stdout.write(paint('dim', `(${bytes.length - size} bytes after the frame: transaction padding)\n`));
  },
};

const vectors: CommandModule<object, { json: boolean }> = {
  command: 'vectors',
  describe: 'Print the test vectors of docs/protocol.md',
  builder: (y: Argv) => y.option('json', { type: 'boolean', default: false, describe: 'one JSON object per vector' }) as unknown as Argv<{ json: boolean }>,
  handler: (args) => {
    for (const v of VECTORS) {
      if (args.json) writeJsonLine({ name: v.name, description: v.description, hex: v.hex });
      else process.stdout.write(`${paint('bold', v.name)}: ${v.description}\n${formatVector(v)}\n\n`);
    }
  },
};

export const protocolCommand: CommandModule = {
  command: 'protocol <command>',
  describe: 'Decode frames by hand and print the test vectors',
  builder: (y: Argv) => y.command(decode).command(vectors).demandCommand(1),
  handler: () => undefined,
};

