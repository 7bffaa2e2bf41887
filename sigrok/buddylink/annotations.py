"""What the sigrok decoder draws for one transaction, independent of libsigrokdecode: a list of
marks, each an annotation class, a place (byte range of one direction, or the whole transaction)
and texts from longest to shortest (PulseView shows the longest that fits).

Rows, per direction (CPU to buddy = MOSI, buddy to CPU = MISO): header fields and CRC checks;
the frame and the message it completes; fragments and reassembly. Then one row of link events
(lost frames, repeats, buddy resets, stale epochs, credit overruns) and one of warnings (every
anomaly, as its code and detail).
"""

from .buddylink_core import BUDDY, CPU
from .buddylink_core.describe import flag_text, fragment_text, frame_text, hex_text, message_name, message_text
from .buddylink_core.frame import HEADER_LAYOUT, frame_size
from .buddylink_core.link import Anomaly, Frame, channel_name
from .buddylink_core.tables import HEADER_SIZE, TRAILER_SIZE

ANNOTATIONS = (
    ('cpu-field', 'CPU to buddy header field'),
    ('cpu-crc', 'CPU to buddy CRC check'),
    ('cpu-message', 'CPU to buddy frame and message'),
    ('cpu-fragment', 'CPU to buddy fragment'),
    ('buddy-field', 'buddy to CPU header field'),
    ('buddy-crc', 'buddy to CPU CRC check'),
    ('buddy-message', 'buddy to CPU frame and message'),
    ('buddy-fragment', 'buddy to CPU fragment'),
    ('link', 'Link event'),
    ('warning', 'Warning'),
)
ANN = {name: i for i, (name, _) in enumerate(ANNOTATIONS)}

ANNOTATION_ROWS = (
    ('cpu-fields', 'CPU to buddy fields', (ANN['cpu-field'], ANN['cpu-crc'])),
    ('cpu-messages', 'CPU to buddy messages', (ANN['cpu-message'],)),
    ('cpu-fragments', 'CPU to buddy fragments', (ANN['cpu-fragment'],)),
    ('buddy-fields', 'buddy to CPU fields', (ANN['buddy-field'], ANN['buddy-crc'])),
    ('buddy-messages', 'buddy to CPU messages', (ANN['buddy-message'],)),
    ('buddy-fragments', 'buddy to CPU fragments', (ANN['buddy-fragment'],)),
    ('link', 'Link', (ANN['link'],)),
    ('warnings', 'Warnings', (ANN['warning'],)),
)

LINK_EVENTS = ('lost-frames', 'repeat-frame', 'buddy-reset', 'stale-epoch', 'credit-overrun')
_SIDE = {CPU: 'cpu', BUDDY: 'buddy'}
_LOST_BY = {'payload-crc': 'payload CRC', 'truncated': 'frame cut short'}


class Mark:
    """`where` is (direction, first byte, end byte) or None for the whole transaction."""

    def __init__(self, cls, where, texts):
        self.cls = ANN[cls]
        self.where = where
        self.texts = texts


def _cls(direction, what):
    return '%s-%s' % (_SIDE[direction], what)


def _field_texts(h, name):
    if name == 'sync':
        return ['sync 0xb5', 'sync', 'S']
    if name == 'version':
        return ['version %d' % h.version, 'v%d' % h.version]
    if name == 'channel':
        return ['channel %d (%s)' % (h.channel, channel_name(h.channel)), channel_name(h.channel), 'ch']
    if name == 'flags':
        return ['flags 0x%02x (%s)' % (h.flags, flag_text(h.flags)), flag_text(h.flags), 'F']
    value = {'seq': h.seq, 'ack': h.ack, 'len': h.length, 'credit': h.credit, 'epoch': h.epoch}[name]
    return ['%s %d' % (name, value), str(value)]


