/**
 * Every failure the CLI shows is one line on stderr and a non-zero exit code: people read it, scripts test the
 * code. gRPC statuses keep their code name so the line says which side went wrong.
 */
import * as grpc from '@grpc/grpc-js';
import { decodeFieldViolations } from '../grpc/status.js';

/** A failure whose message is already meant for people (bad input file, conflicting flags, ...). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

function isServiceError(err: unknown): err is grpc.ServiceError {
  return err instanceof Error && typeof (err as Partial<grpc.ServiceError>).code === 'number' && 'metadata' in err;
}

const oneLine = (s: string): string => s.replace(/\s*\n\s*/g, '; ').trim();

/** "error: NOT_FOUND: model not found: ghost" — never a stack trace. */
export function formatError(err: unknown, address?: string): string {
  if (isServiceError(err)) return `error: ${describeStatus(err, address)}`;
  if (err instanceof Error) return `error: ${oneLine(err.message)}`;
  return `error: ${oneLine(String(err))}`;
}

/**
 * grpc-js wraps the socket or TLS error: "No connection established. Last error: Error: connect ECONNREFUSED
 * 127.0.0.1:1. Resolution note: " or an OpenSSL dump. Keep the cause and, for TLS, what to do about it.
 */
function connectionCause(details: string): string {
  if (/Name resolution failed/i.test(details)) return 'name resolution failed';
  if (/certificate required/i.test(details)) return 'TLS: the server requires a client certificate; give --tls-cert and --tls-key';
  if (/self[- ]signed|unable to (get|verify)|certificate verify failed/i.test(details)) {
    return 'TLS: the server certificate is not trusted; give the CA that signed it with --tls-ca';
  }
  const ssl = /SSL routines:[^:]*:([^:]+):/.exec(details);
  if (ssl) return `TLS: ${ssl[1]}`;
  const cause = /Last error: (?:Error: )?(.*?)(?:\.? Resolution note:.*)?$/.exec(details)?.[1] ?? details;
  // Drop the timestamp grpc-js appends, e.g. "Failed to connect (2026-01-01T00:00:00.000Z)".
  return cause.replace(/\s*\(\d{4}-\d\d-\d\dT[^)]*\)/g, '').trim() || details;
}

function describeStatus(err: grpc.ServiceError, address?: string): string {
  const code = grpc.status[err.code] ?? String(err.code);
  const details = oneLine(err.details || err.message);
  const where = address ?? 'the server';
  if (err.code === grpc.status.UNAVAILABLE && /No connection established|Name resolution failed|ECONNREFUSED|ENOTFOUND/i.test(details)) {
    return `${code}: cannot reach taan-service at ${where} (${connectionCause(details)})`;
  }
  if (err.code === grpc.status.DEADLINE_EXCEEDED) return `${code}: no answer from ${where} in time (${details})`;
  const violations = err.code === grpc.status.INVALID_ARGUMENT ? decodeFieldViolations(err) : [];
  const fields = violations
    .filter((v) => !details.includes(v.description))
    .map((v) => `${v.field}: ${v.description}`)
    .join('; ');
  return `${code}: ${details}${fields ? ` (${fields})` : ''}`;
}
