import { UserFacingError } from '../errors.ts';

/** A malformed, truncated or hostile input file: the message names the file and the place in it. */
export class SourceError extends UserFacingError {
  override name = 'SourceError';

  constructor(readonly source: string, readonly where: string, readonly reason: string) {
    super(`${source}: ${where}: ${reason}`);
  }
}
