/**
 * `buddyshark extcap`: the Wireshark extcap interface, so "WiFi Buddy (buddyshark)" shows in
 * Wireshark's interface list and captures live from a bridge (`buddyshark wireshark install` puts
 * a wrapper that runs this into Wireshark's extcap folder). Wireshark runs it with one question
 * at a time: --extcap-interfaces, --extcap-dlts, --extcap-config, a capture-filter check, or
 * --capture --fifo PATH with the configured --source, --baud, --raw and --reconnect. Flags it
 * does not know are accepted and ignored (see src/extcap/args.ts).
 *
 * During a capture stdout stays silent (Wireshark would take it as protocol text) and the pcapng
 * goes to the fifo; errors are one line on stderr, which Wireshark shows, with a non-zero exit.
 * SIGTERM (Wireshark's stop), SIGINT and SIGHUP end it cleanly, leaving a complete pcapng.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Argv, CommandModule } from 'yargs';
import { hideBin } from 'yargs/helpers';
import { ExtcapArgError, parseExtcapArgs, type ExtcapArgs } from '../../extcap/args.ts';
import {
  configLines, DEFAULT_BAUD, DEFAULT_SOURCE, dltLines, filterCheckLines, INTERFACE_ID, interfaceLines,
} from '../../extcap/protocol.ts';
import { serialPortCandidates } from '../../extcap/serial-ports.ts';
import { messageFor } from '../errors.ts';
import { UserError } from '../output.ts';
import { ROOT, VERSION } from '../../paths.ts';

const README = join(ROOT, 'README.md');
/** After a stop request the capture normally ends within milliseconds; this bounds a stuck source. */
const STOP_GRACE_MS = 3000;

function print(lines: readonly string[]): void {
  if (lines.length) process.stdout.write(`${lines.join('\n')}\n`);
}

function checkInterface(a: ExtcapArgs): void {
  if (a.iface !== undefined && a.iface !== INTERFACE_ID) {
    throw new UserError(`extcap: unknown interface ${JSON.stringify(a.iface)} (this extcap provides ${INTERFACE_ID})`);
  }
}

/** Status lines for --debug (stderr) and --debug-file; silent otherwise, as Wireshark shows all stderr. */
function logger(a: ExtcapArgs): (line: string) => void {
  return (line) => {
    const text = `${new Date().toISOString()} buddyshark extcap: ${line}\n`;
    if (a.debug) process.stderr.write(text);
    if (a.debugFile) {
      try {
        appendFileSync(a.debugFile, text);
      } catch {
        // A debug file we cannot write must not end the capture.
      }
    }
  };
}

/** Turns failures of the capture into the one-line errors main.ts prints (system errors too). */
function asUserError(err: unknown, source: string): unknown {
  if (messageFor(err) !== null) return err;
  if (err instanceof Error && 'code' in err && typeof err.code === 'string') return new UserError(`extcap: ${source}: ${err.message}`);
  return err;
}

async function capture(a: ExtcapArgs): Promise<void> {
  if (a.fifo === undefined) throw new UserError('extcap: --capture needs --fifo PATH (Wireshark passes it)');
  const log = logger(a);
  if (a.ignored.length) log(`ignored: ${a.ignored.join(' ')}`);
  if (a.captureFilter) log(`capture filter ignored (buddyshark has none): ${a.captureFilter}`);
  const stop = new AbortController();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (stop.signal.aborted) process.exit(0); // asked twice: the file is valid up to its last batch
    log(`${sig}: stopping`);
    stop.abort();
    setTimeout(() => {
      log(`still stopping after ${STOP_GRACE_MS} ms: exiting`);
      process.exit(0);
    }, STOP_GRACE_MS).unref();
  };
  const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];
  for (const s of signals) process.on(s, onSignal);
  try {
    // Loaded only for a capture: Wireshark runs the extcap for every interface listing and
    // dialog, and the live source, link decoder and pcapng writer would slow each of those.
    const { runExtcapCapture } = await import('../../extcap/capture.ts');
    const result = await runExtcapCapture({
      fifo: a.fifo, source: a.source, baud: a.baud, raw: a.raw, reconnect: a.reconnect, protocol: a.protocol, signal: stop.signal, log,
      timeOffsetSec: Math.floor(Date.now() / 1000),
    });
    if (result.stats) log(`source: ${JSON.stringify(result.stats)}`);
  } catch (err) {
    throw asUserError(err, a.source);
  } finally {
    for (const s of signals) process.off(s, onSignal);
  }
}

