"""CBOR (RFC 8949) decoding of one item, standard library only: the decoders run inside other
tools' interpreters, which have no CBOR package.

It decodes as the reference codec does (src/protocol/cbor.ts over cbor-x), so that a payload one
side calls malformed the other does too: exactly one item must fill the bytes; indefinite-length
byte and text strings, simple values other than false/true/null/undefined, and reserved lengths are
errors; map keys become text the way JavaScript names properties (2 -> "2", true -> "true"), and a
byte string, array or map as a key is an error; nesting deeper than 64 containers is an error.
Text is UTF-8 with bad sequences replaced. Tags 2 and 3 (bignums) give integers, 55799
(self-describe) the item itself, 64 (uint8 array) its bytes, 0 and 1 (dates) an object without
fields (a JavaScript Date has none), and any other tag the {value, tag} object cbor-x gives for a
tag it does not know. cbor-x's own extension tags (packed values, records, shared references, sets)
are not reproduced: a peer speaking plain RFC 8949 items never sends them.

    decode(bytes.fromhex('a1616101')) == {'a': 1}
"""

import math
import struct

MAX_DEPTH = 64


class CborError(Exception):
    pass


class _Undefined:
    """CBOR undefined (0xf7), which JavaScript keeps apart from null."""

    def __repr__(self):
        return 'undefined'


UNDEFINED = _Undefined()


_BREAK = object()


def decode(data):
    """The one CBOR item filling `data`; raises CborError naming what is wrong."""
    data = bytes(data)
    if not data:
        raise CborError('empty payload')
    value, at = _item(data, 0, 0)
    if value is _BREAK:
        raise CborError('break stop code outside an indefinite-length item')
    if at != len(data):
        raise CborError('one item read, %d bytes left over' % (len(data) - at))
    return value


def _need(data, at, n):
    if at + n > len(data):
        raise CborError('cut short at byte %d' % len(data))


def _argument(data, at, info):
    """The head's argument (value or length) and the position after it; None for indefinite."""
    if info < 24:
        return info, at
    if info == 31:
        return None, at
    if info > 27:
        raise CborError('reserved additional information %d at byte %d' % (info, at - 1))
    n = 1 << (info - 24)
    _need(data, at, n)
    return int.from_bytes(data[at:at + n], 'big'), at + n


def _map_key(key):
    """A map key as the JavaScript property name cbor-x gives it."""
    if isinstance(key, str):
        return key
    if key is True:
        return 'true'
    if key is False:
        return 'false'
    if key is None:
        return 'null'
    if key is UNDEFINED:
        return 'undefined'
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    if isinstance(key, (int, float)):
        return str(key)
    raise CborError('a %s cannot be a map key' % type(key).__name__)


def _item(data, at, depth):
    _need(data, at, 1)
    head = data[at]
    major, info = head >> 5, head & 0x1F
    at += 1
    if major == 7:
        return _simple(data, at, info)
    arg, at = _argument(data, at, info)
    if major == 0:
        if arg is None:
            raise CborError('indefinite length on an integer')
        return arg, at
    if major == 1:
        if arg is None:
            raise CborError('indefinite length on an integer')
        return -1 - arg, at
    if major in (2, 3):
        if arg is None:
            raise CborError('indefinite-length byte and text strings are not supported')
        _need(data, at, arg)
        chunk = data[at:at + arg]
        return (chunk if major == 2 else chunk.decode('utf-8', 'replace')), at + arg
    if major in (4, 5) and depth >= MAX_DEPTH:
        raise CborError('nested deeper than %d levels' % MAX_DEPTH)
    if major == 4:
        return _array(data, at, arg, depth)
    if major == 5:
        return _map(data, at, arg, depth)
    if arg is None:
        raise CborError('indefinite length on a tag')
    inner, at = _item(data, at, depth)
    if inner is _BREAK:
        raise CborError('break stop code as a tagged item')
    return _tagged(arg, inner), at


def _simple(data, at, info):
    if info == 20:
        return False, at
    if info == 21:
        return True, at
    if info == 22:
        return None, at
    if info == 23:
        return UNDEFINED, at
    if info == 25:
        _need(data, at, 2)
        return _half((data[at] << 8) | data[at + 1]), at + 2
    if info in (26, 27):
        n, fmt = (4, '>f') if info == 26 else (8, '>d')
        _need(data, at, n)
        return struct.unpack(fmt, data[at:at + n])[0], at + n
    if info == 31:
        return _BREAK, at
    raise CborError('simple value at byte %d is not false, true, null or undefined' % (at - 1))


def _half(bits):
    """An IEEE 754 half-precision float (struct's 'e' is newer than the oldest embedded Pythons)."""
    sign = -1.0 if bits & 0x8000 else 1.0
    exp, frac = (bits >> 10) & 0x1F, bits & 0x3FF
    if exp == 0x1F:
        return sign * float('inf') if frac == 0 else float('nan')
    return sign * (math.ldexp(frac, -24) if exp == 0 else math.ldexp(frac + 1024, exp - 25))


def _array(data, at, count, depth):
    out = []
    while count is None or len(out) < count:
        value, at = _item(data, at, depth + 1)
        if value is _BREAK:
            if count is None:
                return out, at
            raise CborError('break stop code inside a definite-length array')
        out.append(value)
    return out, at


def _map(data, at, count, depth):
    out = {}
    pairs = 0
    while count is None or pairs < count:
        key, at = _item(data, at, depth + 1)
        if key is _BREAK:
            if count is None:
                return out, at
            raise CborError('break stop code inside a definite-length map')
        value, at = _item(data, at, depth + 1)
        if value is _BREAK:
            raise CborError('break stop code where a map value belongs')
        out[_map_key(key)] = value
        pairs += 1
    return out, at


def _tagged(tag, inner):
    if tag in (2, 3) and isinstance(inner, bytes):
        n = int.from_bytes(inner, 'big')
        return (n if tag == 2 else -1 - n)
    if tag == 55799:
        return inner
    if tag == 64 and isinstance(inner, bytes):
        return inner
    if tag in (0, 1):
        return {}
    return {'value': inner, 'tag': tag}
