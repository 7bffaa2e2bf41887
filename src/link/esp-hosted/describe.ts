/**
 * Human views of esp-hosted records for the list, the detail pane and the hex pane:
 *   summaryLine(r)    one line: "host→ESP STA eth 98 B ARP who-has 192.168.1.1",
 *                     "ESP→host ctrl Resp_GetMACAddress #3"
 *   detailTree(r)     label/value nodes (header fields, content, pairing)
 *   headerFieldMap(v) byte ranges of the header -> field names, for highlighting the hex dump
 */
import { ethernetSummary, macText } from '../../records/ethernet-summary.ts';
import type { Direction } from '../../records/types.ts';
import type { ControlMessage } from './control.ts';
import type { InitInfo } from './init-event.ts';
import { NG_CMD_STATUS, type NgCommand } from './ng-command.ts';
import type { EspContent, EspHeader, EspRecord, RequestLink } from './records.ts';
import { flagNames, HCI_TYPES, NG_PACKET_TYPES, THROTTLE_NAMES, VARIANTS, type VariantId } from './variants.ts';

export interface DetailNode {
  readonly label: string;
  readonly value?: string;
  readonly children?: readonly DetailNode[];
}

export interface FieldRange {
  /** First byte, inclusive; last byte, exclusive. */
  readonly start: number;
  readonly end: number;
  readonly name: string;
}

const DIR_TEXT: Readonly<Record<Direction, string>> = { 'cpu-to-buddy': 'host→ESP', 'buddy-to-cpu': 'ESP→host' };
const hex = (n: number, w: number): string => `0x${n.toString(16).padStart(w, '0')}`;

function linkText(l: RequestLink | undefined): string {
  return l ? ` #${l.reqNo}` : '';
}

function controlText(m: ControlMessage): string {
  return m.name;
}

function contentSummary(c: EspContent, iface: string, bytes: number): string {
  switch (c.kind) {
    case 'ethernet': return `${iface} eth ${bytes} B ${ethernetSummary(c.frame).replace(/^ETH /, '')}`;
    case 'hci': return `HCI ${HCI_TYPES[c.packetType] ?? `type ${c.packetType}`} ${c.packet.length - 1} B`;
    case 'control': return `ctrl ${controlText(c.control)}`;
    case 'ng-command': return `cmd ${c.command.name}${c.command.role === 'response' ? ` ${statusText(c.command)}` : ''}`;
    case 'init': return `INIT ${initSummary(c.init)}`;
    case 'raw': return `${iface} ${bytes} B`;
  }
}

function statusText(c: NgCommand): string {
  return NG_CMD_STATUS[c.status] ?? `status ${c.status}`;
}

function initSummary(i: InitInfo): string {
  const parts = [i.chipName ?? (i.chipId !== undefined ? `chip ${hex(i.chipId, 2)}` : undefined), i.firmware ? `fw ${i.firmware}` : undefined,
    i.spiClockMhz !== undefined ? `${i.spiClockMhz} MHz` : undefined, i.checksumEnabled !== undefined ? `checksum ${i.checksumEnabled ? 'on' : 'off'}` : undefined];
  return parts.filter((p) => p !== undefined).join(', ');
}

const ifaceLabel = (iface: string): string => iface.toUpperCase();

export function summaryLine(r: EspRecord): string {
  switch (r.kind) {
    case 'frame': {
      const d = DIR_TEXT[r.dir];
      const more = (r.header.flags & 0x01) !== 0;
      if (!r.content) {
        const why = r.header.checksumState === 'bad' ? ' (checksum mismatch)' : more ? ' fragment (more follows)' : ' last fragment';
        return `${d} ${ifaceLabel(r.header.iface)} ${r.header.len} B${why}`;
      }
      return `${d} ${contentSummary(r.content, ifaceLabel(r.header.iface), r.header.len)}${linkText(r.link)}`;
    }
    case 'message':
      return `${DIR_TEXT[r.dir]} ${contentSummary(r.content, ifaceLabel(r.iface), r.bytes.length)}${linkText(r.link)} (${r.fragments} fragments)`;
    case 'idle':
      return `${DIR_TEXT[r.dir]} idle${r.throttle ? ` throttle ${THROTTLE_NAMES[r.throttle]}` : ''}`;
    case 'line':
      return `${r.line} ${r.level ? 'high' : 'low'}`;
    case 'anomaly':
      return `ANOMALY ${r.code}: ${r.detail}`;
  }
}

