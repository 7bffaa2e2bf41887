/**
 * esp-hosted's frame checksum: the 16-bit wrapping sum of every byte of header and payload, with
 * the checksum field itself counted as zero (the sender computes it before filling the field; the
 * receiver zeroes it before recomputing). Both ends use the same `compute_checksum`.
 */
export function frameChecksum(buf: Uint8Array, length: number, checksumAt: number): number {
  let sum = 0;
  const end = Math.min(length, buf.length);
  for (let i = 0; i < end; i++) sum += buf[i];
  if (checksumAt + 1 < end) sum -= buf[checksumAt] + buf[checksumAt + 1];
  return sum & 0xffff;
}
