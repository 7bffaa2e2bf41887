"""The frame at the start of one direction's transaction bytes, checked in the reference codec's
order (src/protocol/frame.ts): length, sync, header CRC, version, payload length bound, reserved
flags; then the whole frame's length and its payload CRC. Bytes after the frame are the
transaction's padding. Layout (little-endian), docs/protocol.md "Frame layout":

    0 sync  1 version  2 channel  3 flags  4 seq(2)  6 ack(2)  8 len(2)  10 credit  11 epoch
    12 hcrc(4): CRC-32C of bytes 0..11   16 payload(len)   16+len crc(4): CRC-32C of 0..15+len

    parse_frame(data) -> Parsed(header, payload or None, error or None)
"""

from .crc32c import crc32c
from .tables import FLAG, FLAGS_RESERVED_MASK, HEADER_FIELDS_SIZE, HEADER_SIZE, MAX_PAYLOAD, PROTOCOL_VERSION, SYNC, TRAILER_SIZE

# (name, offset, size) of each header field, for people reading one.
HEADER_LAYOUT = (
    ('sync', 0, 1), ('version', 1, 1), ('channel', 2, 1), ('flags', 3, 1), ('seq', 4, 2), ('ack', 6, 2),
    ('len', 8, 2), ('credit', 10, 1), ('epoch', 11, 1), ('hcrc', 12, 4),
)


def frame_size(length):
    return HEADER_SIZE + length + (TRAILER_SIZE if length > 0 else 0)


def _u16(b, at):
    return b[at] | (b[at + 1] << 8)


def _u32(b, at):
    return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)


class Header:
    def __init__(self, b):
        self.version = b[1]
        self.channel = b[2]
        self.flags = b[3]
        self.seq = _u16(b, 4)
        self.ack = _u16(b, 6)
        self.length = _u16(b, 8)
        self.credit = b[10]
        self.epoch = b[11]
        self.hcrc = _u32(b, HEADER_FIELDS_SIZE)

    @property
    def idle(self):
        return self.channel == 0 and self.length == 0

    def flag(self, name):
        return bool(self.flags & FLAG[name])


class FrameError:
    """code is an anomaly name (truncated, bad-sync, header-crc, bad-version, oversized,
    reserved-flags, payload-crc); offset is the byte where the fault was found."""

    def __init__(self, code, offset, detail):
        self.code = code
        self.offset = offset
        self.detail = detail


class Parsed:
    """What one direction carried: `header` is None when the header itself is bad; `payload` is
    None when the header is intact but the rest is not (the frame still counts in the sequence)."""

    def __init__(self, header=None, payload=None, error=None, crc=None):
        self.header = header
        self.payload = payload
        self.error = error
        # (received, computed) trailer CRC, when the frame reached its trailer.
        self.crc = crc


def _header_error(b):
    if len(b) < HEADER_SIZE:
        return FrameError('truncated', len(b), 'header needs %d bytes, have %d' % (HEADER_SIZE, len(b)))
    if b[0] != SYNC:
        return FrameError('bad-sync', 0, 'sync byte 0x%02x, expected 0x%02x' % (b[0], SYNC))
    want, got = _u32(b, HEADER_FIELDS_SIZE), crc32c(b, 0, HEADER_FIELDS_SIZE)
    if want != got:
        return FrameError('header-crc', HEADER_FIELDS_SIZE, 'header CRC 0x%08x, computed 0x%08x' % (want, got))
    if b[1] != PROTOCOL_VERSION:
        return FrameError('bad-version', 1, 'protocol version %d, this decoder speaks %d' % (b[1], PROTOCOL_VERSION))
    length = _u16(b, 8)
    if length > MAX_PAYLOAD:
        return FrameError('oversized', 8, 'payload length %d exceeds %d' % (length, MAX_PAYLOAD))
    if b[3] & FLAGS_RESERVED_MASK:
        return FrameError('reserved-flags', 3, 'reserved flag bits 0x%02x set' % (b[3] & FLAGS_RESERVED_MASK))
    return None


def _all_undriven(b):
    return len(b) > 0 and b[0] in (0x00, 0xFF) and b.count(b[0]) == len(b)


def parse_frame(data, line='MISO'):
    """The frame at the start of `data` (bytes); `line` names the wire in a bad-sync detail."""
    b = bytes(data)
    err = _header_error(b)
    if err:
        if err.code == 'bad-sync' and _all_undriven(b):
            err.detail = '%s is all 0x%02x (%d bytes): nothing driving the line, or the buddy was not armed' % (line, b[0], len(b))
        return Parsed(error=err)
    header = Header(b)
    size = frame_size(header.length)
    if len(b) < size:
        return Parsed(header, error=FrameError('truncated', len(b), 'frame of %d bytes cut at %d' % (size, len(b))))
    if header.length == 0:
        return Parsed(header, payload=b'')
    end = HEADER_SIZE + header.length
    want, got = _u32(b, end), crc32c(b, 0, end)
    if want != got:
        return Parsed(header, error=FrameError('payload-crc', end, 'frame CRC 0x%08x, computed 0x%08x' % (want, got)), crc=(want, got))
    return Parsed(header, payload=b[HEADER_SIZE:end], crc=(want, got))
