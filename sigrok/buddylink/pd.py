##
## buddyshark: the buddy link protocol decoder for libsigrokdecode (API version 3).
## The link rules, CRC-32C, CBOR and code tables are the shared core in buddylink_core/, which the
## Saleae Logic 2 analyzer uses too; this module only speaks to libsigrokdecode.
##

import sigrokdecode as srd

from .annotations import ANNOTATION_ROWS, ANNOTATIONS, ANN, transaction_marks
from .buddylink_core import LinkDecoder
from .buddylink_core.describe import TraceMetas
from .buddylink_core.link import BUDDY, CPU, Anomaly, Frame, channel_name
from .buddylink_core.messages import Message
from .buddylink_core.tables import CHANNEL, CHANNELS
from . import pcap

'''
OUTPUT_PYTHON format, for decoders stacked on this one:

Packet:
[<ptype>, <direction>, <data>]

<direction> is 'cpu-to-buddy' (MOSI) or 'buddy-to-cpu' (MISO), or None for an anomaly of the
whole transaction (a CS# pulse with no clock).

<ptype>:
 - 'FRAME': an intact link frame (idle frames included). <data> is a dict: txn (transaction index,
   from 0), channel, channel_name, flags, seq, ack, length, credit, epoch, payload (bytes), stale
   (True for a CPU frame with a stale epoch, which the buddy drops).
 - 'MESSAGE': the message a frame completes (reassembled when fragmented). <data> is a dict: txn,
   channel, kind ('control', 'trace', 'ethernet', 'bleHci' or 'reserved'), name (control type or
   trace event name; None when the code is unknown), code (control type code or trace variant),
   id (control request id), body (the decoded CBOR body), bytes (the whole message), fragments.
 - 'ANOMALY': <data> is a dict: code (buddyshark's anomaly code: payload-crc, lost-frames,
   buddy-reset, ...), txn, detail, offset (byte in the direction's transaction bytes) and count
   (frames lost), each None when not applicable.

Each packet spans the transaction (CS# assertion to release) that carried it.
'''


class Decoder(srd.Decoder):
    api_version = 3
    id = 'buddylink'
    name = 'Buddy link'
    longname = 'MnemOS WiFi Buddy link'
    desc = 'Frames, messages and link checks between MnemOS and its ESP32-C3 WiFi Buddy.'
    license = 'mit'
    inputs = ['spi']
    outputs = ['buddylink']
    tags = ['Embedded/industrial', 'Networking']
    annotations = ANNOTATIONS
    annotation_rows = ANNOTATION_ROWS
    binary = (
        ('pcap', 'Ethernet frames (pcap, LINKTYPE_ETHERNET)'),
    )

    def __init__(self):
        self.reset()

    def reset(self):
        self.link = LinkDecoder()
        self.metas = TraceMetas()
        self.txn = 0
        self.samplerate = None
        self.wrote_pcap_header = False
        self.warned_no_cs = False

    def start(self):
        self.out_ann = self.register(srd.OUTPUT_ANN)
        self.out_python = self.register(srd.OUTPUT_PYTHON)
        self.out_binary = self.register(srd.OUTPUT_BINARY)

    def metadata(self, key, value):
        if key == srd.SRD_CONF_SAMPLERATE:
            self.samplerate = value

    def decode(self, ss, es, data):
        ptype, data1, data2 = data
        if ptype == 'CS-CHANGE' and data1 is None and data2 is None and not self.warned_no_cs:
            self.warned_no_cs = True
            self.put(ss, es, self.out_ann, [ANN['warning'], ['No CS# channel: the buddy link is framed by CS#, give the spi decoder cs=', 'No CS#']])
        elif ptype == 'TRANSFER':
            self.transfer(ss, es, data1, data2)

    def transfer(self, ss, es, mosi, miso):
        if not mosi and not miso:
            # CS# asserted with no clock: not a transaction (buddyshark's cs-glitch).
            self.put(ss, es, self.out_ann, [ANN['warning'], ['cs-glitch: CS# active with no clock: not a transaction', 'cs-glitch', '!']])
            self.put(ss, es, self.out_python, ['ANOMALY', None, {'code': 'cs-glitch', 'txn': None, 'detail': 'CS# active with no clock', 'offset': None, 'count': None}])
            return
        lanes = {CPU: mosi, BUDDY: miso}
        data = {CPU: bytes(d.val for d in mosi), BUDDY: bytes(d.val for d in miso)}
        result = self.link.transaction(self.txn, data[CPU], data[BUDDY])
        self.txn += 1

        def span(where):
            if where is None:
                return ss, es
            direction, first, end = where
            lane = lanes[direction] or lanes[CPU] or lanes[BUDDY]
            first = min(first, len(lane) - 1)
            end = max(first + 1, min(end, len(lane)))
            return lane[first].ss, lane[end - 1].es

        for mark in transaction_marks(result, data, self.metas):
            a, b = span(mark.where)
            self.put(a, b, self.out_ann, [mark.cls, mark.texts])
        for e in result.events:
            self.python_output(ss, es, e)

    def python_output(self, ss, es, e):
        if isinstance(e, Anomaly):
            self.put(ss, es, self.out_python, ['ANOMALY', e.direction, {'code': e.code, 'txn': e.txn, 'detail': e.detail, 'offset': e.offset, 'count': e.count}])
            return
        if not isinstance(e, Frame):
            return
        h = e.header
        self.put(ss, es, self.out_python, ['FRAME', e.direction, {
            'txn': e.txn, 'channel': h.channel, 'channel_name': channel_name(h.channel), 'flags': h.flags, 'seq': h.seq, 'ack': h.ack,
            'length': h.length, 'credit': h.credit, 'epoch': h.epoch, 'payload': e.payload, 'stale': e.stale,
        }])
        if e.message is None:
            return
        d = e.decoded if isinstance(e.decoded, Message) else None
        self.put(ss, es, self.out_python, ['MESSAGE', e.direction, {
            'txn': e.txn, 'channel': h.channel, 'kind': d.kind if d else CHANNELS.get(h.channel, 'reserved'), 'name': d.name if d else None,
            'code': d.code if d else None, 'id': d.id if d else None, 'body': d.body if d else None,
            'bytes': e.message, 'fragments': e.fragments,
        }])
        if h.channel == CHANNEL['ethernet']:
            self.pcap_output(ss, es, e.message)

    def pcap_output(self, ss, es, frame):
        if not self.wrote_pcap_header:
            self.put(0, 0, self.out_binary, [0, pcap.global_header()])
            self.wrote_pcap_header = True
        ns = int(ss * 1000000000 // self.samplerate) if self.samplerate else 0
        self.put(ss, es, self.out_binary, [0, pcap.record(ns, frame)])
