/**
 * Does the simulated driver obey the protocol, not merely match the capture? Both transaction
 * streams (captured, and the driver's MOSI against the MISO it was answered with) go through the
 * link stage's own checks; a rule the driver breaks where the captured CPU did not (a credit
 * overrun, a repeated or skipped seq, a bad message, a frame for a stale epoch) is a divergence
 * of its own, reported at its transaction. Anomalies the capture has too are faithful, not new.
 */
import { LinkDecoder } from '../link/buddy/decoder.ts';
import type { AnomalyCode, AnomalyRecord, TxnRecord } from '../records/types.ts';
import type { CapturedTxn } from './captured.ts';
import type { CompareLevel, Divergence } from './compare.ts';

/** The link-stage findings that are the CPU's doing. */
const CPU_RULES: ReadonlySet<AnomalyCode> = new Set([
  'credit-overrun', 'repeat-frame', 'lost-frames', 'stale-epoch', 'reserved-flags', 'oversized', 'bad-cbor', 'schema', 'unknown-message',
]);

export class ProtocolCheck {
  private readonly captured = new LinkDecoder();
  private readonly simulated = new LinkDecoder();
  /** Captured CPU-side findings by transaction, kept until the simulated side passes them. */
  private readonly seen = new Map<number, AnomalyCode[]>();
  violations = 0;

  constructor(private readonly level: CompareLevel) {}

  /** One transaction: the captured one, and the simulated driver's MOSI for it. */
  check(c: CapturedTxn, simMosi: Uint8Array): Divergence[] {
    const miso = c.miso ?? new Uint8Array(simMosi.length).fill(0xff);
    const codes = this.findings(this.captured, { kind: 'txn', txn: c.index, startNs: c.startNs, endNs: c.endNs, mosi: c.mosi ?? new Uint8Array(0), miso });
    if (codes.length) this.seen.set(c.index, codes.map((a) => a.code));
    const out: Divergence[] = [];
    for (const a of this.findings(this.simulated, { kind: 'txn', txn: c.index, startNs: c.startNs, endNs: c.endNs, mosi: simMosi, miso })) {
      const faithful = this.seen.get(c.index);
      const at = faithful?.indexOf(a.code) ?? -1;
      if (faithful && at >= 0) {
        faithful.splice(at, 1);
        continue;
      }
      this.violations++;
      out.push({ txn: c.index, atNs: c.startNs, dir: 'cpu-to-buddy', level: this.level, what: `the simulated driver breaks a protocol rule the captured CPU kept: ${a.code}: ${a.detail}`, expected: null, actual: null });
    }
    this.seen.delete(c.index - 1);
    return out;
  }

  private findings(link: LinkDecoder, t: TxnRecord): AnomalyRecord[] {
    return link.push([t]).filter((r): r is AnomalyRecord => r.kind === 'anomaly' && r.dir === 'cpu-to-buddy' && CPU_RULES.has(r.code));
  }
}
