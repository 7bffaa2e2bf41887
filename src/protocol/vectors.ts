/**
 * The protocol's test vectors, as data: each is one frame's bytes (lower-case hex, frozen literals
 * written once by the encoder) and what a decoder must make of them. They are normative: an encoder
 * change that alters any byte breaks test/protocol/vectors.test.ts, on purpose.
 *
 * The vectors follow one session: the CPU polls (idle, epoch 0), the buddy announces itself
 * (boot, epoch 7), hello/ok, scan/scan_result, connect/connected, link_up, traffic, heartbeats,
 * trace, BLE HCI, and one frame on a reserved channel. Sequence numbers count per direction.
 *
 * `formatVector(v)` prints one vector as an annotated hex dump (dump.ts), for
 * `buddyshark protocol vectors` and scripts/doc-vectors.ts; the caller prints name and description:
 *
 *   offset  bytes                                            field
 *   0000    b5                                               sync     0xb5
 *   ...
 *   decoded: control ok id 1 {}
 */
import { fromHex } from './bytes.ts';
import { Flag } from './constants.ts';
import { describeValue, formatFrameDump } from './dump.ts';
import type { FrameHeader } from './frame.ts';
import type { DecodedMessage } from './message.ts';

export type VectorDirection = 'cpu-to-buddy' | 'buddy-to-cpu';

/** What the payload decodes to, by channel: control and trace as `decodeMessage` gives them. */
export type VectorMessage =
  | { readonly kind: 'idle' }
  | DecodedMessage
  /** Ethernet, BLE HCI and reserved channels: the payload is carried as is. */
  | { readonly kind: 'raw'; readonly bytes: Uint8Array }
  /**
   * One fragment of a longer message (index from 0). The last fragment of a group also carries the
   * reassembled message in `completes`.
   */
  | { readonly kind: 'fragment'; readonly group: string; readonly index: number; readonly bytes: Uint8Array; readonly completes?: DecodedMessage };

export interface ProtocolVector {
  readonly name: string;
  readonly description: string;
  readonly direction: VectorDirection;
  /** The whole frame, lower-case hex without separators. */
  readonly hex: string;
  readonly expected: { readonly header: FrameHeader; readonly message: VectorMessage };
}

function bytes(hex: string): Uint8Array {
  const b = fromHex(hex);
  if (!b) throw new Error(`bad hex literal in vectors.ts: ${hex}`);
  return b;
}

function header(channel: number, flags: number, seq: number, ack: number, length: number, credit: number, epoch: number): FrameHeader {
  return { version: 1, channel, flags, seq, ack, length, credit, epoch };
}

const A = Flag.ackValid;
const M = Flag.more;
const C = Flag.cont;

const BUDDY_MAC = bytes('240ac4123456');
const LAB_BSSID = bytes('a42bb0112233');
const GUEST_BSSID = bytes('a42bb0112299');
const SCAN_APS = [
  { ssid: 'mnemos-lab', bssid: LAB_BSSID, channel: 6, rssi: -48, security: 'wpa2' },
  { ssid: 'beepy-guest', bssid: GUEST_BSSID, channel: 11, rssi: -71, security: 'open' },
];
/** A 42-byte ARP request: 02:00:00:00:00:01 (10.0.0.2) asks who has 10.0.0.1. */
const ARP_REQUEST = bytes(
  'ffffffffffff' + '020000000001' + '0806' + // Ethernet: broadcast dst, src, ethertype ARP
    '0001' + '0800' + '06' + '04' + '0001' + // ARP: Ethernet/IPv4, hlen 6, plen 4, request
    '020000000001' + '0a000002' + '000000000000' + '0a000001', // sender MAC/IP, target MAC/IP
);

