"""Runs the shared Python core over transactions on stdin and prints what it decoded, so
test/sigrok/core.test.ts can compare it record for record with the TypeScript LinkDecoder.

stdin, one JSON object a line: {"txn": 3, "mosi": "<hex>", "miso": "<hex>"}, and {"session": true}
to end a capture (the core's finish() runs) and start the next with a fresh decoder; the input's
end ends the last. stdout, one JSON object a line per frame or anomaly, in the core's order, and
{"kind": "end"} after each capture:
  {"kind": "frame", "txn", "dir", "channel", "seq", "ack", "flags", "credit", "epoch", "payload",
   "fragments"?, "message"?, "decoded"?}
  {"kind": "anomaly", "code", "txn"?, "dir"?, "offset"?, "count"?}
Usage: python3 link_runner.py CORE_PARENT_DIR
"""

import json
import sys

sys.path.insert(0, sys.argv[1])

from buddylink_core import Anomaly, LinkDecoder  # noqa: E402
from buddylink_core.messages import Message  # noqa: E402


def decoded(d):
    if not isinstance(d, Message):
        return None
    if d.kind == 'control':
        out = {'kind': 'control', 'type': d.name or 'unknown', 'id': d.id}
        if d.name is None:
            out['code'] = d.code
        return out
    out = {'kind': 'trace', 'type': d.name or 'unknown'}
    if d.name is None:
        out['variant'] = d.code
    return out


def record(e):
    if isinstance(e, Anomaly):
        r = {'kind': 'anomaly', 'code': e.code, 'txn': e.txn, 'dir': e.direction, 'offset': e.offset, 'count': e.count}
        return {k: v for k, v in r.items() if v is not None}
    h = e.header
    r = {
        'kind': 'frame', 'txn': e.txn, 'dir': e.direction, 'channel': h.channel, 'seq': h.seq, 'ack': h.ack,
        'flags': h.flags, 'credit': h.credit, 'epoch': h.epoch, 'payload': e.payload.hex(),
    }
    if e.message is not None:
        r['fragments'] = e.fragments
        r['message'] = e.message.hex()
        d = decoded(e.decoded)
        if d:
            r['decoded'] = d
    return r


def main():
    link = LinkDecoder()
    out = sys.stdout

    def end():
        for e in link.finish():
            out.write(json.dumps(record(e)) + '\n')
        out.write('{"kind": "end"}\n')

    for line in sys.stdin:
        if not line.strip():
            continue
        t = json.loads(line)
        if t.get('session'):
            end()
            link = LinkDecoder()
            continue
        for e in link.transaction(t['txn'], bytes.fromhex(t['mosi']), bytes.fromhex(t['miso'])).events:
            out.write(json.dumps(record(e)) + '\n')
    end()


main()
