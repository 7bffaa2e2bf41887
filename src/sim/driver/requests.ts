/**
 * The CPU driver's request table: id allocation (1, 2, 3 ...; 0 is reserved for events), at most
 * `maxRequests` outstanding (the rest wait their turn), a timeout per request and up to `retries`
 * (2) re-sends with the same id, then a `timeout` outcome. Every request settles exactly once:
 * with its reply, with the buddy's `error`, with `timeout`, or with `buddy-reset` when the buddy
 * rebooted while it was outstanding. `reset` requests are settled by the next boot.
 */
import type { ControlBody, ControlType } from '../../protocol/control-schema.ts';
import { controlMessage, encodeControl, type ControlMessage } from '../../protocol/control.ts';
import type { Scheduler, Timer } from '../scheduler.ts';

export type RequestOutcome =
  | { readonly ok: true; readonly id: number; readonly type: ControlType; readonly reply: ControlMessage | null; readonly attempts: number; readonly latencyNs: number }
  | { readonly ok: false; readonly id: number; readonly type: ControlType; readonly code: string; readonly text: string; readonly attempts: number };

interface Pending {
  readonly id: number;
  readonly type: ControlType;
  readonly bytes: Uint8Array;
  readonly timeoutNs: number;
  readonly resolve: (o: RequestOutcome) => void;
  attempts: number;
  sentAt: number;
  timer: Timer | null;
}

export interface RequestStats {
  sent: number;
  retries: number;
  answered: number;
  errors: number;
  timeouts: number;
  resetFailures: number;
}

export class RequestTable {
  maxRequests = 1;
  /** False until the handshake is done: only hello goes out before. */
  open = false;
  readonly stats: RequestStats = { sent: 0, retries: 0, answered: 0, errors: 0, timeouts: 0, resetFailures: 0 };
  private nextId = 1;
  private outstanding = new Map<number, Pending>();
  private waiting: Pending[] = [];

  constructor(private readonly sched: Scheduler, private readonly send: (bytes: Uint8Array) => void, private readonly retries = 2) {}

  get outstandingCount(): number {
    return this.outstanding.size;
  }

  request<T extends ControlType>(type: T, body: ControlBody<T>, timeoutNs: number, urgent = false): Promise<RequestOutcome> {
    const id = this.nextId;
    this.nextId = this.nextId >= 0xffffffff ? 1 : this.nextId + 1;
    const bytes = encodeControl(controlMessage(type, id, body));
    return new Promise((resolve) => {
      const p: Pending = { id, type, bytes, timeoutNs, resolve, attempts: 0, sentAt: 0, timer: null };
      if (urgent) this.transmit(p);
      else {
        this.waiting.push(p);
        this.pump();
      }
    });
  }

  /** Sends waiting requests while the window allows. */
  pump(): void {
    while (this.open && this.waiting.length && this.outstanding.size < this.maxRequests) this.transmit(this.waiting.shift() as Pending);
  }

  private transmit(p: Pending): void {
    this.outstanding.set(p.id, p);
    p.attempts++;
    p.sentAt = this.sched.now;
    this.stats.sent++;
    this.send(p.bytes);
    p.timer = this.sched.after(p.timeoutNs, () => this.expire(p));
  }

  private expire(p: Pending): void {
    if (this.outstanding.get(p.id) !== p) return;
    if (p.attempts <= this.retries) {
      this.stats.retries++;
      this.outstanding.delete(p.id);
      this.transmit(p);
      return;
    }
    this.stats.timeouts++;
    this.settle(p, { ok: false, id: p.id, type: p.type, code: 'timeout', text: `no reply after ${p.attempts} attempts`, attempts: p.attempts });
  }

  private settle(p: Pending, o: RequestOutcome): void {
    if (p.timer) p.timer.cancelled = true;
    this.outstanding.delete(p.id);
    this.sched.wake();
    p.resolve(o);
    this.pump();
  }

  /** A reply or error from the buddy; false if it matches nothing outstanding (late duplicate). */
  onReply(msg: ControlMessage): boolean {
    const p = this.outstanding.get(msg.id);
    if (!p || p.type === 'reset') return false;
    if (msg.type === 'error') {
      this.stats.errors++;
      this.settle(p, { ok: false, id: p.id, type: p.type, code: msg.body.code, text: msg.body.text, attempts: p.attempts });
    } else {
      this.stats.answered++;
      this.settle(p, { ok: true, id: p.id, type: p.type, reply: msg, attempts: p.attempts, latencyNs: this.sched.now - p.sentAt });
    }
    return true;
  }

  /** The buddy rebooted: outstanding requests fail (a `reset` request succeeds with the boot, if seen). */
  onBoot(boot: ControlMessage | null): void {
    for (const p of [...this.outstanding.values()]) {
      if (p.type === 'reset') {
        this.stats.answered++;
        this.settle(p, { ok: true, id: p.id, type: p.type, reply: boot, attempts: p.attempts, latencyNs: this.sched.now - p.sentAt });
      } else {
        this.stats.resetFailures++;
        this.settle(p, { ok: false, id: p.id, type: p.type, code: 'buddy-reset', text: 'the buddy rebooted before replying', attempts: p.attempts });
      }
    }
  }
}
