/** Maps errors to the one-line message and exit code a user sees. Unknown errors return null. */
import { UserError } from './output.ts';

/** Errors that describe bad input or a refused action, raised by the layers below the CLI. */
// Matched by name, so this module stays light (the CLI loads it before any command).
const INPUT_ERRORS = new Set(['SourceError', 'OutputExistsError', 'ScenarioError', 'ReplayInputError', 'RecordJsonError']);

function isInputError(err: unknown): err is Error {
  return err instanceof Error && INPUT_ERRORS.has(err.name);
}

export function messageFor(err: unknown): string | null {
  if (err instanceof UserError || isInputError(err)) return err.message;
  if (err instanceof Error && 'code' in err && typeof err.code === 'string' && 'path' in err) {
    const e = err as NodeJS.ErrnoException;
    const what: Record<string, string> = {
      ENOENT: 'no such file', EACCES: 'permission denied', EISDIR: 'is a directory', EEXIST: 'already exists (use --force to overwrite)',
      ENOTDIR: 'not a directory',
    };
    return `${e.path}: ${what[e.code ?? ''] ?? e.message}`;
  }
  return null;
}

export function exitCodeFor(err: unknown): number {
  return err instanceof UserError ? err.exitCode : 2;
}
