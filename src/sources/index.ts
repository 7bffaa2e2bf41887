/** Public surface of the sources layer: open a capture file, map its channels to roles. */
export { openSource, openInput } from './open.ts';
export { resolveChannels, ROLE_ALIASES } from './channel-map.ts';
export { detectFormat } from './detect.ts';
export { SourceError } from './errors.ts';
export type { SourceStream, SourceStats, SourceFormat, OpenSourceOptions } from './types.ts';
export { SOURCE_FORMATS } from './types.ts';
