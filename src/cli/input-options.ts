/**
 * The options every command that reads a capture shares (--format, --channels, --mode, ...), and
 * the code that turns them into an opened record stream with a summary that knows the SPI mode.
 */
import type { Argv } from 'yargs';
import { MAX_WORD_BITS, spiModeText, type SpiMode } from '../spi/types.ts';
import { INPUT_FORMATS, openRecords, type InputFormat, type OpenedRecords } from '../pipeline/open-records.ts';
import { OPTION } from './option-schema.ts';
import { printNote } from './output.ts';
import { PROTOCOL_CHOICES, spiScorerFor, type ProtocolChoice } from '../link/select.ts';
import type { LiveSourceOptions } from '../sources/live/types.ts';
import { SourceError } from '../sources/errors.ts';
import type { Progress } from './progress.ts';
import type { SpiDetection } from '../spi/detect.ts';
import { newSummary, type RecordSummary } from '../records/summary.ts';

export interface InputArgs {
  format?: string;
  channels?: string;
  mode?: string;
  'cs-active'?: string;
  'bit-order'?: string;
  glitch?: number;
  'word-bits'?: number;
  analyzer?: string;
  protocol?: string;
}

export function inputOptions<T>(y: Argv<T>): Argv<T & InputArgs> {
  return y
    .option('format', { type: 'string', choices: INPUT_FORMATS as string[], describe: 'input format (default: detected from content)' })
    .option('channels', { type: 'string', describe: 'channel mapping, e.g. sck=0,mosi=1,miso=2,cs=3,ready=4,irq=5 (default: by name)' })
    .option('mode', { type: 'string', default: 'auto', describe: 'SPI mode 0-3, or auto (CPOL from the idle clock, CPHA and bit order from valid frames)' })
    .option('cs-active', { type: 'string', choices: ['low', 'high'], default: 'low', describe: 'CS polarity (with --mode 0-3)' })
    .option('bit-order', { type: 'string', choices: ['msb', 'lsb'], default: 'msb', describe: 'bit order (with --mode 0-3)' })
    .option('word-bits', { type: 'number', default: 8, describe: `SPI word width in bits, 1-${MAX_WORD_BITS} (the buddy link uses 8; others show a misconfigured peripheral)` })
    .option('glitch', { type: 'number', describe: 'CS glitch filter in ns (default: 3 samples, or 20 ns)' })
    .option('analyzer', { type: 'string', describe: 'Saleae analyzer table: which analyzer to read' })
    .option('protocol', {
      type: 'string', choices: PROTOCOL_CHOICES as string[], default: 'auto',
      describe: 'link protocol: the buddy link, an esp-hosted variant, or auto (picked by frame validity, and said)',
    }) as Argv<T & InputArgs>;
}

/** The rules of the input options, for each command's checkOptions shape. */
export const INPUT_RULES = {
  format: OPTION.choice(INPUT_FORMATS).optional(),
  channels: OPTION.text().optional(),
  mode: OPTION.choice(['auto', '0', '1', '2', '3']).optional(),
  'cs-active': OPTION.choice(['low', 'high']).optional(),
  'bit-order': OPTION.choice(['msb', 'lsb']).optional(),
  glitch: OPTION.atLeast0('ns').optional(),
  'word-bits': OPTION.wholeIn(1, MAX_WORD_BITS, 'bits').optional(),
  analyzer: OPTION.text().optional(),
  protocol: OPTION.choice(PROTOCOL_CHOICES).optional(),
};

/** --protocol, checked by INPUT_RULES already. */
export function protocolChoice(args: InputArgs): ProtocolChoice {
  return (args.protocol ?? 'auto') as ProtocolChoice;
}

/** `args` passed INPUT_RULES already: this only turns them into the SPI stage's terms. */
function parseMode(args: InputArgs): SpiMode | 'auto' {
  if (args.mode === undefined || args.mode === 'auto') return 'auto';
  const n = Number(args.mode);
  return {
    cpol: (n >> 1) as 0 | 1, cpha: (n & 1) as 0 | 1, bitOrder: args['bit-order'] === 'lsb' ? 'lsb' : 'msb',
    csActive: args['cs-active'] === 'high' ? 'high' : 'low', wordBits: args['word-bits'] ?? 8,
  };
}

/**
 * The input options a live source takes for a VCD streamed on standard input (`sigrok-cli ... -O
 * vcd | buddyshark capture --live -`): channels, mode and the protocol's scorer for detecting it.
 */
export function liveInputOptions(name: string, args: InputArgs): Pick<LiveSourceOptions, 'channels' | 'mode' | 'scorer' | 'onDetect' | 'onNote'> {
  return {
    ...(args.channels ? { channels: args.channels } : {}),
    mode: parseMode(args),
    scorer: spiScorerFor(protocolChoice(args)),
    onDetect: (d) => {
      if (d.basis !== 'frames') printNote(`${name}: ${d.note}`);
    },
    onNote: (text) => printNote(text),
  };
}

/** A cut file is bad input: after everything before the cut is out, say so and exit non-zero. */
export function failIfTruncated(path: string, opened: OpenedRecords): void {
  const at = opened.truncatedAt?.();
  if (at !== undefined) throw new SourceError(path, `byte ${at}`, 'the file ends inside a block (cut short); every record before it was decoded');
}

export const modeText = spiModeText;

const DETECTED: Record<SpiDetection['basis'], string> = {
  frames: 'detected from link frames', timing: 'detected from the signal timing; bit order assumed', none: 'guessed: give --mode',
};

export async function openInput(path: string, args: InputArgs, _progress?: Progress): Promise<{ opened: OpenedRecords; sum: RecordSummary }> {
  const mode = parseMode(args);
  // The mode is detected while the first batch is pulled, after this returns: onDetect fills it in.
  const sum = newSummary(path, '');
  sum.spiMode = mode === 'auto' ? null : `${modeText(mode)} (given)`;
  const opened = await openRecords(path, {
    ...(args.format ? { inputFormat: args.format as InputFormat } : {}),
    ...(args.channels ? { channels: args.channels } : {}),
    ...(args.analyzer ? { analyzer: args.analyzer } : {}),
    ...(args.glitch !== undefined ? { glitchNs: args.glitch } : {}),
    wordBits: args['word-bits'] ?? 8,
    mode,
    onDetect: (d) => {
      sum.spiMode = `${modeText(d.mode)} (${DETECTED[d.basis]})`;
      // Without link frames the mode is an inference or a guess: the user must know which.
      if (d.basis !== 'frames') printNote(`${path}: ${d.note}`);
    },
    onNote: (text) => printNote(text),
    protocol: protocolChoice(args),
    onPick: (note, protocol, recognised) => {
      sum.protocol = protocol.id;
      // The buddy link is what buddyshark decodes unless told: say so only when it is something else.
      if (protocol.id !== 'buddy' || !recognised) printNote(`${path}: ${note}`);
    },
  });
  sum.format = opened.format;
  if (opened.link?.protocol) sum.protocol = opened.link.protocol.id;
  sum.link = opened.linkSkipped ?? null;
  return { opened, sum };
}
