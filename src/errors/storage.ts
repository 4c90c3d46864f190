/**
 * A failed write of the server's own state (disk full, a read-only or forbidden folder) is not the caller's
 * fault and not a bug either: it becomes an error whose status and message tell the operator what to fix,
 * instead of a bare errno string surfacing as INTERNAL.
 */
import { ResourceExhaustedError, TaanError, UnavailableError } from './errors.js';

const NO_SPACE = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
const NOT_WRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);

/** `what` says what was being written, e.g. "could not store the upload". Other errors pass through unchanged. */
export function storageError(err: unknown, what: string): unknown {
  if (err instanceof TaanError) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code && NO_SPACE.has(code)) return new ResourceExhaustedError(`${what}: no space left on the server's disk (${code})`);
  if (code && NOT_WRITABLE.has(code)) {
    return new UnavailableError(`${what}: the server may not write its state there (${code}; an operator must fix the folder's permissions or mount)`);
  }
  return err;
}