def _header_marks(direction, parsed, payload, out):
    h = parsed.header
    for name, at, size in HEADER_LAYOUT:
        if name == 'hcrc':
            out.append(Mark(_cls(direction, 'crc'), (direction, at, at + size), ['header CRC ok (0x%08x)' % h.hcrc, 'hcrc ok', 'ok']))
        else:
            out.append(Mark(_cls(direction, 'field'), (direction, at, at + size), _field_texts(h, name)))
    if h.length == 0:
        return
    end = HEADER_SIZE + h.length
    # The longest text carries the bytes, as the spi decoder's transfer rows do: zoomed in, or
    # from sigrok-cli, the payload can be read (and copied) whole.
    shown = payload[HEADER_SIZE:end]
    texts = ['payload %d bytes: %s' % (h.length, hex_text(shown)), 'payload %d bytes' % h.length, 'payload', 'P']
    out.append(Mark(_cls(direction, 'field'), (direction, HEADER_SIZE, end), texts if shown else texts[1:]))
    if parsed.crc:
        got, want = parsed.crc
        texts = ['payload CRC ok (0x%08x)' % got, 'crc ok', 'ok'] if got == want else \
            ['payload CRC bad: 0x%08x received, 0x%08x computed' % (got, want), 'crc bad', '!']
        out.append(Mark(_cls(direction, 'crc'), (direction, end, end + TRAILER_SIZE), texts))


def _frame_span(direction, parsed):
    return (direction, 0, frame_size(parsed.header.length)) if parsed.header else None


def _frame_marks(e, span, metas, out):
    d = e.direction
    stale = 'stale epoch, dropped by the buddy: ' if e.stale else ''
    if e.header.idle:
        texts = [frame_text(e), 'idle', 'I']
    elif e.message is not None:
        texts = [stale + message_text(e, metas), message_name(e), message_name(e)[:1].upper()]
    else:
        texts = [stale + frame_text(e), '%s fragment' % channel_name(e.header.channel), 'F']
    out.append(Mark(_cls(d, 'message'), span, texts))
    note = fragment_text(e)
    if note:
        out.append(Mark(_cls(d, 'fragment'), span, [note, 'fragment' if e.fragment.kind == 'pending' else 'reassembled']))


def _anomaly_place(a, parsed):
    """The faulty field when the anomaly names a byte, else the direction's frame, else the transaction."""
    if a.direction is None:
        return None
    p = parsed[a.direction]
    if a.offset is not None and a.code != 'truncated':
        for _, at, size in HEADER_LAYOUT:
            if at <= a.offset < at + size:
                return (a.direction, at, at + size)
        if p.header:
            end = HEADER_SIZE + p.header.length
            return (a.direction, end, end + TRAILER_SIZE)
    return _frame_span(a.direction, p)


def _anomaly_marks(a, parsed, out):
    side = {CPU: 'CPU to buddy', BUDDY: 'buddy to CPU'}.get(a.direction)
    where = _anomaly_place(a, parsed)
    out.append(Mark('warning', where, ['%s%s: %s' % (a.code, ' (%s)' % side if side else '', a.detail), a.code, '!']))
    if a.code in LINK_EVENTS:
        out.append(Mark('link', None, ['%s: %s' % (a.code.replace('-', ' '), a.detail), a.code]))
    elif a.code == 'fragment-abandoned':
        out.append(Mark(_cls(a.direction, 'fragment'), where, ['abandoned: %s' % a.detail, 'abandoned', 'X']))
    elif a.code == 'header-crc':
        out.append(Mark(_cls(a.direction, 'crc'), where, ['header CRC bad: %s' % a.detail, 'hcrc bad', '!']))
    elif a.code in _LOST_BY and parsed[a.direction].header:
        # The header is intact, so the frame keeps its place in the sequence; only its payload is gone.
        h = parsed[a.direction].header
        out.append(Mark(_cls(a.direction, 'message'), _frame_span(a.direction, parsed[a.direction]),
                        ['%s frame seq %d: payload lost (%s)' % (channel_name(h.channel), h.seq, _LOST_BY[a.code]), 'payload lost', '!']))


def transaction_marks(result, lanes, metas):
    """Marks for one LinkDecoder.transaction() result; `lanes` holds each direction's transaction
    bytes; `metas` (describe.TraceMetas) names trace callsites and learns from this transaction's
    register_meta events."""
    out = []
    for direction in (CPU, BUDDY):
        if result.parsed[direction].header:
            _header_marks(direction, result.parsed[direction], lanes[direction], out)
    metas.follow(result.events)
    for e in result.events:
        if isinstance(e, Frame):
            _frame_marks(e, _frame_span(e.direction, result.parsed[e.direction]), metas, out)
        elif isinstance(e, Anomaly):
            _anomaly_marks(e, result.parsed, out)
    return out

