/**
 * Typed arrays for change batches, without the zero-fill of `new Float64Array(n)`: every slot is
 * written before it is read, and batches are allocated at the reader's pace.
 */
export function uninitFloat64(n: number): Float64Array {
  return new Float64Array(Buffer.allocUnsafeSlow(n * 8).buffer, 0, n);
}

export function uninitUint32(n: number): Uint32Array {
  return new Uint32Array(Buffer.allocUnsafeSlow(n * 4).buffer, 0, n);
}
