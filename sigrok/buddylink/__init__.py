'''
This decoder stacks on top of the 'spi' PD and decodes the buddy link between MnemOS on the CPU
(SPI controller) and its ESP32-C3 "WiFi Buddy" (docs/protocol.md in buddyshark): one frame each
way per CS# assertion, a 16-byte header with its own CRC-32C, a CRC-32C trailer, per-direction
sequence numbers, credits, a boot epoch, CBOR control messages, forwarded trace events, Ethernet
frames and BLE HCI.

Annotations show every header field and both CRC checks per direction, the frame and the message
it completes (control type and request id, trace event, an Ethernet summary), fragments and their
reassembly, link events (lost frames, buddy resets, stale epochs, credit overruns) and a warning
for every anomaly. The binary output 'pcap' is the Ethernet frames as a pcap stream.

Give the spi decoder all four lines (clk, mosi, miso, cs): frames are delimited by CS#. The link
runs in SPI mode 0, MSB first, 8-bit words (the spi decoder's defaults).
'''

from .pd import Decoder
