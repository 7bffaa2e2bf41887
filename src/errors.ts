/**
 * The one base class for errors a user meets as a message rather than a bug: bad input (a
 * malformed, truncated or hostile file), a bad option, a refused action (an output that exists).
 * The CLI prints `message` as one line on stderr and exits with `exitCode`; any other error is a
 * bug and keeps its stack trace.
 *
 * Every layer may throw one (sources, pcapng, sim, replay, exports, cli): this module imports
 * nothing, so depending on it never bends the layering. src/protocol/ stays free of it on purpose
 * (its codecs return results, and its few throws are programming errors).
 *
 * Example: class SourceError extends UserFacingError { ... }; `buddyshark: x.sr: byte 12: ...`, exit 2.
 */

/** Exit status for bad input or options (1 is kept for "ran, and the answer is no": a replay divergence). */
export const EXIT_BAD_INPUT = 2;

const ERRNO_TEXT: Readonly<Record<string, string>> = {
  ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'is a directory',
  EEXIST: 'already exists (use --force to overwrite)', ENOTDIR: 'not a directory', ENOSPC: 'no space left on the device',
  EROFS: 'read-only file system', ENAMETOOLONG: 'file name too long', ELOOP: 'too many symbolic links',
};

/** A system error (ENOENT, EISDIR, ...) in a user's words; Node's own text for codes not listed. */
export function systemErrorText(err: NodeJS.ErrnoException): string {
  return ERRNO_TEXT[err.code ?? ''] ?? err.message;
}

/** True for an error from a system call on a file (an errno code such as ENOENT, and the call or the path). */
export function isSystemError(err: unknown): err is NodeJS.ErrnoException & { code: string } {
  return err instanceof Error && 'code' in err && typeof err.code === 'string' && ('syscall' in err || 'path' in err);
}

export class UserFacingError extends Error {
  // Subclasses override it with their own literal name: a bundler may rename classes, so the
  // name is never taken from the constructor.
  override name = 'UserFacingError';

  constructor(message: string, readonly exitCode: number = EXIT_BAD_INPUT) {
    super(message);
  }
}

function isPathError(err: unknown): err is NodeJS.ErrnoException & { path: string } {
  return isSystemError(err) && typeof err.path === 'string';
}

/**
 * The one line a user sees for an error, or null for a bug (whose stack must show): a
 * UserFacingError's message, or a system error on a named path in a user's words.
 */
export function userMessage(err: unknown): string | null {
  if (err instanceof UserFacingError) return err.message;
  if (isPathError(err)) return `${err.path}: ${systemErrorText(err)}`;
  return null;
}
