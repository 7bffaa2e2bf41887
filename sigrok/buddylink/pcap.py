"""The decoder's binary output: the Ethernet frames the link carried, as a classic pcap stream
(nanosecond timestamps, LINKTYPE_ETHERNET) that Wireshark opens as it is:

    sigrok-cli -i x.sr -P spi:...,buddylink -B buddylink=pcap > ethernet.pcap
"""

import struct

LINKTYPE_ETHERNET = 1
# The nanosecond-resolution pcap magic: SPI transactions are microseconds apart.
MAGIC_NS = 0xA1B23C4D


def global_header(snaplen=65535):
    return struct.pack('<IHHiIII', MAGIC_NS, 2, 4, 0, 0, snaplen, LINKTYPE_ETHERNET)


def record(ns, frame):
    return struct.pack('<IIII', ns // 1000000000, ns % 1000000000, len(frame), len(frame)) + bytes(frame)