export const VECTORS: readonly ProtocolVector[] = [
  {
    name: 'idle-cpu',
    description: 'An idle frame from the CPU before hello: no epoch yet (0), nothing to ack, no credit. 16 bytes.',
    direction: 'cpu-to-buddy',
    hex: 'b50100000000000000000000c16e93aa',
    expected: { header: header(0, 0, 0, 0, 0, 0, 0), message: { kind: 'idle' } },
  },
  {
    name: 'boot',
    description: "The buddy's boot event (id 0), its first frame after power-on: epoch 7, capabilities, limits.",
    direction: 'buddy-to-cpu',
    hex:
      'b5010100000000008c000407798b432483185000aa6870726f746f636f6c0165' +
      '65706f6368076a66775f76657273696f6e65302e312e30636d616346240ac412' +
      '3456636d74751905dc696d61785f6672616d651906006c6d61785f7265717565' +
      '73747304666372656469740464636170738368776966692d7374616574726163' +
      '65646563686f6c72657365745f726561736f6e68706f7765722d6f6e85fa7962',
    expected: {
      header: header(1, 0, 0, 0, 140, 4, 7),
      message: {
        kind: 'control',
        msg: {
          type: 'boot', id: 0,
          body: {
            protocol: 1, epoch: 7, fw_version: '0.1.0', mac: BUDDY_MAC, mtu: 1500, max_frame: 1536, max_requests: 4,
            credit: 4, caps: ['wifi-sta', 'trace', 'echo'], reset_reason: 'power-on',
          },
        },
      },
    },
  },
  {
    name: 'hello',
    description: "The CPU's hello (request id 1), synced to epoch 7, acking the boot frame (seq 0), granting credit 8.",
    direction: 'cpu-to-buddy',
    hex:
      'b50101040000000042000807620c15e2830101a66870726f746f636f6c016565' +
      '706f636807696d61785f6672616d6519060066637265646974086b7472616365' +
      '5f6c6576656c0264686f737465626565707969e21d2d',
    expected: {
      header: header(1, A, 0, 0, 66, 8, 7),
      message: {
        kind: 'control',
        msg: { type: 'hello', id: 1, body: { protocol: 1, epoch: 7, max_frame: 1536, credit: 8, trace_level: 2, host: 'beepy' } },
      },
    },
  },
  {
    name: 'idle-buddy',
    description: 'An idle frame from the buddy: carries its next seq (1), acks the hello (seq 0), credit 4, epoch 7.',
    direction: 'buddy-to-cpu',
    hex: 'b50100040100000000000407e2d420a7',
    expected: { header: header(0, A, 1, 0, 0, 4, 7), message: { kind: 'idle' } },
  },
  {
    name: 'ok',
    description: 'The reply to hello: ok with request id 1.',
    direction: 'buddy-to-cpu',
    hex: 'b501010401000000050004070c3411ca83184001a0d872d8f4',
    expected: { header: header(1, A, 1, 0, 5, 4, 7), message: { kind: 'control', msg: { type: 'ok', id: 1, body: {} } } },
  },
  {
    name: 'scan',
    description: 'An active scan request, id 2.',
    direction: 'cpu-to-buddy',
    hex: 'b5010104010001000c0008072f34bedd830202a166616374697665f5f0e76164',
    expected: { header: header(1, A, 1, 1, 12, 8, 7), message: { kind: 'control', msg: { type: 'scan', id: 2, body: { active: true } } } },
  },
  {
    name: 'scan-result',
    description: 'The scan result for id 2: two access points.',
    direction: 'buddy-to-cpu',
    hex:
      'b501010402000100830004073103806883184102a16361707382a56473736964' +
      '6a6d6e656d6f732d6c616265627373696446a42bb0112233676368616e6e656c' +
      '066472737369382f6873656375726974796477706132a564737369646b626565' +
      '70792d677565737465627373696446a42bb0112299676368616e6e656c0b6472' +
      '7373693846687365637572697479646f70656e2ef8cd8f',
    expected: {
      header: header(1, A, 2, 1, 131, 4, 7),
      message: { kind: 'control', msg: { type: 'scan_result', id: 2, body: { aps: SCAN_APS } } },
    },
  },
  {
    name: 'connect',
    description: 'A connect request, id 3, to a WPA2 network with a passphrase.',
    direction: 'cpu-to-buddy',
    hex:
      'b5010104020002003500080774140627830303a264737369646a6d6e656d6f73' +
      '2d6c61626a7061737370687261736575636f727265637420686f727365206261' +
      '74746572794b8cd674',
    expected: {
      header: header(1, A, 2, 2, 53, 8, 7),
      message: { kind: 'control', msg: { type: 'connect', id: 3, body: { ssid: 'mnemos-lab', passphrase: 'correct horse battery' } } },
    },
  },
  {
    name: 'connected',
    description: 'The reply to connect id 3: associated, with the BSSID, channel and signal.',
    direction: 'buddy-to-cpu',
    hex:
      'b50101040300020032000407fd73a4a483184203a464737369646a6d6e656d6f' +
      '732d6c616265627373696446a42bb0112233676368616e6e656c066472737369' +
      '382ffc615359',
    expected: {
      header: header(1, A, 3, 2, 50, 4, 7),
      message: { kind: 'control', msg: { type: 'connected', id: 3, body: { ssid: 'mnemos-lab', bssid: LAB_BSSID, channel: 6, rssi: -48 } } },
    },
  },
  {
    name: 'link-up',
    description: 'The link_up event (id 0) that follows a successful connect.',
    direction: 'buddy-to-cpu',
    hex:
      'b50101040400020032000407f976fd5e83185100a464737369646a6d6e656d6f' +
      '732d6c616265627373696446a42bb0112233676368616e6e656c066472737369' +
      '382fa5e94d6b',
    expected: {
      header: header(1, A, 4, 2, 50, 4, 7),
      message: { kind: 'control', msg: { type: 'link_up', id: 0, body: { ssid: 'mnemos-lab', bssid: LAB_BSSID, channel: 6, rssi: -48 } } },
    },
  },
  {
    name: 'error-auth-failed',
    description: 'An error reply (id 4) to a later connect with a wrong passphrase: code auth-failed.',
    direction: 'buddy-to-cpu',
    hex:
      'b50101040500030032000407c760f1f883184f04a264636f64656b617574682d' +
      '6661696c6564647465787476342d7761792068616e647368616b65206661696c' +
      '65646e09dcda',
    expected: {
      header: header(1, A, 5, 3, 50, 4, 7),
      message: { kind: 'control', msg: { type: 'error', id: 4, body: { code: 'auth-failed', text: '4-way handshake failed' } } },
    },
  },
  {
    name: 'heartbeat',
    description: 'The heartbeat event of an idle, connected buddy (once a second).',
    direction: 'buddy-to-cpu',
    hex:
      'b5010104060003004c0004076b6c538483185300a669757074696d655f6d7319' +
      'ef3265737461746569636f6e6e6563746564647273736938316874785f717565' +
      '7565006872785f7175657565016d74726163655f64726f7070656400bb5e6784',
    expected: {
      header: header(1, A, 6, 3, 76, 4, 7),
      message: {
        kind: 'control',
        msg: { type: 'heartbeat', id: 0, body: { uptime_ms: 61234, state: 'connected', rssi: -50, tx_queue: 0, rx_queue: 1, trace_dropped: 0 } },
      },
    },
  },
  {
    name: 'ethernet-arp',
    description: 'An Ethernet frame from the CPU: a 42-byte ARP request from 02:00:00:00:00:01 (10.0.0.2) for 10.0.0.1.',
    direction: 'cpu-to-buddy',
    hex:
      'b5010204030006002a0008072bcef982ffffffffffff02000000000108060001' +
      '0800060400010200000000010a0000020000000000000a000001604096b8',
    expected: { header: header(2, A, 3, 6, 42, 8, 7), message: { kind: 'raw', bytes: ARP_REQUEST } },
  },
  {
    name: 'scan-result-fragment-0',
    description: 'First of two fragments of a 131-byte scan_result (id 5) on a link whose CPU accepts 96-byte payloads: flag more.',
    direction: 'buddy-to-cpu',
    hex:
      'b50101050700040060000407377d5be583184105a16361707382a56473736964' +
      '6a6d6e656d6f732d6c616265627373696446a42bb0112233676368616e6e656c' +
      '066472737369382f6873656375726974796477706132a564737369646b626565' +
      '70792d677565737465627373696446a43a8b1588',
    expected: {
      header: header(1, A | M, 7, 4, 96, 4, 7),
      message: {
        kind: 'fragment', group: 'scan-result-5', index: 0,
        bytes: bytes(
          '83184105a16361707382a564737369646a6d6e656d6f732d6c61626562737369' +
          '6446a42bb0112233676368616e6e656c066472737369382f6873656375726974' +
          '796477706132a564737369646b62656570792d677565737465627373696446a4',
        ),
      },
    },
  },
  {
    name: 'scan-result-fragment-1',
    description: 'Second and last fragment (next seq, same channel, flag cont, no more); the two payloads concatenated decode as the scan_result.',
    direction: 'buddy-to-cpu',
    hex:
      'b501010c0800040023000407e88ef0d82bb0112299676368616e6e656c0b6472' +
      '7373693846687365637572697479646f70656e0e2174d4',
    expected: {
      header: header(1, A | C, 8, 4, 35, 4, 7),
      message: {
        kind: 'fragment', group: 'scan-result-5', index: 1, bytes: bytes('2bb0112299676368616e6e656c0b64727373693846687365637572697479646f70656e'),
        completes: { kind: 'control', msg: { type: 'scan_result', id: 5, body: { aps: SCAN_APS } } },
      },
    },
  },
  {
    name: 'trace-register-meta',
    description: 'Trace register_meta (variant 1): metadata id 1 for an INFO event with three fields.',
    direction: 'buddy-to-cpu',
    hex:
      'b50103040900040078000407e6845b6c8201a862696401646e616d6574657665' +
      '6e74207372632f776966692e72733a3432667461726765746b62756464793a3a' +
      '77696669656c6576656c02646b696e64656576656e746466696c656b7372632f' +
      '776966692e7273646c696e65182a666669656c647383676d6573736167656473' +
      '73696464727373690370ba61',
    expected: {
      header: header(3, A, 9, 4, 120, 4, 7),
      message: {
        kind: 'trace',
        event: {
          type: 'register_meta',
          body: {
            id: 1, name: 'event src/wifi.rs:42', target: 'buddy::wifi', level: 2, kind: 'event', file: 'src/wifi.rs', line: 42,
            fields: ['message', 'ssid', 'rssi'],
          },
        },
      },
    },
  },
  {
    name: 'trace-event',
    description: 'Trace event (variant 2) of metadata 1 with a text, a string and a signed integer field.',
    direction: 'buddy-to-cpu',
    hex:
      'b50103040a0004003b00040751d59b7e8202a2646d65746101666669656c6473' +
      'a3676d6573736167656a6173736f63696174656464737369646a6d6e656d6f73' +
      '2d6c61626472737369382f5ba44a2f',
    expected: {
      header: header(3, A, 10, 4, 59, 4, 7),
      message: { kind: 'trace', event: { type: 'event', body: { meta: 1, fields: { message: 'associated', ssid: 'mnemos-lab', rssi: -48 } } } },
    },
  },
  {
    name: 'trace-discarded',
    description: 'Trace discarded (variant 8): what the buddy dropped because the link was busy.',
    direction: 'buddy-to-cpu',
    hex:
      'b50103040b0004002c00040781a1c3c78208a4696e65775f7370616e73006d73' +
      '70616e5f616374697669747902666576656e747311656d65746173003537554e',
    expected: {
      header: header(3, A, 11, 4, 44, 4, 7),
      message: { kind: 'trace', event: { type: 'discarded', body: { new_spans: 0, span_activity: 2, events: 17, metas: 0 } } },
    },
  },
  {
    name: 'ble-hci-reset',
    description: 'A BLE HCI frame from the CPU: H4 packet type 01 (command), HCI_Reset (opcode 0x0c03), no parameters.',
    direction: 'cpu-to-buddy',
    hex: 'b501040404000b00040008077d1e6a1001030c00257add68',
    expected: { header: header(4, A, 4, 11, 4, 8, 7), message: { kind: 'raw', bytes: bytes('01030c00') } },
  },
  {
    name: 'reserved-channel',
    description: 'A frame on reserved channel 7: decoders keep the payload raw and do not treat it as an error.',
    direction: 'buddy-to-cpu',
    hex: 'b50107040c000400040004076fa6963fdeadbeefc38e9335',
    expected: { header: header(7, A, 12, 4, 4, 4, 7), message: { kind: 'raw', bytes: bytes('deadbeef') } },
  },
];

