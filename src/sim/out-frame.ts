/**
 * The next frame one end of the simulated link sends: its channel, payload and fragment flags
 * (docs/protocol.md, "Fragmentation": every fragment but the last is MORE, every one but the first
 * CONT). Shared by the buddy's queues and the CPU driver, which both hand one to their link layer.
 */
export interface OutFrame {
  readonly channel: number;
  readonly payload: Uint8Array;
  readonly more: boolean;
  /** Continues a message begun in an earlier frame (every fragment but the first). */
  readonly cont: boolean;
}
