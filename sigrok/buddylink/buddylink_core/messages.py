"""Control and trace messages from a complete (reassembled) payload, with the reference codec's
verdicts (src/protocol/control.ts, trace.ts): a control message is the CBOR array
[type code, request id, body], a trace event [variant, body]; an unknown type code or variant is a
message of its own (reported as unknown-message by the link), a body that fails its catalogue
entry is a 'schema' error, bytes that are not one CBOR item 'bad-cbor'.

    decode_message(1, payload) -> Message(kind='control', name='scan', code=2, id=7, body={...})
    decode_message(2, payload) -> None   (Ethernet, BLE HCI, reserved: the payload is the message)
"""

from . import cbor
from .schema import MAX_SAFE, problem
from .tables import CHANNEL, CONTROL_BODIES, CONTROL_TYPES, TRACE_BODIES, TRACE_VARIANTS


class Message:
    """kind 'control' (name, code, id, body) or 'trace' (name, code = variant, body).
    `name` is None for a code the catalogue does not know."""

    def __init__(self, kind, name, code, body, id=None):
        self.kind = kind
        self.name = name
        self.code = code
        self.id = id
        self.body = body


class MessageError:
    """code 'bad-cbor' or 'schema', with a detail for people."""

    def __init__(self, code, detail):
        self.code = code
        self.detail = detail


def _js_integer(v):
    """The value if the reference decoder holds it as a number that Number.isInteger accepts: an
    integer beyond 2**53 - 1 is a bigint there, and a bigint is not a number."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int):
        return v if -MAX_SAFE <= v <= MAX_SAFE else None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None


def _u(v, top):
    n = _js_integer(v)
    return n if n is not None and 0 <= n <= top else None


def _control(item):
    if not isinstance(item, list) or len(item) != 3:
        return MessageError('schema', 'control message is not a 3-element array [type, id, body]')
    code, rid, body = _u(item[0], 0xFF), _u(item[1], 0xFFFFFFFF), item[2]
    if code is None:
        return MessageError('schema', 'type code is not a u8')
    if rid is None:
        return MessageError('schema', 'request id is not a u32')
    name = CONTROL_TYPES.get(code)
    if name is None:
        return Message('control', None, code, body, rid)
    why = problem(CONTROL_BODIES[name], body)
    if why:
        return MessageError('schema', '%s: %s' % (name, why))
    return Message('control', name, code, body, rid)


def _trace(item):
    if not isinstance(item, list) or len(item) != 2:
        return MessageError('schema', 'trace event is not a 2-element array [variant, body]')
    variant, body = item
    n = _js_integer(variant)
    if n is None or n < 0:
        return MessageError('schema', 'variant is not an unsigned integer')
    if n >= len(TRACE_VARIANTS):
        return Message('trace', None, n, body)
    name = TRACE_VARIANTS[n]
    why = problem(TRACE_BODIES[name], body)
    if why:
        return MessageError('schema', 'trace %s: %s' % (name, why))
    return Message('trace', name, n, body)


def decode_message(channel, payload):
    if channel not in (CHANNEL['control'], CHANNEL['trace']):
        return None
    try:
        item = cbor.decode(payload)
    except cbor.CborError as e:
        return MessageError('bad-cbor', 'not one CBOR item: %s' % e)
    return _control(item) if channel == CHANNEL['control'] else _trace(item)
