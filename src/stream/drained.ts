import type { EventEmitter } from 'node:events';

/**
 * Resolves when a stream that refused a write drains, or when `end` fires instead (a stream that
 * closes or fails never drains), with both listeners removed either way. `events.once` cannot
 * wait for the first of two events without leaving the other listener behind.
 */
export function drained(stream: EventEmitter, end: 'close' | 'error'): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off(end, done);
      resolve();
    };
    stream.on('drain', done);
    stream.on(end, done);
  });
}
