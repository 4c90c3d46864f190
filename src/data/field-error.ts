/** Errors of the dataset readers, tied to the request field that named the file. */
import path from 'node:path';
import { InvalidArgumentError, TaanError } from '../errors/errors.js';

/** Wraps a failure into an InvalidArgumentError that names the request field it came from. */
export function withField(err: unknown, field: string, file?: string): TaanError {
  // Only our own invalid-argument errors and I/O or parse failures become INVALID_ARGUMENT; a cancellation stays one.
  if (err instanceof TaanError && !(err instanceof InvalidArgumentError)) return err;
  if (err instanceof TaanError && err.violations.length > 0) return err;
  const sys = err as NodeJS.ErrnoException | undefined;
  const name = file ? path.basename(file) : '';
  let message = err instanceof Error ? err.message : String(err);
  // A system error's message holds the absolute server path: name the file only.
  if (sys?.syscall !== undefined) message = `cannot read ${name}: ${sys.code ?? 'I/O error'}`;
  else if (file && !(err instanceof TaanError)) message = `${name}: ${message}`;
  return new InvalidArgumentError(message, [{ field, description: message }]);
}
