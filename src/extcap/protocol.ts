/**
 * The text Wireshark reads from an extcap (doc/extcap.adoc in wireshark/wireshark): the interface
 * list, the link types and the capture options, one `{key=value}` line each. Pure functions, no
 * I/O, so tests can compare the lines exactly.
 *
 * Wireshark turns every `arg` line into a preference named extcap.<interface>.<call without the
 * dashes and inner dashes>, so `--source` is `extcap.buddyshark.source` and `tshark -o
 * extcap.buddyshark.source:tcp://127.0.0.1:7878` sets it; a `boolean` arg reaches us as
 * `--raw true` or `--raw false`.
 *
 * Example:
 *   interfaceLines('0.1.0', 'file:///src/buddyshark/README.md')   // ['extcap {version=0.1.0}{help=file:///...}', 'interface {value=buddyshark}{display=WiFi Buddy (buddyshark)}']
 *   configLines(['/dev/ttyACM0'])
 */
import { PROTOCOL_CHOICES, type ProtocolChoice } from '../link/select.ts';
import { protocolById } from '../link/registry.ts';

export const INTERFACE_ID = 'buddyshark';
export const INTERFACE_DISPLAY = 'WiFi Buddy (buddyshark)';
export const DEFAULT_SOURCE = 'tcp://127.0.0.1:7878';
export const DEFAULT_BAUD = 921600;

/** Characters that would end a `{key=value}` field early are left out of values we print. */
function field(key: string, value: string | number): string {
  return `{${key}=${String(value).replace(/[{}\n\r]/g, '')}}`;
}

/** Answer to `--extcap-interfaces`; `help` is what Wireshark's Help button opens (a URL). */
export function interfaceLines(version: string, help: string): string[] {
  return [
    `extcap ${field('version', version)}${field('help', help)}`,
    `interface ${field('value', INTERFACE_ID)}${field('display', INTERFACE_DISPLAY)}`,
  ];
}

/**
 * Answer to `--extcap-dlts`. The capture is a multi-interface pcapng (Ethernet, the link as
 * Upper PDU, BLE HCI, raw SPI as USER0, events): dumpcap copies the interface blocks from the
 * fifo as they are, so every interface keeps its own link type and the file is "per packet"
 * encapsulation (checked with tshark 4.0). The list here only labels the interface in the
 * capture dialog, and Wireshark expects one entry; Ethernet is the first interface in the file
 * and the one Wireshark decodes with no plugin, so it is the honest single answer.
 */
export function dltLines(): string[] {
  return [`dlt ${field('number', 1)}${field('name', 'EN10MB')}${field('display', 'Ethernet, with the buddy link, BLE, SPI and event interfaces')}`];
}

/** The `arg` numbers. */
export const ARG = { source: 0, baud: 1, raw: 2, reconnect: 3, protocol: 4 } as const;

/**
 * Answer to `--extcap-config`: the source, baud, raw layer, reconnect. The source is a `string`
 * (free text): `editselector`, a list that also takes free text, is rejected by Wireshark 4.0
 * ("invalid type editselector"), and the whole config with it; the serial ports found now are
 * named in its tooltip instead.
 */
function protocolTitle(p: Exclude<ProtocolChoice, 'auto'>): string {
  return protocolById(p).title;
}

export function configLines(serialPorts: readonly string[]): string[] {
  const found = serialPorts.length ? `; serial ports here: ${serialPorts.map((p) => `serial:${p}`).join(', ')}` : '';
  return [
    `arg ${field('number', ARG.source)}${field('call', '--source')}${field('display', 'Source')}${field('type', 'string')}` +
      `${field('default', DEFAULT_SOURCE)}${field('required', 'true')}` +
      `${field('tooltip', `Bridge to capture from: tcp://host:port (a network bridge or buddyshark simulate --serve) or serial:PORT${found}`)}`,
    `arg ${field('number', ARG.baud)}${field('call', '--baud')}${field('display', 'Baud rate')}${field('type', 'unsigned')}` +
      `${field('default', DEFAULT_BAUD)}${field('range', '1,100000000')}${field('tooltip', 'Serial ports only; a USB CDC port ignores it')}`,
    `arg ${field('number', ARG.raw)}${field('call', '--raw')}${field('display', 'Raw SPI layer')}${field('type', 'boolean')}` +
      `${field('default', 'true')}${field('tooltip', 'Also write every SPI transaction and READY/IRQ/RESET edge (buddy-spi interface)')}`,
    `arg ${field('number', ARG.reconnect)}${field('call', '--reconnect')}${field('display', 'Reconnect')}${field('type', 'boolean')}` +
      `${field('default', 'true')}${field('tooltip', 'Retry a dropped bridge connection; the gap shows as a capture-gap event')}`,
    `arg ${field('number', ARG.protocol)}${field('call', '--protocol')}${field('display', 'Link protocol')}${field('type', 'selector')}` +
      `${field('tooltip', 'The protocol on the SPI link; auto picks it from the first transactions by frame validity')}`,
    ...PROTOCOL_CHOICES.map((p) => `value ${field('arg', ARG.protocol)}${field('value', p)}${field('display', p === 'auto' ? 'auto (detect)' : protocolTitle(p))}` +
      `${field('default', p === 'auto' ? 'true' : 'false')}`),
  ];
}

/**
 * Answer to a capture-filter check (`--extcap-capture-filter F` without `--capture`): Wireshark
 * takes no output as "valid" and the first line as the reason it is not. buddyshark captures
 * every record, so only an empty filter is valid.
 */
export function filterCheckLines(filter: string): string[] {
  return filter.trim() === '' ? [] : ['buddyshark has no capture filters: capture everything and use a display filter'];
}
