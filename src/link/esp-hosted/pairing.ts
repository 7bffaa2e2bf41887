/**
 * Request/response pairing. FG and MCU: a response's msg_id is its request's plus a fixed offset
 * (100, 0x100), matched to the oldest open request with that id (and the same uid when the
 * response carries one). NG: command code and the command header's seq_num.
 */
import type { RequestLink } from './records.ts';

interface Open {
  readonly reqNo: number;
  readonly txn: number;
  readonly uid: number;
}

export class RequestPairing {
  private readonly open = new Map<string, Open[]>();
  private count = 0;

  request(key: string, txn: number, uid = 0): RequestLink {
    const reqNo = ++this.count;
    const list = this.open.get(key) ?? [];
    list.push({ reqNo, txn, uid });
    this.open.set(key, list);
    return { reqNo, role: 'request' };
  }

  /** The link for a response, or undefined when no request of it was seen (capture started later). */
  response(key: string, uid = 0): RequestLink | undefined {
    const list = this.open.get(key);
    if (!list || list.length === 0) return undefined;
    let i = uid !== 0 ? list.findIndex((o) => o.uid === uid) : 0;
    if (i < 0) i = 0;
    const [o] = list.splice(i, 1);
    return { reqNo: o.reqNo, role: 'response', requestTxn: o.txn };
  }

  reset(): void {
    this.open.clear();
  }
}