export function findVector(name: string): ProtocolVector | undefined {
  return VECTORS.find((v) => v.name === name);
}

/**
 * One vector as an annotated hex dump: the frame field by field, then what it decodes to. The name
 * and description are left to the caller (the CLI prints them in bold above).
 */
export function formatVector(v: ProtocolVector): string {
  const frame = fromHex(v.hex);
  if (!frame) return '(not hex)';
  return [...formatFrameDump(frame), `decoded: ${describeMessage(v.expected.message)}`].join('\n');
}

/** A one-line rendering of a vector's message: JSON-like, byte strings as h'..', bigints with n. */
export function describeMessage(m: VectorMessage): string {
  switch (m.kind) {
    case 'idle':
      return 'idle';
    case 'control':
    case 'trace':
      return describeDecoded(m);
    case 'raw':
      return `${m.bytes.length} raw bytes`;
    case 'fragment':
      return `fragment ${m.index} of ${m.group}, ${m.bytes.length} bytes` + (m.completes ? `; completes ${describeDecoded(m.completes)}` : '');
  }
}

function describeDecoded(m: DecodedMessage): string {
  if (m.kind === 'control') {
    const c = m.msg;
    const what = c.type === 'unknown' ? `unknown code 0x${c.code.toString(16).padStart(2, '0')}` : c.type;
    return `control ${what} id ${c.id} ${describeValue(c.body)}`;
  }
  const t = m.event;
  return `trace ${t.type === 'unknown' ? `unknown variant ${t.variant}` : t.type} ${describeValue(t.body)}`;
}
