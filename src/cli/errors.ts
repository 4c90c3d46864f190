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

function describeStatus(err: grpc.ServiceError, address?: string): string {
  const code = grpc.status[err.code] ?? String(err.code);
  const details = oneLine(err.details || err.message);
  const where = address ?? 'the server';
  if (err.code === grpc.status.UNAVAILABLE && /No connection established|Failed to connect|ECONNREFUSED|ENOTFOUND|getaddrinfo/i.test(details)) {
    // grpc-js wraps the socket error in "No connection established. Last error: Error: connect ...": keep the cause.
    const cause = /Last error: (?:Error: )?(.*?)(?: \(|$)/.exec(details)?.[1] ?? details;
    return `${code}: cannot reach taan-service at ${where} (${cause})`;
  }
  if (err.code === grpc.status.DEADLINE_EXCEEDED) return `${code}: no answer from ${where} in time (${details})`;
  const violations = err.code === grpc.status.INVALID_ARGUMENT ? decodeFieldViolations(err) : [];
  const fields = violations
    .map((v) => `${v.field}: ${v.description}`)
    .filter((v) => !details.includes(v))
    .join('; ');
  return `${code}: ${details}${fields ? ` (${fields})` : ''}`;
}
