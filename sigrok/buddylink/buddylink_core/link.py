"""SPI transactions to link frames, messages and anomalies, by the rules of src/link/decoder.ts:
one frame each way per CS assertion (MOSI from the CPU, MISO from the buddy); header CRC, then
payload CRC; per-direction u16 sequence numbers counting non-idle frames; a frame whose header is
intact but whose payload is not keeps its place in the sequence, is reported once (payload-crc or
truncated) and abandons a message it was a fragment of; an epoch change on MISO is a buddy reset
(both directions' trackers reset); a CPU frame with another non-zero epoch is stale (the buddy
drops it); reassembly per direction; credited frames beyond the peer's window are a
credit-overrun. Reserved channels are kept raw, not reported.

Events come out in the reference decoder's order, so both can be compared record for record:

    d = LinkDecoder()
    r = d.transaction(0, mosi_bytes, miso_bytes)
    r.parsed['buddy-to-cpu'].header.seq     # what each direction carried, for display
    [e.code for e in r.events if isinstance(e, Anomaly)]
"""

from .direction import DirectionState
from .frame import parse_frame
from .messages import Message, MessageError, decode_message
from .tables import ANOMALY_CODES, CHANNEL, CHANNELS, CREDITED_CHANNELS, FLAG

CPU = 'cpu-to-buddy'
BUDDY = 'buddy-to-cpu'


def channel_name(channel):
    return CHANNELS.get(channel, 'reserved-%d' % channel)


class Anomaly:
    def __init__(self, code, txn, direction, detail, offset=None, count=None):
        if code not in ANOMALY_CODES:
            raise ValueError('%s is not an anomaly code' % code)
        self.code = code
        self.txn = txn
        self.direction = direction
        self.detail = detail
        self.offset = offset
        self.count = count


class Frame:
    """An intact frame. `fragment` is the reassembly outcome it produced (None for idle and
    stale-epoch frames); on the frame completing a message, `message` holds its bytes and
    `decoded` the control or trace message (a Message, a MessageError, or None for Ethernet,
    BLE HCI and reserved channels)."""

    def __init__(self, txn, direction, header, payload):
        self.txn = txn
        self.direction = direction
        self.header = header
        self.payload = payload
        self.fragment = None
        self.fragments = None
        self.message = None
        self.decoded = None
        self.stale = False


class TransactionResult:
    def __init__(self, txn, parsed):
        self.txn = txn
        # Per direction: frame.Parsed (what the bytes held, intact or not).
        self.parsed = parsed
        self.events = []


