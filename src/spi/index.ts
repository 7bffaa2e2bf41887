/**
 * The SPI stage's public surface: decodeSpi (changes -> records), detectSpiMode (auto mode),
 * renderSpi (transactions -> changes, for the simulator) and the shared types.
 */
export { decodeSpi, checkMode, type DecodeSpiOptions } from './decode.ts';
export { detectSpiMode, detectFromBatches, type SpiDetection, type SpiScorer, type CandidateScore, type DetectOptions } from './detect.ts';
export {
  renderSpi, renderedEndNs, RENDER_CHANNELS, RENDER_MAP, DEFAULT_BIT_HZ,
  type RenderItem, type RenderTxn, type RenderLine, type RenderOptions,
} from './render.ts';
export { SpiDecoder, type DecoderConfig } from './decoder.ts';
export { DEFAULT_MODE, modeNumber, type SpiMode, type SpiTransaction } from './types.ts';
