"""CRC-32C (Castagnoli, reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF), the link's
frame check. Pure Python with a 256-entry table: the decoders run inside libsigrokdecode's and
Logic 2's own interpreters, where no CRC extension can be assumed.

    crc32c(b'123456789') == 0xE3069283
"""

_POLY = 0x82F63B78


def _table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ _POLY if c & 1 else c >> 1
        table.append(c)
    return tuple(table)


_TABLE = _table()


def crc32c(data, start=0, end=None):
    """CRC-32C of data[start:end] (bytes, bytearray or a list of ints), without copying it."""
    crc = 0xFFFFFFFF
    table = _TABLE
    for i in range(start, len(data) if end is None else end):
        crc = table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF
