/**
 * The buddy's trace emitter (mnemos trace-proto over the trace channel).
 *
 * Emits at the configured max level (trace-proto numbering TRACE=0 .. ERROR=4: a callsite is
 * forwarded when its level >= the configured one; null = off). Each callsite's `register_meta` goes
 * out once per boot, before its first event. When the bounded trace queue is full the message is
 * dropped and counted by kind; as soon as there is room the counts go out in a `discarded` event.
 */
import { encodeTrace, type TraceEvent } from '../../protocol/trace.ts';

export interface Callsite {
  readonly id: number;
  readonly name: string;
  readonly target: string;
  readonly level: number;
  readonly kind: 'event' | 'span';
  readonly fields: readonly string[];
}

const cs = (id: number, name: string, target: string, level: number, fields: string[], kind: 'event' | 'span' = 'event'): Callsite =>
  ({ id, name, target, level, kind, fields });

/** The firmware's callsites. Levels: 0 TRACE, 1 DEBUG, 2 INFO, 3 WARN, 4 ERROR. */
export const CALLSITES = {
  boot: cs(1, 'boot', 'buddy::main', 2, ['reset_reason', 'epoch']),
  spiRx: cs(2, 'spi: rx frame', 'buddy::spi', 0, ['channel', 'len']),
  scanning: cs(3, 'wifi: scanning', 'buddy::wifi', 2, []),
  scanDone: cs(4, 'wifi: scan done', 'buddy::wifi', 2, ['aps']),
  connect: cs(5, 'wifi::connect', 'buddy::wifi', 2, ['ssid'], 'span'),
  associated: cs(6, 'wifi: associated', 'buddy::wifi', 2, ['ssid', 'rssi']),
  authFailed: cs(7, 'wifi: auth failed', 'buddy::wifi', 3, ['ssid']),
  beaconLoss: cs(8, 'wifi: beacon loss', 'buddy::wifi', 3, ['ssid']),
  rssi: cs(9, 'wifi: rssi', 'buddy::wifi', 1, ['rssi']),
  rxOverflow: cs(10, 'net: rx queue full, frame dropped', 'buddy::net', 3, ['dropped']),
  netTx: cs(11, 'net: tx frame', 'buddy::net', 0, ['len']),
  netRx: cs(12, 'net: rx frame', 'buddy::net', 0, ['len']),
  flowStop: cs(13, 'net: tx queue full, credit 0', 'buddy::net', 1, ['queued']),
} as const satisfies Record<string, Callsite>;

type FieldValue = string | number | boolean | null;

export interface TraceSink {
  pushTrace(msg: Uint8Array): boolean;
  readonly traceRoom: number;
}

export class Tracer {
  level: number | null = null;
  private registered = new Set<number>();
  private discarded = { new_spans: 0, span_activity: 0, events: 0, metas: 0 };
  private nextSpan = 1;
  /** Total dropped since boot (heartbeat and status report it). */
  droppedTotal = 0;

  constructor(private readonly sink: TraceSink) {}

  reset(): void {
    this.level = null;
    this.registered.clear();
    this.discarded = { new_spans: 0, span_activity: 0, events: 0, metas: 0 };
    this.nextSpan = 1;
    this.droppedTotal = 0;
  }

  enabled(c: Callsite): boolean {
    return this.level !== null && c.level >= this.level;
  }

  event(c: Callsite, fields: Record<string, FieldValue>, parent?: number): void {
    if (!this.enabled(c) || !this.meta(c)) return;
    const body = parent ? { meta: c.id, parent, fields } : { meta: c.id, fields };
    this.emit({ type: 'event', body }, 'events');
  }

  /** Opens a span and enters it; returns its id (null when tracing is off for it). */
  enterSpan(c: Callsite, fields: Record<string, FieldValue>): number | null {
    if (!this.enabled(c) || !this.meta(c)) return null;
    const id = this.nextSpan++;
    this.emit({ type: 'new_span', body: { id, meta: c.id, is_root: true, fields } }, 'new_spans');
    this.emit({ type: 'enter', body: { id } }, 'span_activity');
    return id;
  }

  exitSpan(id: number | null): void {
    if (id === null) return;
    this.emit({ type: 'exit', body: { id } }, 'span_activity');
    this.emit({ type: 'drop_span', body: { id } }, 'span_activity');
  }

  private meta(c: Callsite): boolean {
    if (this.registered.has(c.id)) return true;
    const ok = this.emit({
      type: 'register_meta',
      body: { id: c.id, name: c.name, target: c.target, level: c.level, kind: c.kind, fields: [...c.fields] },
    }, 'metas');
    if (ok) this.registered.add(c.id);
    else {
      // The event that needed this meta is lost too.
      this.discarded.events++;
      this.droppedTotal++;
    }
    return ok;
  }

  /** Reports drops as soon as the queue has room again (called before each arm and each emit). */
  flushDiscarded(): void {
    const d = this.discarded;
    if (d.new_spans + d.span_activity + d.events + d.metas === 0 || this.sink.traceRoom < 2) return;
    if (this.sink.pushTrace(encodeTrace({ type: 'discarded', body: { ...d } }))) this.discarded = { new_spans: 0, span_activity: 0, events: 0, metas: 0 };
  }

  private emit(ev: TraceEvent, kind: keyof Tracer['discarded']): boolean {
    this.flushDiscarded();
    if (this.sink.pushTrace(encodeTrace(ev))) return true;
    this.discarded[kind]++;
    this.droppedTotal++;
    return false;
  }
}
