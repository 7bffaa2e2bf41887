"""Checks a decoded CBOR value against a value spec from tables.py (the zod schemas of
src/protocol/ as data, see scripts/zod-spec.ts), with zod's verdicts on the values the reference
decoder hands it: an integer within 2**53 - 1 is a JavaScript number and any wider one a bigint; a
float is a number (an integral one passes an integer check); text lengths count UTF-16 units; a
strict object refuses keys it does not name and accepts undefined for an optional field.

    problem(spec, value) -> None, or 'path: what is wrong'
"""

from .cbor import UNDEFINED

MAX_SAFE = 2 ** 53 - 1


def _is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


def _safe_integer(v):
    """The value as a JavaScript safe integer, or None when zod's int() would refuse it."""
    if _is_int(v):
        return v if -MAX_SAFE <= v <= MAX_SAFE else None
    if isinstance(v, float) and v.is_integer() and -MAX_SAFE <= v <= MAX_SAFE:
        return int(v)
    return None


def _bound(v, spec):
    lo, hi = spec['min'], spec['max']
    if lo is not None and v < int(lo):
        return 'must be at least %s' % lo
    if hi is not None and v > int(hi):
        return 'must be at most %s' % hi
    return None


def _utf16_length(s):
    return len(s.encode('utf-16-le', 'surrogatepass')) // 2


def _text(spec, v):
    if not isinstance(v, str):
        return 'expected text'
    n = _utf16_length(v)
    if spec['minLength'] is not None and n < spec['minLength']:
        return 'shorter than %d' % spec['minLength']
    if spec['maxLength'] is not None and n > spec['maxLength']:
        return 'longer than %d' % spec['maxLength']
    if spec['maxBytes'] is not None and len(v.encode('utf-8', 'surrogatepass')) > spec['maxBytes']:
        return 'longer than %d bytes' % spec['maxBytes']
    return None


def _int(spec, v):
    n = _safe_integer(v)
    return 'expected an integer' if n is None else _bound(n, spec)


def _bigint(spec, v):
    if not _is_int(v) or -MAX_SAFE <= v <= MAX_SAFE:
        return 'expected a bigint'
    return _bound(v, spec)


def _number(spec, v):
    ok = isinstance(v, float) or (_is_int(v) and -MAX_SAFE <= v <= MAX_SAFE)
    return None if ok else 'expected a number'


def _bytes(spec, v):
    if not isinstance(v, bytes):
        return 'expected a byte string'
    if spec['length'] is not None and len(v) != spec['length']:
        return 'must be %d bytes' % spec['length']
    return None


def _enum(spec, v):
    return None if isinstance(v, str) and v in spec['values'] else 'expected one of %s' % ', '.join(spec['values'])


def _array(spec, v, path):
    if not isinstance(v, list):
        return path, 'expected an array'
    if spec['minItems'] is not None and len(v) < spec['minItems']:
        return path, 'fewer than %d items' % spec['minItems']
    if spec['maxItems'] is not None and len(v) > spec['maxItems']:
        return path, 'more than %d items' % spec['maxItems']
    for i, x in enumerate(v):
        found = _check(spec['items'], x, path + [str(i)])
        if found:
            return found
    return None


def _record(spec, v, path):
    if not isinstance(v, dict):
        return path, 'expected a map'
    for k, x in v.items():
        found = _check(spec['values'], x, path + [k])
        if found:
            return found
    return None


def _object(spec, v, path):
    if not isinstance(v, dict):
        return path, 'expected a map'
    fields = spec['fields']
    for k in v:
        if k not in fields:
            return path, 'unrecognized key "%s"' % k
    for k, field in fields.items():
        x = v.get(k, UNDEFINED)
        if x is UNDEFINED:
            if k in spec['optional']:
                continue
            return path + [k], 'required'
        found = _check(field, x, path + [k])
        if found:
            return found
    return None


_LEAVES = {'text': _text, 'int': _int, 'bigint': _bigint, 'number': _number, 'bytes': _bytes, 'enum': _enum}
_CONTAINERS = {'array': _array, 'record': _record, 'object': _object}


def _check(spec, v, path):
    kind = spec['kind']
    if kind in _LEAVES:
        why = _LEAVES[kind](spec, v)
        return (path, why) if why else None
    if kind in _CONTAINERS:
        return _CONTAINERS[kind](spec, v, path)
    if kind == 'bool':
        return None if isinstance(v, bool) else (path, 'expected a boolean')
    if kind == 'null':
        return None if v is None else (path, 'expected null')
    if kind == 'nullable':
        return None if v is None else _check(spec['inner'], v, path)
    if kind == 'union':
        for option in spec['options']:
            if _check(option, v, path) is None:
                return None
        return path, 'matches none of the allowed kinds'
    raise ValueError('value spec kind %r is not known' % kind)


def problem(spec, value):
    found = _check(spec, value, [])
    if not found:
        return None
    path, why = found
    return '%s: %s' % ('.'.join(path) if path else 'body', why)
