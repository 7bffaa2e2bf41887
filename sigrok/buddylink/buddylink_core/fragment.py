"""Reassembly of one direction's fragmented messages, with the abandonment rules of
src/protocol/fragment.ts: fragments are consecutive frames of one channel, every one but the last
flagged MORE and every one but the first CONT. A message interrupted (a frame on another channel,
a sequence gap, a new message) is abandoned and the interrupting frame handled on its own; one past
MAX_MESSAGE is swallowed and abandoned at its last fragment; a CONT frame with no message in
progress is an orphan whose first fragment was lost: it and the rest of its message are swallowed
and reported as one abandonment, never delivered.

    r = Reassembler()
    r.push(ch, seq, flags, payload) -> [Outcome('pending', ...)]
    r.push(...)                     -> [Outcome('complete', channel=1, message=b'...', fragments=2)]
"""

from .sequence import seq_add
from .tables import FLAG, MAX_MESSAGE


class Outcome:
    """kind 'pending' (fragments so far), 'complete' (message, fragments) or 'abandoned'
    (fragments, size in bytes, reason)."""

    def __init__(self, kind, channel=None, fragments=0, size=0, message=None, reason=None):
        self.kind = kind
        self.channel = channel
        self.fragments = fragments
        self.size = size
        self.message = message
        self.reason = reason


class _Partial:
    def __init__(self, channel, seq, payload, orphan):
        self.channel = channel
        # Emptied once the message passes MAX_MESSAGE (or never filled for an orphan): then only counted.
        self.parts = [] if orphan else [payload]
        self.fragments = 1
        self.size = len(payload)
        self.last_seq = seq
        self.oversized = False
        self.orphan = orphan


class Reassembler:
    def __init__(self):
        self.partial = None

    def push(self, channel, seq, flags, payload):
        """Feed every non-idle intact frame of the direction, in order; an abandonment comes
        before the frame's own outcome."""
        more = bool(flags & FLAG['more'])
        cont = bool(flags & FLAG['cont'])
        out = []
        p = self.partial
        if p:
            if channel != p.channel:
                out.append(self.abandon('a frame on channel %d interrupted it' % channel))
            elif seq != seq_add(p.last_seq, 1):
                out.append(self.abandon('seq %d follows %d' % (seq, p.last_seq)))
            elif not cont:
                out.append(self.abandon('a new message began before it ended'))
        cur = self.partial
        if cur is None:
            if cont and not more:
                out.append(Outcome('abandoned', channel, 1, len(payload), reason='continuation fragment without its start (first fragment lost)'))
            elif cont or more:
                self.partial = _Partial(channel, seq, payload, orphan=cont)
                out.append(Outcome('pending', channel, 1, len(payload)))
            else:
                out.append(Outcome('complete', channel, 1, len(payload), message=payload))
            return out
        cur.fragments += 1
        cur.size += len(payload)
        cur.last_seq = seq
        if not cur.oversized and not cur.orphan:
            cur.parts.append(payload)
        if cur.size > MAX_MESSAGE and not cur.oversized:
            cur.oversized = True
            cur.parts = []
        if more:
            out.append(Outcome('pending', channel, cur.fragments, cur.size))
            return out
        self.partial = None
        if cur.orphan:
            out.append(Outcome('abandoned', channel, cur.fragments, cur.size, reason='continuation fragments without their start (first fragment lost)'))
        elif cur.oversized:
            out.append(Outcome('abandoned', channel, cur.fragments, cur.size, reason='message of %d bytes exceeds %d' % (cur.size, MAX_MESSAGE)))
        else:
            out.append(Outcome('complete', channel, cur.fragments, cur.size, message=b''.join(cur.parts)))
        return out

    def abandon(self, reason):
        """Drops a message in progress; an Outcome('abandoned') if there was one, else 'pending'
        (nothing to report)."""
        p = self.partial
        self.partial = None
        if p is None:
            return Outcome('pending')
        why = '%s (and it already exceeded %d bytes)' % (reason, MAX_MESSAGE) if p.oversized else reason
        return Outcome('abandoned', p.channel, p.fragments, p.size, reason=why)
