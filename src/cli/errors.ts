/**
 * Maps errors to the one-line message and exit code a user sees. Every user-facing error of every
 * layer extends UserFacingError (src/errors.ts); a system error on a named path (ENOENT, EACCES,
 * ...) is one too. Anything else is a bug: messageFor returns null and main.ts lets its stack show.
 */
import { EXIT_BAD_INPUT, UserFacingError } from '../errors.ts';

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'is a directory',
  EEXIST: 'already exists (use --force to overwrite)', ENOTDIR: 'not a directory', ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system', ENAMETOOLONG: 'file name too long', ELOOP: 'too many symbolic links',
};

function isPathError(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && 'path' in err && typeof err.path === 'string';
}

export function messageFor(err: unknown): string | null {
  if (err instanceof UserFacingError) return err.message;
  if (isPathError(err)) return `${err.path}: ${ERRNO_TEXT[err.code ?? ''] ?? err.message}`;
  return null;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof UserFacingError ? err.exitCode : EXIT_BAD_INPUT;
}
