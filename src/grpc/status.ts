/**
 * The one place that turns errors into gRPC statuses. A TaanError keeps its code and message (and, for field
 * violations, a google.rpc.Status with BadRequest in `grpc-status-details-bin`); anything else is a bug: it is
 * logged with the request id and the client gets INTERNAL without internals.
 */
import * as grpc from '@grpc/grpc-js';
import path from 'node:path';
import protobuf from 'protobufjs';
import { TaanError, type FieldViolation } from '../errors/errors.js';
import type { Logger } from '../observability/logger.js';
import { PROTO_DIR } from './proto.js';

// keepCase: the wire names (field_violations, type_url) are used on both sides.
const root = new protobuf.Root().loadSync(path.join(PROTO_DIR, 'google/rpc/error_details.proto'), { keepCase: true });
const StatusType = root.lookupType('google.rpc.Status');
const BadRequestType = root.lookupType('google.rpc.BadRequest');
export const BAD_REQUEST_TYPE_URL = 'type.googleapis.com/google.rpc.BadRequest';

export function toServiceError(err: unknown, requestId: string, logger?: Logger): grpc.ServiceError {
  if (err instanceof TaanError) {
    const code = grpc.status[err.code];
    const metadata = new grpc.Metadata();
    const message = clipMessage(err.message);
    const violations = err.violations.map((v) => ({ field: clipMessage(v.field), description: clipMessage(v.description) }));
    if (violations.length) metadata.set('grpc-status-details-bin', encodeDetails(code, message, violations));
    return Object.assign(new Error(message), { code, details: message, metadata }) as grpc.ServiceError;
  }
  logger?.error({ err, reqId: requestId }, 'unexpected error');
  const message = `internal error (request id ${requestId})`;
  return Object.assign(new Error(message), { code: grpc.status.INTERNAL, details: message, metadata: new grpc.Metadata() }) as grpc.ServiceError;
}

/** Longest status message, in UTF-8 bytes: messages echo what clients sent (names, ids, paths). */
export const MAX_STATUS_MESSAGE_BYTES = 1024;

/** `message` cut to MAX_STATUS_MESSAGE_BYTES on a character boundary, ending in "..." when cut. */
export function clipMessage(message: string): string {
  if (Buffer.byteLength(message) <= MAX_STATUS_MESSAGE_BYTES) return message;
  let out = '';
  let bytes = 0;
  for (const ch of message) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > MAX_STATUS_MESSAGE_BYTES - 3) break;
    out += ch;
    bytes += n;
  }
  return `${out}...`;
}

function encodeDetails(code: number, message: string, violations: FieldViolation[]): Buffer {
  const badRequest = BadRequestType.encode(
    BadRequestType.create({ field_violations: violations.map((v) => ({ field: v.field, description: v.description })) }),
  ).finish();
  const status = StatusType.create({ code, message, details: [{ type_url: BAD_REQUEST_TYPE_URL, value: badRequest }] });
  return Buffer.from(StatusType.encode(status).finish());
}

/** Client side: the field violations of a ServiceError, if it carries BadRequest details. */
export function decodeFieldViolations(err: grpc.ServiceError): FieldViolation[] {
  const raw = err.metadata?.get('grpc-status-details-bin')[0];
  if (!raw || typeof raw === 'string') return [];
  const status = StatusType.toObject(StatusType.decode(raw), { defaults: true }) as {
    details: Array<{ type_url: string; value: Uint8Array }>;
  };
  return status.details
    .filter((d) => d.type_url === BAD_REQUEST_TYPE_URL)
    .flatMap((d) => (BadRequestType.toObject(BadRequestType.decode(d.value), { defaults: true }) as { field_violations: FieldViolation[] }).field_violations);
}
