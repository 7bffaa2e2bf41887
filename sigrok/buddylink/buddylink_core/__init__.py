"""The buddy link decoder core shared by the sigrok protocol decoder (sigrok/buddylink/pd.py) and
the Saleae Logic 2 high level analyzer (saleae/buddylink/): frame parsing, CRC-32C, CBOR, message
checks, link-state rules and the code tables generated from src/protocol/. Standard library only,
and relative imports only, so it works as a sub-package of the sigrok decoder and as a top-level
package next to the Saleae extension.

    from buddylink_core import LinkDecoder
    result = LinkDecoder().transaction(0, mosi, miso)
"""

from .link import BUDDY, CPU, Anomaly, Frame, LinkDecoder, channel_name

__all__ = ['LinkDecoder', 'Anomaly', 'Frame', 'CPU', 'BUDDY', 'channel_name']
