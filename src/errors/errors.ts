/**
 * Every failure we expect carries a gRPC-shaped code; the gRPC edge translates it once.
 * Anything thrown that is not a TaanError is a bug and becomes INTERNAL there.
 */
export type ErrorCode =
  | 'INVALID_ARGUMENT'
  | 'NOT_FOUND'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'CANCELLED'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'INTERNAL';

/** One offending field of a request, in google.rpc.BadRequest's sense. */
export interface FieldViolation {
  field: string;
  description: string;
}

export class TaanError extends Error {
  readonly code: ErrorCode;
  readonly violations: FieldViolation[];
  constructor(code: ErrorCode, message: string, violations: FieldViolation[] = [], options?: ErrorOptions) {
    super(message, options);
    this.name = 'TaanError';
    this.code = code;
    this.violations = violations;
  }
}

/** The caller sent something we cannot use; `field` names it. */
export class InvalidArgumentError extends TaanError {
  constructor(message: string, violations: FieldViolation[] = []) {
    super('INVALID_ARGUMENT', message, violations);
    this.name = 'InvalidArgumentError';
  }
  static field(field: string, description: string): InvalidArgumentError {
    return new InvalidArgumentError(`${field}: ${description}`, [{ field, description }]);
  }
}

export type NotFoundKind = 'job' | 'model' | 'version' | 'dataset' | 'file' | 'checkpoint' | 'sweep';

/** A named thing (job, model, version, ...) does not exist. */
export class NotFoundError extends TaanError {
  readonly kind: NotFoundKind;
  readonly id: string;
  constructor(kind: NotFoundKind, id: string, message = `${kind} not found: ${id}`) {
    super('NOT_FOUND', message);
    this.name = 'NotFoundError';
    this.kind = kind;
    this.id = id;
  }
}

/** The request is valid but the system is not in a state to do it (cancel a finished job). */
export class FailedPreconditionError extends TaanError {
  constructor(message: string) {
    super('FAILED_PRECONDITION', message);
    this.name = 'FailedPreconditionError';
  }
}

/** A configured limit was reached (queue full, batch too large). */
export class ResourceExhaustedError extends TaanError {
  constructor(message: string) {
    super('RESOURCE_EXHAUSTED', message);
    this.name = 'ResourceExhaustedError';
  }
}

/** The work was stopped on request (AbortSignal) at a step boundary. */
export class CancelledError extends TaanError {
  constructor(message = 'cancelled') {
    super('CANCELLED', message);
    this.name = 'CancelledError';
  }
}

/** Stored state (checkpoint, model file) failed its integrity check. */
export class CorruptDataError extends TaanError {
  constructor(message: string, violations: FieldViolation[] = []) {
    super('INVALID_ARGUMENT', message, violations);
    this.name = 'CorruptDataError';
  }
}

/**
 * The server could not read or list its own state (model files, labels, checkpoints) for a reason other than its
 * absence: a disk fault (EIO), a forbidden folder (EACCES). Not the caller's fault, and never "not found": an operator
 * must look, so whoever catches it logs it. `cause` keeps the errno error.
 */
export class StorageError extends TaanError {
  constructor(message: string, options?: ErrorOptions) {
    super('UNAVAILABLE', message, [], options);
    this.name = 'StorageError';
  }
}

/** The server or a part of it cannot take the call now (shutting down, a worker restarting); retry later. */
export class UnavailableError extends TaanError {
  constructor(message: string, options?: ErrorOptions) {
    super('UNAVAILABLE', message, [], options);
    this.name = 'UnavailableError';
  }
}

/** The call carries no token, or one the server does not know. */
export class UnauthenticatedError extends TaanError {
  constructor(message: string) {
    super('UNAUTHENTICATED', message);
    this.name = 'UnauthenticatedError';
  }
}

/** The token is valid but its roles do not allow this RPC. */
export class PermissionDeniedError extends TaanError {
  constructor(message: string) {
    super('PERMISSION_DENIED', message);
    this.name = 'PermissionDeniedError';
  }
}
