/**
 * The buddy's transmit side toward the CPU: three queues and the fragmenter.
 *
 * - control: messages (replies, events); not credited; the buddy reserves room for them, so the
 *   queue is not bounded here (max_requests bounds what the CPU can cause).
 * - ethernet: frames received over the air for the CPU; bounded (`ethCapacity`, default 16): a full
 *   queue drops the frame and counts it (rx_dropped).
 * - trace: encoded trace messages; bounded (`traceCapacity`, default 32); the tracer counts drops.
 *
 * `next()` picks by priority control > ethernet > trace, but a fragmented message in progress is
 * always continued first (fragments of one message are consecutive in their direction).
 */
import { Channel } from '../../protocol/constants.ts';
import { fragment } from '../../protocol/fragment.ts';

import type { OutFrame } from '../out-frame.ts';

export class BuddyTxQueues {
  private control: Uint8Array[] = [];
  private ethernet: Uint8Array[] = [];
  private trace: Uint8Array[] = [];
  private current: { channel: number; parts: Uint8Array[]; at: number } | null = null;

  constructor(readonly ethCapacity = 16, readonly traceCapacity = 32) {}

  pushControl(msg: Uint8Array): void {
    this.control.push(msg);
  }

  /** False when the queue is full (the caller counts the drop). */
  pushEthernet(frame: Uint8Array): boolean {
    if (this.ethernet.length >= this.ethCapacity) return false;
    this.ethernet.push(frame);
    return true;
  }

  pushTrace(msg: Uint8Array): boolean {
    if (this.trace.length >= this.traceCapacity) return false;
    this.trace.push(msg);
    return true;
  }

  get traceRoom(): number {
    return this.traceCapacity - this.trace.length;
  }
  get ethLength(): number {
    return this.ethernet.length;
  }
  get controlLength(): number {
    return this.control.length;
  }

  /** True if `next(canSendCredited)` would return a frame. */
  hasPending(canSendCredited: boolean): boolean {
    return this.current !== null || this.control.length > 0 || this.trace.length > 0 || (canSendCredited && this.ethernet.length > 0);
  }

  /** Takes the next frame to send, or null (idle). */
  next(canSendCredited: boolean, maxPayload: number): OutFrame | null {
    if (!this.current) {
      let channel: number;
      let msg: Uint8Array | undefined;
      if ((msg = this.control.shift())) channel = Channel.control;
      else if (canSendCredited && (msg = this.ethernet.shift())) return { channel: Channel.ethernet, payload: msg, more: false, cont: false };
      else if ((msg = this.trace.shift())) channel = Channel.trace;
      else return null;
      this.current = { channel, parts: fragment(msg, maxPayload), at: 0 };
    }
    const c = this.current;
    const cont = c.at > 0;
    const payload = c.parts[c.at++];
    const more = c.at < c.parts.length;
    if (!more) this.current = null;
    return { channel: c.channel, payload, more, cont };
  }

  clear(): void {
    this.control = [];
    this.ethernet = [];
    this.trace = [];
    this.current = null;
  }
}
