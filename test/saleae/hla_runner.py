"""Runs a Logic 2 High Level Analyzer outside Logic 2, as Logic 2 would, on a Saleae SPI analyzer
export, and prints the frames it returns, for test/saleae/crosscheck.test.ts.

Usage: python3 hla_runner.py EXTENSION_DIR ANALYZER_CSV [SETTINGS_JSON]

What it assumes of Logic 2 (from Saleae's extension documentation): the extension folder holds
extension.json naming the analyzer's entry point "module.Class"; the module is imported from that
folder (so its siblings import as top-level modules); the settings' chosen values are instance
attributes before __init__ runs; decode() is called once per input frame and returns None, an
AnalyzerFrame or a list of them. The SPI analyzer's frames are 'enable', 'result' (data 'mosi' and
'miso' as bytes) and 'disable'.

What it checks, and fails on: the declarations (a HighLevelAnalyzer subclass, result_types with a
format per type, settings of the documented classes and values among their choices) and every
frame returned: of a declared type, data values of plain types with every {{data.key}} its format
names, times that are input frames' times passed through (the stand-in times support no
arithmetic, so an analyzer cannot compute its own), returned in time order without overlapping
(a conservative reading of how Logic 2 lays out one analyzer's bubbles).

Output, one JSON object a line: {"type", "start", "end" (ns), "data" (bytes as hex), "text" (the
format filled in)}.
"""

import csv
import importlib
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, 'stand_in'))

from saleae.analyzers import AnalyzerFrame, ChoicesSetting, HighLevelAnalyzer, NumberSetting, Setting, StringSetting  # noqa: E402

PLAIN = (str, int, float, bool, bytes)


class StandInTime:
    """A capture time the analyzer may only pass along (Logic 2's GraphTime does more, but an
    analyzer that only passes times along works with any of it)."""

    __slots__ = ('_seconds',)

    def __init__(self, seconds):
        self._seconds = seconds


def fail(why):
    sys.stderr.write('hla_runner: %s\n' % why)
    sys.exit(1)


def load(ext_dir):
    with open(os.path.join(ext_dir, 'extension.json'), encoding='utf-8') as f:
        ext = json.load(f)
    if ext.get('apiVersion') != '1.0.0':
        fail('extension.json: apiVersion %r, Logic 2 expects "1.0.0"' % ext.get('apiVersion'))
    hlas = [e for e in ext.get('extensions', {}).values() if e.get('type') == 'HighLevelAnalyzer']
    if len(hlas) != 1 or not re.fullmatch(r'\w+\.\w+', hlas[0].get('entryPoint', '')):
        fail('extension.json: expected one HighLevelAnalyzer with entryPoint "module.Class"')
    module, cls = hlas[0]['entryPoint'].split('.')
    sys.path.insert(0, ext_dir)
    analyzer = getattr(importlib.import_module(module), cls)
    if not (isinstance(analyzer, type) and issubclass(analyzer, HighLevelAnalyzer)):
        fail('%s is not a HighLevelAnalyzer subclass' % hlas[0]['entryPoint'])
    return analyzer


def formats(analyzer):
    types = getattr(analyzer, 'result_types', None)
    if not isinstance(types, dict) or not all(isinstance(v, dict) and isinstance(v.get('format'), str) for v in types.values()):
        fail('result_types must map each frame type to {"format": str}')
    return {k: v['format'] for k, v in types.items()}


def instantiate(analyzer, chosen):
    settings = {k: v for k, v in vars(analyzer).items() if isinstance(v, Setting)}
    for name, s in settings.items():
        if type(s) not in (StringSetting, NumberSetting, ChoicesSetting):
            fail('setting %s is not one of the documented setting classes' % name)
    unknown = set(chosen) - set(settings)
    if unknown:
        fail('no such settings: %s' % ', '.join(sorted(unknown)))
    hla = analyzer.__new__(analyzer)
    for name, s in settings.items():
        value = chosen.get(name, s.choices[0] if isinstance(s, ChoicesSetting) else '' if isinstance(s, StringSetting) else 0)
        if isinstance(s, ChoicesSetting) and value not in s.choices:
            fail('%s: %r is not among %r' % (name, value, s.choices))
        setattr(hla, name, value)
    hla.__init__()
    return hla


def frames(csv_path):
    """The SPI analyzer's frames from a Logic 2 analyzer export."""
    with open(csv_path, newline='', encoding='utf-8') as f:
        rows = csv.reader(f)
        header = [h.strip().lower() for h in next(rows)]
        col = {name: header.index(name) for name in ('type', 'start_time', 'duration', 'mosi', 'miso')}
        for row in rows:
            start = float(row[col['start_time']])
            data = {}
            for lane in ('mosi', 'miso'):
                if row[col[lane]]:
                    data[lane] = bytes([int(row[col[lane]], 0)])
            yield AnalyzerFrame(row[col['type']], StandInTime(start), StandInTime(start + float(row[col['duration']] or 0)), data)


def render(fmt, frame):
    def value(m):
        key = m.group(1)
        if key == 'type':
            return frame.type
        if not key.startswith('data.') or key[5:] not in frame.data:
            fail('%s frame: its format names {{%s}}, which its data lacks' % (frame.type, key))
        v = frame.data[key[5:]]
        return v.hex() if isinstance(v, bytes) else str(v)
    return re.sub(r'\{\{\s*([\w.]+)\s*\}\}', value, fmt)


def main():
    ext_dir, csv_path = sys.argv[1], sys.argv[2]
    chosen = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    analyzer = load(ext_dir)
    fmts = formats(analyzer)
    hla = instantiate(analyzer, chosen)
    # The input frames' times, kept alive so their ids stay theirs.
    given = {}
    last_end = None
    out = sys.stdout
    for frame in frames(csv_path):
        given[id(frame.start_time)] = frame.start_time
        given[id(frame.end_time)] = frame.end_time
        returned = hla.decode(frame)
        for f in [] if returned is None else returned if isinstance(returned, list) else [returned]:
            if not isinstance(f, AnalyzerFrame) or f.type not in fmts:
                fail('decode() returned %r, not an AnalyzerFrame of a declared type' % (f,))
            bad = [k for k, v in f.data.items() if not isinstance(k, str) or not isinstance(v, PLAIN)]
            if bad:
                fail('%s frame: data values of unsupported types: %s' % (f.type, ', '.join(map(str, bad))))
            if id(f.start_time) not in given or id(f.end_time) not in given:
                fail('%s frame: times that are not input frames\' times' % f.type)
            # Whole nanoseconds: a byte's end and the next byte's start are one instant, whatever the float sum says.
            start, end = round(f.start_time._seconds * 1e9), round(f.end_time._seconds * 1e9)
            if end < start or (last_end is not None and start < last_end):
                fail('%s frame at %d ns: out of order or overlapping the frame before (ends %d ns)' % (f.type, start, last_end or 0))
            last_end = end
            data = {k: v.hex() if isinstance(v, bytes) else v for k, v in f.data.items()}
            out.write(json.dumps({'type': f.type, 'start': start, 'end': end, 'data': data, 'text': render(fmts[f.type], f)}, ensure_ascii=False) + '\n')


main()