function headerNodes(variant: VariantId, h: EspHeader): DetailNode[] {
  const v = VARIANTS[variant];
  const nodes: DetailNode[] = [
    { label: 'if_type', value: `${h.ifType} (${h.iface})` },
    { label: 'if_num', value: String(h.ifNum) },
    { label: 'flags', value: `${hex(h.flags, 2)}${flagNames(v, h.flags).length ? ` (${flagNames(v, h.flags).join(', ')})` : ''}` },
  ];
  if (h.packetType !== undefined) nodes.push({ label: 'packet_type', value: `${h.packetType} (${NG_PACKET_TYPES[h.packetType] ?? 'unknown'})` });
  nodes.push({ label: 'len', value: String(h.len) }, { label: 'offset', value: String(h.offset) });
  nodes.push({ label: 'checksum', value: `${hex(h.checksum, 4)} (${h.checksumState === 'ok' ? 'good' : h.checksumState === 'unused' ? 'not used' : `bad, computed ${hex(h.computedChecksum, 4)}`})` });
  if (h.seq !== undefined) nodes.push({ label: 'seq_num', value: String(h.seq) });
  if (h.throttle !== undefined) nodes.push({ label: 'throttle_cmd', value: `${h.throttle} (${THROTTLE_NAMES[h.throttle]})` });
  nodes.push({ label: h.iface === 'hci' ? 'hci_pkt_type' : h.iface === 'priv' ? 'priv_pkt_type' : 'reserved3', value: hex(h.pktType, 2) });
  return nodes;
}

function valueText(x: unknown): string {
  if (x instanceof Uint8Array) {
    if (x.length === 6) return macText(x);
    const printable = x.length > 0 && x.every((c) => c >= 0x20 && c < 0x7f);
    return printable ? JSON.stringify(String.fromCharCode(...x)) : [...x].map((c) => c.toString(16).padStart(2, '0')).join(' ');
  }
  return typeof x === 'object' && x !== null ? '' : String(x);
}

function objectNodes(o: unknown): DetailNode[] {
  if (typeof o !== 'object' || o === null || o instanceof Uint8Array) return [];
  return Object.entries(o).map(([k, x]) => {
    if (Array.isArray(x)) return { label: k, value: `${x.length} item(s)`, children: x.map((e, i) => ({ label: `[${i}]`, value: valueText(e), children: objectNodes(e) })) };
    const children = objectNodes(x);
    return children.length > 0 ? { label: k, children } : { label: k, value: valueText(x) };
  });
}

function contentNode(c: EspContent): DetailNode {
  switch (c.kind) {
    case 'ethernet': return { label: 'Ethernet', value: ethernetSummary(c.frame) };
    case 'hci': return { label: 'HCI', value: `${HCI_TYPES[c.packetType] ?? c.packetType}, ${c.packet.length} bytes with the type byte` };
    case 'raw': return { label: 'data', value: `${c.bytes.length} bytes` };
    case 'init': {
      const i = c.init;
      return {
        label: 'INIT', value: initSummary(i), children: [
          ...(i.capabilities !== undefined ? [{ label: 'capabilities', value: `${hex(i.capabilities, 2)} (${i.capabilityNames.join(', ')})` }] : []),
          ...(i.extCapabilities !== undefined ? [{ label: 'extended capabilities', value: `${hex(i.extCapabilities, 8)} (${i.extCapabilityNames.join(', ')})` }] : []),
          ...(i.resetReason !== undefined ? [{ label: 'last reset reason', value: String(i.resetReason) }] : []),
          ...(i.rxQueueSize !== undefined ? [{ label: 'rx queue', value: String(i.rxQueueSize) }] : []),
          ...(i.txQueueSize !== undefined ? [{ label: 'tx queue', value: String(i.txQueueSize) }] : []),
          ...(i.transferSize !== undefined ? [{ label: 'transfer size', value: String(i.transferSize) }] : []),
          ...i.tlvs.map((t) => ({ label: `TLV ${hex(t.tag, 2)} ${t.name}`, value: valueText(t.value) })),
        ],
      };
    }
    case 'ng-command': {
      const m = c.command;
      return {
        label: `command ${m.role}`, value: m.name, children: [
          { label: 'status', value: `${m.status} (${statusText(m)})` }, { label: 'len', value: String(m.len) },
          ...(m.seq !== undefined ? [{ label: 'seq_num', value: String(m.seq) }] : []),
          ...Object.entries(m.fields).map(([k, x]) => ({ label: k, value: String(x) })),
        ],
      };
    }
    case 'control': {
      const m = c.control;
      return {
        label: 'control', value: m.name, children: [
          { label: 'endpoint', value: m.endpoint }, { label: 'msg_type', value: `${m.msgType} (${m.msgTypeName})` },
          { label: 'msg_id', value: `${m.msgId} (${m.name})` }, { label: 'uid', value: String(m.uid) },
          ...(m.payloadType ? [{ label: m.payloadType, children: objectNodes(m.fields) }] : []),
          ...(m.rawFields ? [{ label: 'payload (not in the schema)', children: m.rawFields.map((f) => ({ label: `field ${f.field} (wire type ${f.wireType})`, value: valueText(f.value) })) }] : []),
        ],
      };
    }
  }
}

