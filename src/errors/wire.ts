/**
 * Errors crossing a worker_threads boundary lose their class (structured clone keeps only plain data), so they
 * travel as {name, code, message, violations} and are rebuilt from a name -> constructor table. Never rely on
 * instanceof for an object that came out of postMessage.
 */
import {
  CancelledError,
  CorruptDataError,
  FailedPreconditionError,
  InvalidArgumentError,
  NotFoundError,
  ResourceExhaustedError,
  StorageError,
  TaanError,
  UnavailableError,
  type ErrorCode,
  type FieldViolation,
  type NotFoundKind,
} from './errors.js';

export interface WireError {
  name: string;
  code?: ErrorCode;
  message: string;
  stack?: string;
  violations?: FieldViolation[];
  kind?: NotFoundKind;
  id?: string;
}

export function toWire(err: unknown): WireError {
  if (err instanceof NotFoundError) return { name: err.name, code: err.code, message: err.message, kind: err.kind, id: err.id };
  if (err instanceof TaanError) return { name: err.name, code: err.code, message: err.message, violations: err.violations };
  if (err instanceof Error) return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) };
  return { name: 'Error', message: String(err) };
}

export function fromWire(w: WireError): Error {
  switch (w.name) {
    case 'InvalidArgumentError':
      return new InvalidArgumentError(w.message, w.violations ?? []);
    case 'CorruptDataError':
      return new CorruptDataError(w.message, w.violations ?? []);
    case 'NotFoundError':
      return new NotFoundError(w.kind ?? 'file', w.id ?? '', w.message);
    case 'FailedPreconditionError':
      return new FailedPreconditionError(w.message);
    case 'ResourceExhaustedError':
      return new ResourceExhaustedError(w.message);
    case 'CancelledError':
      return new CancelledError(w.message);
    case 'StorageError':
      return new StorageError(w.message);
    case 'UnavailableError':
      return new UnavailableError(w.message);
    default: {
      if (w.code) return new TaanError(w.code, w.message, w.violations ?? []);
      const e = new Error(w.message);
      e.name = w.name;
      if (w.stack) e.stack = w.stack;
      return e;
    }
  }
}
