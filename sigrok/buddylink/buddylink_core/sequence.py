"""Per-direction sequence tracking (src/protocol/sequence.ts): u16 numbers that wrap; a forward
distance under half the space is a gap (frames lost), anything else a repeat or a step back.
Idle frames carry the next number without using it.

    t = SequenceTracker(); t.observe(5, True) -> ('first', None, None); t.observe(7, True) -> ('gap', 1, 6)
"""

from .tables import SEQ_MODULO


def seq_distance(a, b):
    return (b - a + SEQ_MODULO) % SEQ_MODULO


def seq_add(seq, n):
    return (seq + n) % SEQ_MODULO


class SequenceTracker:
    def __init__(self):
        self.expected = None

    def observe(self, seq, consumes):
        """(verdict, lost, expected): verdict is 'first', 'in-order', 'gap' or 'repeat'."""
        expected = self.expected
        if expected is None:
            verdict, lost = 'first', None
        elif seq == expected:
            verdict, lost = 'in-order', None
        else:
            d = seq_distance(expected, seq)
            verdict, lost = ('gap', d) if d < SEQ_MODULO // 2 else ('repeat', None)
        # A repeat does not move the expectation back: a late duplicate must not hide later losses.
        if verdict != 'repeat':
            self.expected = seq_add(seq, 1) if consumes else seq
        return verdict, lost, expected

    def reset(self):
        self.expected = None
