/**
 * `buddyshark info <file.pcapng>`: like capinfos, for the buddy link: interfaces with their packet
 * counts, records per kind and channel, directions, the time span, anomalies, truncation.
 */
import type { Argv, CommandModule } from 'yargs';
import { Readable } from 'node:stream';
import { gunzipChunks, sniff, type GzipCut } from '../../pipeline/open-records.ts';
import { summarizePcapng, type PcapngSummary } from '../../pcapng/summary.ts';
import { checkOptions, OPTION } from '../option-schema.ts';
import { paint, row, useColour, writeJsonLine } from '../output.ts';
import { formatDuration } from '../../records/summary.ts';

interface InfoArgs {
  file: string;
  json: boolean;
}

function infoLines(path: string, s: PcapngSummary, colour: boolean): string[] {
  const list = (o: Record<string, number>): string => Object.entries(o).filter(([, n]) => n).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const anomalies = Object.values(s.anomalies).reduce((a, b) => a + b, 0);
  const lines = [
    paint('bold', path, colour),
    `  written by     ${s.userappl ?? 'unknown'}${s.sections > 1 ? ` (${s.sections} sections)` : ''}`,
    `  packets        ${s.packets}`,
    `  time span      ${s.durationNs === null ? 'empty' : `${formatDuration(s.durationNs)} (${formatDuration(s.firstNs ?? 0)} .. ${formatDuration(s.lastNs ?? 0)})`}`,
    `  records        ${list(s.records)}`,
    `  frames         ${list(s.channels)}`,
    `  directions     cpu-to-buddy ${s.directions['cpu-to-buddy']}, buddy-to-cpu ${s.directions['buddy-to-cpu']}`,
    paint(anomalies ? 'red' : 'reset', `  anomalies      ${anomalies ? `${anomalies}: ${list(s.anomalies)}` : 'none'}`, colour),
  ];
  if (s.badPackets || s.foreignPackets || s.unknownBlocks) lines.push(`  not ours       ${s.badPackets} undecodable, ${s.foreignPackets} foreign packets, ${s.unknownBlocks} unknown blocks`);
  if (s.truncated) lines.push(paint('yellow', `  truncated      at byte ${s.truncatedAt}: read up to the last complete block`, colour));
  lines.push('  interfaces');
  for (const i of s.interfaces) {
    lines.push(`    ${row([`#${i.id}`, i.name ?? '?', `linktype ${i.linkType}`, `${i.packets} packets`, `${i.bytes} bytes`], [4, 12, 13, 14])}`);
  }
  return lines;
}

export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info <file>',
  describe: 'Summarise a pcapng: interfaces, channels, time span, anomalies (like capinfos)',
  builder: (y: Argv) =>
    y
      .positional('file', { type: 'string', demandOption: true, describe: 'pcapng file' })
      .option('json', { type: 'boolean', default: false, describe: 'print the summary as JSON' }) as unknown as Argv<InfoArgs>,
  handler: async (args) => {
    checkOptions(args, { file: OPTION.text(true) }, ['file']);
    // A .pcapng.gz reads like the pcapng inside it (as decode and replay read it); a cut one stops
    // where the compressed data does, which the summary then reports as truncated.
    const gz = (await sniff(args.file)) === 'pcapng-gz';
    const cut: GzipCut = {};
    const read = await summarizePcapng(gz ? Readable.from(gunzipChunks(args.file, cut)) : args.file, gz ? { name: args.file } : {});
    const s: PcapngSummary = cut.at !== undefined && !read.truncated ? { ...read, truncated: true, truncatedAt: cut.at } : read;
    if (args.json) writeJsonLine({ file: args.file, ...s });
    else process.stdout.write(`${infoLines(args.file, s, useColour()).join('\n')}\n`);
  },
};