class LinkDecoder:
    def __init__(self):
        self.sides = {CPU: DirectionState(CPU), BUDDY: DirectionState(BUDDY)}
        self.buddy_epoch = None
        # The epoch the CPU last synced to: when it changes, the CPU restarted its sequence numbers.
        self.cpu_epoch = None

    def transaction(self, txn, mosi, miso):
        parsed = {CPU: parse_frame(mosi, 'MOSI'), BUDDY: parse_frame(miso, 'MISO')}
        result = TransactionResult(txn, parsed)
        out = result.events
        for direction in (CPU, BUDDY):
            err = parsed[direction].error
            if err:
                out.append(Anomaly(err.code, txn, direction, err.detail, offset=err.offset))
        # The buddy's epoch decides how the CPU's frame is judged, so a reset is noted first.
        # Both headers cross at once, so the CPU's frame obeyed the window of an earlier MISO header.
        if parsed[BUDDY].header:
            self._note_buddy_epoch(txn, parsed[BUDDY].header.epoch, out)
        for direction in (CPU, BUDDY):
            if parsed[direction].header:
                self._accept(txn, direction, parsed[direction], out)
        return result

    def finish(self):
        """End of capture: a message still being reassembled is reported, not forgotten."""
        out = []
        for direction in (CPU, BUDDY):
            ev = self.sides[direction].reassembly.abandon('capture ended mid-message')
            if ev.kind == 'abandoned':
                out.append(self._abandoned(None, direction, ev))
        return out

    def _note_buddy_epoch(self, txn, epoch, out):
        if self.buddy_epoch is not None and epoch != self.buddy_epoch:
            out.append(Anomaly('buddy-reset', txn, BUDDY, 'buddy epoch %d -> %d: the buddy rebooted; link state reset' % (self.buddy_epoch, epoch)))
            for side in self.sides.values():
                side.reset()
        self.buddy_epoch = epoch

    @staticmethod
    def _abandoned(txn, direction, ev):
        return Anomaly('fragment-abandoned', txn, direction, '%d fragment(s), %d bytes on %s: %s' % (ev.fragments, ev.size, channel_name(ev.channel), ev.reason))

    def _accept(self, txn, direction, parsed, out):
        h = parsed.header
        side = self.sides[direction]
        peer = self.sides[BUDDY if direction == CPU else CPU]
        if direction == CPU:
            if h.epoch != 0 and self.buddy_epoch is not None and h.epoch != self.buddy_epoch:
                # The buddy drops it, so it takes no part in sequence, credit or reassembly tracking.
                out.append(Anomaly('stale-epoch', txn, CPU, 'CPU frame carries epoch %d, buddy is at %d: the buddy drops it' % (h.epoch, self.buddy_epoch)))
                if parsed.payload is not None:
                    out.append(self._standalone(txn, direction, h, parsed.payload))
                return
            if self.cpu_epoch is not None and h.epoch != self.cpu_epoch:
                side.reset()
            self.cpu_epoch = h.epoch

        verdict, lost, expected = side.seq.observe(h.seq, not h.idle)
        if verdict == 'gap':
            out.append(Anomaly('lost-frames', txn, direction, '%d frame(s) lost: expected seq %d, got %d' % (lost, expected, h.seq), count=lost))
        elif verdict == 'repeat':
            out.append(Anomaly('repeat-frame', txn, direction, 'seq %d repeats or steps back (expected %d)' % (h.seq, expected)))

        # This side's header advertises its window to the peer.
        peer.peer_window(h.ack if h.flag('ackValid') else None, h.credit)
        if not h.idle and h.channel in CREDITED_CHANNELS:
            over = side.sent_credited(h.seq)
            if over:
                out.append(Anomaly('credit-overrun', txn, direction, 'credited frame sent with %d outstanding against a credit of %d' % over))
        if parsed.payload is None:
            # Its payload is lost: a message it belonged to cannot complete.
            ev = side.reassembly.abandon('fragment seq %d arrived corrupt' % h.seq)
            if ev.kind == 'abandoned':
                out.append(self._abandoned(txn, direction, ev))
            return
        frame = Frame(txn, direction, h, parsed.payload)
        if h.idle:
            out.append(frame)
            return
        abandoned, trailing = [], []
        for ev in side.reassembly.push(h.channel, h.seq, h.flags, parsed.payload):
            if ev.kind == 'abandoned':
                abandoned.append(self._abandoned(txn, direction, ev))
            else:
                frame.fragment = ev
            if ev.kind == 'complete':
                self._complete(frame, ev, trailing)
        # Abandonment refers to frames before this one, so it is reported first.
        out.extend(abandoned)
        out.append(frame)
        out.extend(trailing)

    def _complete(self, frame, ev, trailing):
        frame.fragments = ev.fragments
        frame.message = ev.message
        frame.decoded = decode_message(ev.channel, ev.message)
        d = frame.decoded
        chan = channel_name(ev.channel)
        if isinstance(d, Message) and d.name is None:
            what = 'control type code 0x%02x is not in the catalogue' % d.code if d.kind == 'control' else 'trace variant %d is not known' % d.code
            trailing.append(Anomaly('unknown-message', frame.txn, frame.direction, what))
        elif isinstance(d, MessageError):
            trailing.append(Anomaly(d.code, frame.txn, frame.direction, '%s message: %s' % (chan, d.detail)))

    def _standalone(self, txn, direction, h, payload):
        """A frame outside the stream's tracking (stale epoch): kept, and decoded when whole."""
        frame = Frame(txn, direction, h, payload)
        frame.stale = True
        if h.idle or h.flags & (FLAG['more'] | FLAG['cont']):
            return frame
        frame.fragments = 1
        frame.message = payload
        decoded = decode_message(h.channel, payload)
        frame.decoded = decoded if isinstance(decoded, Message) else None
        return frame


__all__ = ['LinkDecoder', 'Anomaly', 'Frame', 'CPU', 'BUDDY', 'CHANNEL', 'channel_name']
