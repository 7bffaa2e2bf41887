import { UserFacingError } from '../errors.ts';

/** A capture replay cannot use as asked (the CLI prints it on one line and exits 2). */
export class ReplayInputError extends UserFacingError {
  override name = 'ReplayInputError';
  constructor(readonly capture: string, readonly code: 'no-lines' | 'stdin' | 'empty' | 'protocol', reason: string) {
    super(`${capture}: ${reason}`);
  }
}
