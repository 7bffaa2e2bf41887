"""Words for what the link carried, as buddyshark's tables word them (src/records/describe.ts), for
the annotations of the sigrok decoder and the bubbles of the Saleae analyzer: flag names, field
values, one line per message and per frame.

    message_text(frame, metas) -> 'control scan #2 active=true'
    frame_text(frame)          -> 'idle seq 5 ack 3 credit 8 epoch 7 [ack]'
"""

import binascii
import json
import math

from .cbor import UNDEFINED
from .ethernet import mac_text, summary as ethernet_summary
from .link import Anomaly, Frame, channel_name
from .messages import Message
from .tables import CHANNEL, FLAG, TRACE_LEVELS

_FLAG_WORDS = (('more', 'more'), ('pending', 'pending'), ('ackValid', 'ack'), ('cont', 'cont'))


def hex_text(b):
    """Bytes as lower-case hex (bytes.hex() is newer than the oldest Python libsigrokdecode embeds)."""
    return binascii.hexlify(bytes(b)).decode('ascii')


def flag_text(flags):
    return ','.join(word for name, word in _FLAG_WORDS if flags & FLAG[name]) or '-'


def json_value(v):
    """The JSON form buddyshark gives a decoded value: bytes as hex, NaN as null."""
    if v is None or v is UNDEFINED:
        return None
    if isinstance(v, bytes):
        return hex_text(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, (bool, int, float, str)):
        return v
    if isinstance(v, list):
        return [json_value(x) for x in v]
    if isinstance(v, dict):
        return {k: json_value(x) for k, x in v.items() if x is not UNDEFINED}
    return str(v)


def value_text(v):
    if isinstance(v, bytes):
        return mac_text(v) if len(v) == 6 else hex_text(v)
    return json.dumps(json_value(v), ensure_ascii=False, separators=(',', ':'))


def body_text(body):
    if not isinstance(body, dict):
        return ''
    return ' '.join('%s=%s' % (k, value_text(v)) for k, v in body.items() if v is not UNDEFINED)


class TraceMetas:
    """Trace callsites by id, from the register_meta events seen so far; the buddy numbers them
    per boot, so a reset clears them."""

    def __init__(self):
        self.metas = {}

    def observe(self, frame):
        d = frame.decoded
        if isinstance(d, Message) and d.kind == 'trace' and d.name == 'register_meta':
            self.metas[str(d.body['id'])] = d.body

    def follow(self, events):
        """Learns from one transaction's link events: a buddy reset forgets every callsite."""
        for e in events:
            if isinstance(e, Anomaly) and e.code == 'buddy-reset':
                self.metas = {}
            elif isinstance(e, Frame):
                self.observe(e)

    def get(self, key):
        return self.metas.get(str(key))


def trace_text(m, metas=None):
    b = m.body
    if m.name is None:
        return 'TRACE unknown variant %d' % m.code
    if m.name == 'event':
        meta = metas.get(b['meta']) if metas else None
        level = TRACE_LEVELS[int(meta['level'])] if meta else 'EVENT'
        target = meta['target'] if meta else 'meta#%s' % b['meta']
        fields = b['fields']
        msg = fields.get('message')
        rest = body_text({k: v for k, v in fields.items() if k != 'message'})
        return ('TRACE %s %s: %s%s' % (level, target, msg if isinstance(msg, str) else '', ' ' + rest if rest else '')).rstrip()
    if m.name == 'register_meta':
        return 'TRACE register %s #%s %s::%s' % (b['kind'], b['id'], b['target'], b['name'])
    if m.name == 'new_span':
        meta = metas.get(b['meta']) if metas else None
        name = meta['name'] if meta else 'meta#%s' % b['meta']
        return ('TRACE span #%s %s %s' % (b['id'], name, body_text(b['fields']))).rstrip()
    if m.name == 'discarded':
        return 'TRACE discarded %s' % body_text(b)
    if m.name == 'heartbeat':
        level = b.get('max_level')
        return 'TRACE heartbeat max_level=%s' % ('off' if level is None or level is UNDEFINED else TRACE_LEVELS[int(level)])
    return 'TRACE %s #%s' % (m.name, b['id'])


def control_fields(m):
    """The body of a control message in one line ('k=v ...'; a scan result as its APs)."""
    b = m.body
    if m.name == 'scan_result':
        return '%d APs: %s' % (len(b['aps']), ' '.join('%s(%d)' % (ap['ssid'], ap['rssi']) for ap in b['aps']))
    return body_text(b)


def control_text(m):
    """'<name> #<id> k=v ...'; the id is shown for events (0) too, so a row reads uniformly."""
    if m.name is None:
        return 'unknown 0x%02x #%d' % (m.code, m.id)
    body = control_fields(m)
    return '%s #%d%s' % (m.name, m.id, ' ' + body if body else '')


def message_name(frame):
    """A short name for the message a frame completes: 'scan', 'trace event', 'ethernet'..."""
    d = frame.decoded
    chan = frame.header.channel
    if isinstance(d, Message):
        if d.kind == 'control':
            return d.name or 'unknown 0x%02x' % d.code
        return 'trace %s' % (d.name or 'variant %d' % d.code)
    return channel_name(chan)


def message_text(frame, metas=None):
    """One line for the message a frame completes, led by its channel and, for control and trace,
    its name: 'control scan #2 active=true', 'trace event: INFO buddy::wifi: scanning',
    'ethernet ETH ARP who-has 10.0.0.1 tell 10.0.0.2', 'bleHci 01 03 0c 00', 'reserved-7 4 bytes'."""
    d = frame.decoded
    chan = frame.header.channel
    if isinstance(d, Message) and d.kind == 'control':
        return 'control %s' % control_text(d)
    if isinstance(d, Message):
        text = trace_text(d, metas)
        return 'trace %s: %s' % (d.name or 'unknown', text[len('TRACE '):] if text.startswith('TRACE ') else text)
    if d is not None:
        return '%s message, %s: %s' % (channel_name(chan), d.code, d.detail)
    if chan == CHANNEL['ethernet']:
        return 'ethernet %s' % ethernet_summary(frame.message)
    if chan == CHANNEL['bleHci']:
        head = ' '.join('%02x' % x for x in frame.message[:8])
        return 'bleHci %s%s' % (head, ' ...' if len(frame.message) > 8 else '')
    return '%s %d bytes' % (channel_name(chan), len(frame.message))


def frame_text(frame):
    """The header in one line: 'idle seq 3 ack 5 credit 8 epoch 7 [ack]', or for a frame that
    completes no message 'control frame seq 7 ack 4 len 96 credit 4 epoch 7 [more,ack]'."""
    h = frame.header
    if h.idle:
        return 'idle seq %d ack %d credit %d epoch %d [%s]' % (h.seq, h.ack, h.credit, h.epoch, flag_text(h.flags))
    return '%s frame seq %d ack %d len %d credit %d epoch %d [%s]' % (channel_name(h.channel), h.seq, h.ack, h.length, h.credit, h.epoch, flag_text(h.flags))


def fragment_text(frame):
    """How a frame took part in reassembly, or None when it was a message of its own."""
    f = frame.fragment
    if f is None:
        return None
    if f.kind == 'pending':
        return 'fragment %d of a %s message (%d bytes so far)' % (f.fragments, channel_name(f.channel), f.size)
    if f.kind == 'complete' and f.fragments > 1:
        return 'reassembled from %d fragments: %d bytes' % (f.fragments, f.size)
    return None
