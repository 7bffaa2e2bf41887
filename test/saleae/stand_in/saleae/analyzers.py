"""A minimal stand-in for Logic 2's `saleae.analyzers`, written from Saleae's API documentation
(support.saleae.com, "API Documentation" and "High-Level Analyzer (HLA) Extensions"): the
HighLevelAnalyzer base class, AnalyzerFrame(type, start_time, end_time, data=None) and the three
setting classes. It holds what an analyzer declares, so test/saleae/hla_runner.py can check the
declarations and drive the analyzer as Logic 2 would; it does nothing else.
"""


class AnalyzerFrame:
    """A frame produced by an analyzer: `type` (str), `start_time` and `end_time` (Logic 2's
    GraphTime), `data` (dict of key/value data)."""

    def __init__(self, type, start_time, end_time, data=None):
        self.type = type
        self.start_time = start_time
        self.end_time = end_time
        self.data = {} if data is None else data


class HighLevelAnalyzer:
    """Base class for High Level Analyzers. Subclasses implement decode(frame), returning None,
    one AnalyzerFrame or a list of them."""

    def decode(self, frame):
        raise NotImplementedError('a High Level Analyzer implements decode()')


class Setting:
    def __init__(self, label=None):
        self.label = label


class StringSetting(Setting):
    """String setting."""


class NumberSetting(Setting):
    """Number setting, with an optional min_value and max_value."""

    def __init__(self, label=None, min_value=None, max_value=None):
        super().__init__(label)
        self.min_value = min_value
        self.max_value = max_value


class ChoicesSetting(Setting):
    """Choices setting: one of `choices` (strings)."""

    def __init__(self, choices, label=None):
        super().__init__(label)
        self.choices = list(choices)
