"""The bubbles the Logic 2 analyzer shows for one SPI transaction, and where they sit.

Per direction (CPU to buddy, then buddy to CPU): a 'frame' bubble with the header (seq, ack, len,
credit, epoch, flags, CRC result), a bubble for the message the frame completes ('control',
'trace', 'ethernet', 'ble', 'raw', or 'invalid' when it fails its checks), then an 'anomaly' bubble
for each anomaly of that direction. Both directions' frames cross the wire at the same time, so
the bubbles of a transaction are laid side by side across its bytes, in that order, never
overlapping: the first bubble starts at the transaction's first byte, the last ends with its last.

    bubbles = transaction_bubbles(result, metas, show)
    placed = place(bubbles, slots)   # [(bubble, first slot, last slot)]
"""

from buddylink_core.describe import control_fields, flag_text, fragment_text, hex_text, trace_text
from buddylink_core.ethernet import summary as ethernet_summary
from buddylink_core.link import BUDDY, CPU, Anomaly, Frame, channel_name
from buddylink_core.messages import Message, MessageError
from buddylink_core.tables import CHANNEL

ARROW = {CPU: 'CPU→buddy', BUDDY: 'buddy→CPU'}


class Show:
    """What the user asked to see: directions (a set), idle frames, trace, frame headers."""

    def __init__(self, directions=(CPU, BUDDY), idle=False, trace=True, frames=True):
        self.directions = set(directions)
        self.idle = idle
        self.trace = trace
        self.frames = frames


class Bubble:
    def __init__(self, kind, data):
        self.kind = kind
        self.data = data


def _check(parsed):
    if parsed.payload is not None:
        return 'ok'
    return 'payload CRC bad' if parsed.error and parsed.error.code == 'payload-crc' else 'cut short'


def _frame_bubble(txn, direction, parsed, fragment):
    h = parsed.header
    return Bubble('frame', {
        'dir': ARROW[direction], 'txn': txn, 'channel': 'idle' if h.idle else channel_name(h.channel), 'seq': h.seq, 'ack': h.ack,
        'len': h.length, 'credit': h.credit, 'epoch': h.epoch, 'flags': flag_text(h.flags), 'check': _check(parsed),
        'fragment': fragment or '',
    })


def _message_bubble(e, metas):
    base = {'dir': ARROW[e.direction], 'txn': e.txn}
    d = e.decoded
    chan = e.header.channel
    if isinstance(d, Message) and d.kind == 'control':
        name = d.name or 'unknown 0x%02x' % d.code
        return Bubble('control', dict(base, name=name, id=d.id, fields=control_fields(d) if d.name else '', fragments=e.fragments))
    if isinstance(d, Message):
        text = trace_text(d, metas)
        return Bubble('trace', dict(base, name=d.name or 'variant %d' % d.code, summary=text[len('TRACE '):] if text.startswith('TRACE ') else text))
    if isinstance(d, MessageError):
        return Bubble('invalid', dict(base, channel=channel_name(chan), error='%s: %s' % (d.code, d.detail)))
    data = dict(base, len=len(e.message), bytes=hex_text(e.message))
    if chan == CHANNEL['ethernet']:
        return Bubble('ethernet', dict(data, summary=ethernet_summary(e.message)))
    if chan == CHANNEL['bleHci']:
        return Bubble('ble', dict(data, summary='H4 type 0x%02x' % e.message[0] if e.message else 'empty'))
    return Bubble('raw', dict(data, channel=channel_name(chan)))


def _shown(show, direction, header):
    if direction not in show.directions:
        return False
    if header.idle:
        return show.idle
    return show.trace or header.channel != CHANNEL['trace']


def transaction_bubbles(result, metas, show):
    """The bubbles of one LinkDecoder.transaction() result, in display order. `metas`
    (describe.TraceMetas) names trace callsites and learns from this transaction."""
    # Callsite names follow the capture, whatever is shown.
    metas.follow(result.events)
    out = []
    for direction in (CPU, BUDDY):
        if direction not in show.directions:
            continue
        parsed = result.parsed[direction]
        frames = [e for e in result.events if isinstance(e, Frame) and e.direction == direction]
        if parsed.header and show.frames and _shown(show, direction, parsed.header):
            out.append(_frame_bubble(result.txn, direction, parsed, fragment_text(frames[0]) if frames else None))
        for e in result.events:
            if isinstance(e, Anomaly) and e.direction == direction:
                out.append(Bubble('anomaly', {'code': e.code, 'detail': e.detail, 'dir': ARROW[direction], 'txn': e.txn}))
            elif isinstance(e, Frame) and e.direction == direction and e.message is not None and _shown(show, direction, e.header):
                out.append(_message_bubble(e, metas))
    return out


def place(bubbles, slots):
    """Each bubble with the first and last of `slots` (a transaction's byte positions, in order)
    it spans: consecutive, equal shares. A transaction with fewer bytes than bubbles gives the
    extra ones its last byte (only a broken transaction is that short)."""
    n, k = len(slots), len(bubbles)
    out = []
    for i, b in enumerate(bubbles):
        first = min(i * n // k, n - 1)
        last = max(first, (i + 1) * n // k - 1)
        out.append((b, slots[first], slots[last]))
    return out