/** Parses Wireshark's arguments; a bad value is a UserError (one line, exit 2). */
export function extcapArgs(argv: readonly string[]): ExtcapArgs {
  try {
    return parseExtcapArgs(argv);
  } catch (err) {
    if (err instanceof ExtcapArgError) throw new UserError(err.message);
    throw err;
  }
}

/** The stdout lines answering every question but a capture (which writes to the fifo instead). */
export function extcapAnswer(a: ExtcapArgs, serialPorts: readonly string[] = serialPortCandidates()): string[] {
  if (a.mode === 'interfaces') return interfaceLines(VERSION, pathToFileURL(README).href);
  if (a.mode === 'none') {
    throw new UserError('extcap: nothing asked; Wireshark runs this with --extcap-interfaces, --extcap-config or --capture (see --help)');
  }
  checkInterface(a);
  switch (a.mode) {
    case 'dlts': return dltLines();
    case 'config': return configLines(serialPorts);
    case 'filter-check': return filterCheckLines(a.captureFilter ?? '');
    case 'capture': throw new Error('a capture has no answer lines: run capture()');
  }
}

async function run(argv: readonly string[]): Promise<void> {
  const a = extcapArgs(argv);
  if (a.mode === 'capture') {
    checkInterface(a);
    return capture(a);
  }
  print(extcapAnswer(a));
}

export const extcapCommand: CommandModule = {
  command: 'extcap',
  describe: 'Wireshark extcap: capture live from a bridge in Wireshark (run by Wireshark; see `wireshark install`)',
  builder: (y: Argv) =>
    y
      // Wireshark adds flags as it grows (--extcap-version, --debug, --extcap-control-in ...):
      // unknown ones must not end the run, so this command alone is not strict.
      .strict(false)
      .usage(
        '$0 extcap [extcap flags]\n\nThe Wireshark extcap interface. Wireshark runs it through the wrapper `buddyshark wireshark install`\n' +
          'puts in its extcap folder; the "WiFi Buddy (buddyshark)" interface then captures live from a bridge.\n' +
          'Other flags Wireshark passes are accepted and ignored.',
      )
      .option('extcap-interfaces', { type: 'boolean', describe: 'print the extcap version and the interface (buddyshark)' })
      .option('extcap-interface', { type: 'string', describe: `the interface asked about (${INTERFACE_ID})` })
      .option('extcap-dlts', { type: 'boolean', describe: 'print the link type (Ethernet; the pcapng holds all five interfaces)' })
      .option('extcap-config', { type: 'boolean', describe: 'print the capture options Wireshark shows' })
      .option('capture', { type: 'boolean', describe: 'capture: write pcapng to --fifo until SIGTERM' })
      .option('fifo', { type: 'string', describe: 'where the pcapng goes (a fifo from Wireshark, or a new file)' })
      .option('source', { type: 'string', describe: `bridge: tcp://host:port or serial:/dev/ttyACM0 (default ${DEFAULT_SOURCE})` })
      .option('baud', { type: 'string', describe: `serial baud rate (default ${DEFAULT_BAUD}; a USB CDC port ignores it)` })
      .option('raw', { type: 'string', describe: 'true|false: also write raw SPI transactions and line edges (default true)' })
      .option('reconnect', { type: 'string', describe: 'true|false: retry a dropped connection (default true)' })
      .option('protocol', { type: 'string', describe: 'link protocol on the bridge: buddy, esp-hosted-fg|ng|mcu, or auto (default)' })
      .option('debug', { type: 'boolean', describe: 'connection status lines on stderr' })
      .option('debug-file', { type: 'string', describe: 'append connection status lines to this file' })
      .epilog(
        'Examples:\n' +
          '  buddyshark extcap --extcap-interfaces                  what Wireshark asks first\n' +
          '  buddyshark extcap --capture --extcap-interface buddyshark --fifo cap.pcapng --source tcp://127.0.0.1:7878\n' +
          '                                                         capture by hand into a file (stop with Ctrl-C)\n' +
          '  tshark -i buddyshark -o extcap.buddyshark.source:tcp://127.0.0.1:7878 -a duration:10 -w cap.pcapng\n' +
          '                                                         the same through tshark',
      ),
  handler: async () => {
    const argv = hideBin(process.argv);
    await run(argv.slice(argv.indexOf('extcap') + 1));
  },
};
