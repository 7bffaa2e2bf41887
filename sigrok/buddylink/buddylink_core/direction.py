"""Per-direction link state (src/link/direction.ts): sequence tracking, reassembly, and the
credit book-keeping that checks a sender against the window its peer advertised.
"""

from .fragment import Reassembler
from .sequence import SequenceTracker, seq_distance


class DirectionState:
    def __init__(self, direction):
        self.direction = direction
        self.seq = SequenceTracker()
        self.reassembly = Reassembler()
        # Seqs of credited frames this side sent that the peer has not acked yet.
        self.unacked = []
        # The last credit the peer advertised: what limits this side.
        self.peer_credit = None

    def peer_window(self, ack, credit):
        """The peer's header arrived (ack None when its ack is not valid)."""
        self.peer_credit = credit
        if ack is None:
            return
        # Keep only frames sent after `ack` (distance from ack in 1..half the space).
        self.unacked = [s for s in self.unacked if 0 < seq_distance(ack, s) < 0x8000]

    def sent_credited(self, seq):
        """A credited frame from this side: (outstanding, credit) when it exceeded the window."""
        credit = self.peer_credit
        outstanding = len(self.unacked)
        self.unacked.append(seq)
        if credit is None:
            return None
        return (outstanding, credit) if outstanding >= credit else None

    def reset(self):
        self.seq.reset()
        self.reassembly.abandon('link reset')
        self.unacked = []
        self.peer_credit = None
