/**
 * Maps errors to the one-line message and exit code a user sees. Every user-facing error of every
 * layer extends UserFacingError (src/errors.ts); a system error on a named path (ENOENT, EACCES,
 * ...) is one too. Anything else is a bug: messageFor returns null and main.ts lets its stack show.
 */
import { EXIT_BAD_INPUT, isSystemError, systemErrorText, UserFacingError } from '../errors.ts';

function isPathError(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  return isSystemError(err) && typeof err.path === 'string';
}

export function messageFor(err: unknown): string | null {
  if (err instanceof UserFacingError) return err.message;
  if (isPathError(err)) return `${err.path}: ${systemErrorText(err)}`;
  return null;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof UserFacingError ? err.exitCode : EXIT_BAD_INPUT;
}