function linkNode(l: RequestLink | undefined): DetailNode[] {
  if (!l) return [];
  return [{ label: l.role === 'request' ? 'request' : 'response to request', value: `#${l.reqNo}${l.requestTxn !== undefined ? ` (txn ${l.requestTxn})` : ''}` }];
}

export function detailTree(r: EspRecord): DetailNode[] {
  const where: DetailNode[] = [{ label: 'variant', value: VARIANTS[r.variant].title }, ...(r.txn !== undefined ? [{ label: 'transaction', value: String(r.txn) }] : []),
    ...(r.dir ? [{ label: 'direction', value: DIR_TEXT[r.dir] }] : [])];
  switch (r.kind) {
    case 'frame':
      return [...where, { label: 'header', children: headerNodes(r.variant, r.header) }, ...(r.content ? [contentNode(r.content)] : []), ...linkNode(r.link)];
    case 'message':
      return [...where, { label: 'fragments', value: `${r.fragments} (txns ${r.txns.join(', ')})` }, contentNode(r.content), ...linkNode(r.link)];
    case 'idle':
      return [...where, { label: 'idle', value: r.shape }, { label: 'flags', value: hex(r.flags, 2) }, ...(r.throttle !== undefined ? [{ label: 'throttle_cmd', value: THROTTLE_NAMES[r.throttle] }] : [])];
    case 'line':
      return [...where, { label: r.line, value: r.level ? 'high' : 'low' }];
    case 'anomaly':
      return [...where, { label: 'anomaly', value: r.code }, { label: 'detail', value: r.detail }, ...(r.offset !== undefined ? [{ label: 'byte offset', value: String(r.offset) }] : []),
        ...(r.count !== undefined ? [{ label: 'count', value: String(r.count) }] : [])];
  }
}

export function headerFieldMap(variant: VariantId): FieldRange[] {
  const L = VARIANTS[variant].layout;
  const f: FieldRange[] = [
    { start: 0, end: 1, name: 'if_type:4 / if_num:4' }, { start: L.flags, end: L.flags + 1, name: 'flags' },
    { start: L.len, end: L.len + 2, name: 'len' }, { start: L.offset, end: L.offset + 2, name: 'offset' },
    { start: L.checksum, end: L.checksum + 2, name: 'checksum' },
  ];
  if (L.seq !== undefined) f.push({ start: L.seq, end: L.seq + 2, name: 'seq_num' });
  if (L.packetType !== undefined) f.push({ start: L.packetType, end: L.packetType + 1, name: 'packet_type' }, { start: 3, end: 4, name: 'reserved1' });
  f.push({ start: 10, end: 11, name: L.throttle !== undefined ? 'throttle_cmd:2 / reserved2:6' : 'reserved2' });
  f.push({ start: L.pktType, end: 12, name: 'hci_pkt_type / priv_pkt_type' });
  return f.sort((a, b) => a.start - b.start);
}
