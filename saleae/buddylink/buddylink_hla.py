"""Logic 2 High Level Analyzer for the buddy link: takes the SPI analyzer's enable / result /
disable frames, runs the shared decoder core (buddylink_core, the same one the sigrok decoder
uses) on each transaction, and returns its bubbles (buddylink_bubbles.py): one per link frame,
per message and per anomaly.

Logic 2 imports this module from the extension's folder (entry point buddylink_hla.BuddyLink), so
its siblings buddylink_bubbles and buddylink_core import as top-level modules.
"""

from saleae.analyzers import AnalyzerFrame, ChoicesSetting, HighLevelAnalyzer

from buddylink_bubbles import Show, place, transaction_bubbles
from buddylink_core import BUDDY, CPU, LinkDecoder
from buddylink_core.describe import TraceMetas

BOTH = 'CPU→buddy and buddy→CPU'
DIRECTIONS = {BOTH: (CPU, BUDDY), 'CPU→buddy only (MOSI)': (CPU,), 'buddy→CPU only (MISO)': (BUDDY,)}


class BuddyLink(HighLevelAnalyzer):
    direction = ChoicesSetting(list(DIRECTIONS), label='Directions')
    idle_frames = ChoicesSetting(['hide', 'show'], label='Idle frames')
    trace = ChoicesSetting(['show', 'hide'], label='Trace events')
    frame_headers = ChoicesSetting(['show', 'hide'], label='Frame header bubbles')

    result_types = {
        'frame': {'format': '{{data.dir}} {{data.channel}} seq {{data.seq}} ack {{data.ack}} len {{data.len}} credit {{data.credit}} epoch {{data.epoch}} [{{data.flags}}] {{data.check}}'},
        'control': {'format': '{{data.dir}} {{data.name}} #{{data.id}} {{data.fields}}'},
        'trace': {'format': '{{data.dir}} trace {{data.name}}: {{data.summary}}'},
        'ethernet': {'format': '{{data.dir}} {{data.summary}}'},
        'ble': {'format': '{{data.dir}} BLE HCI {{data.summary}}, {{data.len}} bytes'},
        'raw': {'format': '{{data.dir}} {{data.channel}}: {{data.len}} bytes'},
        'invalid': {'format': '{{data.dir}} invalid {{data.channel}} message: {{data.error}}'},
        'anomaly': {'format': '{{data.code}}: {{data.detail}}'},
        'notice': {'format': '{{data.text}}'},
    }

    def __init__(self):
        self.show = Show(DIRECTIONS.get(self.direction, DIRECTIONS[BOTH]), idle=self.idle_frames == 'show',
                         trace=self.trace != 'hide', frames=self.frame_headers != 'hide')
        self.link = LinkDecoder()
        self.metas = TraceMetas()
        self.txn = 0
        self.open = None
        self.warned = False

    def decode(self, frame):
        if frame.type == 'enable':
            self.open = {'enable': frame, 'mosi': bytearray(), 'miso': bytearray(), 'slots': []}
            return None
        if frame.type == 'result':
            return self.result(frame)
        if frame.type == 'disable':
            return self.transaction(frame)
        if frame.type == 'error':
            return AnalyzerFrame('notice', frame.start_time, frame.end_time, {
                'text': 'SPI analyzer: the clock was in the wrong state when Enable went active (check clock polarity)'})
        return None

    def result(self, frame):
        if self.open is None:
            if self.warned:
                return None
            # Without Enable there is no way to tell where a frame begins.
            self.warned = True
            return AnalyzerFrame('notice', frame.start_time, frame.end_time, {
                'text': 'no Enable (CS#) frames: set the SPI analyzer\'s Enable channel, the buddy link is framed by it'})
        self.open['mosi'] += frame.data.get('mosi', b'')
        self.open['miso'] += frame.data.get('miso', b'')
        self.open['slots'].append((frame.start_time, frame.end_time))
        return None

    def transaction(self, disable):
        t, self.open = self.open, None
        if t is None:
            return None
        if not t['slots']:
            # Enable went active and back with no clock: not a transaction (buddyshark's cs-glitch).
            return AnalyzerFrame('anomaly', t['enable'].start_time, disable.end_time, {
                'code': 'cs-glitch', 'detail': 'Enable active with no clock: not a transaction', 'dir': '', 'txn': -1})
        result = self.link.transaction(self.txn, bytes(t['mosi']), bytes(t['miso']))
        self.txn += 1
        bubbles = transaction_bubbles(result, self.metas, self.show)
        return [AnalyzerFrame(b.kind, first[0], last[1], b.data) for b, first, last in place(bubbles, t['slots'])] or None
