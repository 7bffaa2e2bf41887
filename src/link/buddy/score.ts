/**
 * Scorer for SPI mode auto-detection: how many of a transaction's two directions start with a
 * valid link-frame header. The SPI stage calls it without knowing what a frame is.
 */
import { decodeHeader } from '../../protocol/frame.ts';

export function linkFrameScore(mosi: Uint8Array, miso: Uint8Array): number {
  return (decodeHeader(mosi).ok ? 1 : 0) + (decodeHeader(miso).ok ? 1 : 0);
}
