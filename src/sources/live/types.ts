/**
 * The contract every live input honours (a bridge over TCP or a serial port, a bridge stream or a
 * streamed VCD on standard input). `openLiveSource(spec, options)` in open.ts returns a LiveSource.
 *
 * `records` yields transaction-level records as they arrive: TxnRecord, LineRecord and
 * AnomalyRecord (capture-gap for a reconnect or a bridge overflow, stream-level faults), in time
 * order, ns from the start of the capture. Frames are not decoded here: the consumer runs the link
 * stage (decodeLink) like it does for files. The stream ends when `stop()` is called (after what
 * was already received is yielded), when `signal` aborts, or when a source without reconnect ends
 * (standard input at EOF).
 *
 * Example:
 *   const live = await openLiveSource('tcp://127.0.0.1:7878', { reconnect: true });
 *   process.once('SIGINT', () => live.stop());
 *   for await (const batch of decodeLink(live.records)) ...
 */
import type { RecordStream } from '../../records/types.ts';
import type { SpiDetection } from '../../spi/detect.ts';
import type { SpiMode } from '../../spi/types.ts';

export interface LiveSourceOptions {
  /** Serial ports: baud rate (default 921600; a USB CDC port ignores it). */
  readonly baud?: number;
  /** Retry a dropped TCP or serial connection with backoff (default true). */
  readonly reconnect?: boolean;
  /** Upper bound of the reconnect backoff (default 2000 ms; it starts at 100 ms and doubles). */
  readonly maxBackoffMs?: number;
  /** Aborting ends the stream like stop(). */
  readonly signal?: AbortSignal;
  /** Connection state changes, for status lines. */
  readonly onStatus?: (status: LiveStatus) => void;
  /** Records held for a slow consumer before the transport stops reading (default 8192). */
  readonly maxBacklog?: number;
  /** A VCD on standard input: channel roles ("sck=0,mosi=1,..."), else matched by name. */
  readonly channels?: string;
  /** A VCD on standard input: the SPI mode, or 'auto' (default) to detect it. */
  readonly mode?: SpiMode | 'auto';
  /** A VCD on standard input: the detected SPI mode, once known. */
  readonly onDetect?: (d: SpiDetection) => void;
  /** A VCD on standard input: facts from the SPI stage (framing by clock gaps, ...). */
  readonly onNote?: (text: string) => void;
  /**
   * A VCD on standard input, with mode 'auto': how sure a transaction is of the link protocol
   * (src/link/select.ts spiScorerFor); without it the mode comes from the signal timing alone.
   */
  readonly scorer?: (mosi: Uint8Array, miso: Uint8Array) => number;
}

export interface LiveStatus {
  readonly state: 'connecting' | 'connected' | 'disconnected' | 'ended';
  /** One line for people, e.g. "connected to 127.0.0.1:7878 (bridge buddyshark-sim, 1 GHz clock)". */
  readonly detail: string;
}

export interface LiveStats {
  /** Bytes received from the transport. */
  bytes: number;
  /** Bridge packets (or VCD changes) decoded. */
  packets: number;
  /** Records yielded. */
  records: number;
  /** Times the reader skipped garbage to find the next packet. */
  resyncs: number;
  /** Bridge packets dropped for a bad CRC (damaged in transit). */
  badPackets: number;
  /** Gaps recorded (reconnects and bridge overflow reports). */
  gaps: number;
  reconnects: number;
  /** Records decoded but not yet taken by the consumer (what a slow consumer leaves behind). */
  backlog: number;
  /** The largest backlog so far (optional: set by openLiveSource; stand-ins may leave it out). */
  peakBacklog?: number;
}

export interface LiveSource {
  /** The spec as given, for messages: "tcp://127.0.0.1:7878", "serial:/dev/ttyACM0", "<stdin>". */
  readonly name: string;
  readonly records: RecordStream;
  readonly stats: LiveStats;
  stop(): void;
}
