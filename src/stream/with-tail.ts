/**
 * Every streaming stage keeps state across batches (a half-built batch, records held back for
 * ordering, a message being reassembled) and owes a last batch when its input ends. `withTail`
 * runs a stage's batches, then yields its tail; when the input fails part-way the tail still goes
 * out before the error is rethrown, so nothing decoded before a fault is lost.
 *
 *   yield* withTail(body(), () => builder.finish());   // finish() returns a batch or null
 */
export async function* withTail<T>(body: AsyncIterable<T>, tail: () => T | null): AsyncGenerator<T> {
  try {
    yield* body;
  } catch (err) {
    const rest = tail();
    if (rest !== null) yield rest;
    throw err;
  }
  const rest = tail();
  if (rest !== null) yield rest;
}

/** A tail for stages whose finish() returns an array: an empty one is nothing to yield. */
export function nonEmpty<T>(items: T[]): T[] | null {
  return items.length > 0 ? items : null;
}
