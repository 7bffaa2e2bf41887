/**
 * Maps errors to the one-line message and exit code a user sees. Every user-facing error of every
 * layer extends UserFacingError (src/errors.ts); a system error on a named path (ENOENT, EACCES,
 * ...) is one too. Anything else is a bug: messageFor returns null and main.ts lets its stack show.
 */
import { EXIT_BAD_INPUT, UserFacingError, userMessage } from '../errors.ts';

export const messageFor = userMessage;

export function exitCodeFor(err: unknown): number {
  return err instanceof UserFacingError ? err.exitCode : EXIT_BAD_INPUT;
}
