/**
 * A failed write or read of the server's own state (disk full, a read-only or forbidden folder) is not the caller's
 * fault and not a bug either: it becomes an error whose status and message tell the operator what to fix,
 * instead of a bare errno string surfacing as INTERNAL.
 */
import { ResourceExhaustedError, StorageError, TaanError, UnavailableError } from './errors.js';

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
/** A read that failed because nothing is there (a path component may be a file instead of a folder). */
const MISSING = new Set(['ENOENT', 'ENOTDIR']);

/** `what` says what was being written, e.g. "could not store the upload". Other errors pass through unchanged. */
export function storageError(err: unknown, what: string): unknown {
  if (err instanceof TaanError) return err;
  const code = errnoCode(err);
  if (code && NO_SPACE.has(code)) return new ResourceExhaustedError(`${what}: no space left on the server's disk (${code})`);
  if (code && NOT_WRITABLE.has(code)) {
    return new UnavailableError(`${what}: the server may not write its state there (${code}; an operator must fix the folder's permissions or mount)`);
  }
  return err;
}

/** Whether a failed read means that nothing is there, which the caller may treat as "none" or "not found". */
export function isMissing(err: unknown): boolean {
  const code = errnoCode(err);
  return code !== undefined && MISSING.has(code);
}

/** A failed read that is not isMissing: a StorageError saying what was read and the errno. TaanErrors pass through. */
export function readError(err: unknown, what: string): TaanError {
  if (err instanceof TaanError) return err;
  const detail = errnoCode(err) ?? (err instanceof Error ? err.message : String(err));
  return new StorageError(`${what}: ${detail}`, { cause: err });
}

function errnoCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
