/**
 * What every RPC gets: a request id, a child logger, the gRPC metrics, and one translation of errors to statuses.
 * Handlers are written as plain async functions; these wrappers adapt them to grpc-js.
 */
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../observability/logger.js';
import type { TaanMetrics } from '../observability/metrics.js';
import { SERVICE_NAME } from './proto.js';
import { toServiceError } from './status.js';

export interface CallContext {
  reqId: string;
  log: Logger;
  /** Aborted when the client cancels or the deadline passes. */
  signal: AbortSignal;
}

export interface Instrumentation {
  logger: Logger;
  metrics: TaanMetrics;
  /** Checks the caller's token for the method; absent = the server runs open. */
  auth?: { check(method: string, metadata: grpc.Metadata): void };
}

type Kind = 'unary' | 'server_stream' | 'client_stream';

function begin(inst: Instrumentation, method: string, kind: Kind, call: { metadata: grpc.Metadata; on(event: 'cancelled', fn: () => void): unknown }): { ctx: CallContext; end: (code: grpc.status) => void } {
  const reqId = firstValue(call.metadata.get('x-request-id')) ?? randomUUID();
  const log = inst.logger.child({ reqId, rpc: method });
  const labels = { grpc_service: SERVICE_NAME, grpc_method: method, grpc_type: kind };
  inst.metrics.grpcStarted.inc(labels);
  const started = performance.now();
  const ctl = new AbortController();
  call.on('cancelled', () => ctl.abort());
  return {
    ctx: { reqId, log, signal: ctl.signal },
    end: (code) => {
      const seconds = (performance.now() - started) / 1000;
      inst.metrics.grpcHandled.inc({ ...labels, grpc_code: grpc.status[code] });
      inst.metrics.grpcHandlingSeconds.observe(labels, seconds);
      log.info({ code: grpc.status[code], durationMs: Math.round(seconds * 1000) }, 'rpc done');
    },
  };
}

/** Ends a call with one response or one error (unary and client-streaming calls). */
function settle<Res>(work: Promise<Res>, ctx: CallContext, end: (code: grpc.status) => void, callback: grpc.sendUnaryData<Res>): void {
  work.then(
    (res) => {
      end(grpc.status.OK);
      callback(null, res);
    },
    (err: unknown) => {
      const e = toServiceError(err, ctx.reqId, ctx.log);
      end(e.code);
      callback(e);
    },
  );
}

export function unary<Req, Res>(inst: Instrumentation, method: string, fn: (req: Req, ctx: CallContext) => Promise<Res>): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    const { ctx, end } = begin(inst, method, 'unary', call);
    settle(authorized(inst, method, call.metadata, () => fn(call.request, ctx)), ctx, end, callback);
  };
}

export function serverStream<Req, Res>(
  inst: Instrumentation,
  method: string,
  fn: (req: Req, send: (r: Res) => void, ctx: CallContext) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  return (call) => {
    const { ctx, end } = begin(inst, method, 'server_stream', call);
    authorized(inst, method, call.metadata, () => fn(call.request, (r) => call.write(r), ctx)).then(
      () => {
        end(ctx.signal.aborted ? grpc.status.CANCELLED : grpc.status.OK);
        call.end();
      },
      (err: unknown) => {
        const e = toServiceError(err, ctx.reqId, ctx.log);
        end(e.code);
        // grpc-js sends a server-stream status when the error is emitted on the call.
        call.emit('error', e);
      },
    );
  };
}

export function clientStream<Req, Res>(
  inst: Instrumentation,
  method: string,
  fn: (stream: AsyncIterable<Req>, ctx: CallContext) => Promise<Res>,
): grpc.handleClientStreamingCall<Req, Res> {
  return (call, callback) => {
    const { ctx, end } = begin(inst, method, 'client_stream', call);
    settle(authorized(inst, method, call.metadata, () => fn(call as unknown as AsyncIterable<Req>, ctx)), ctx, end, callback);
  };
}

/** Runs `work` only if the caller may call `method`; an auth failure becomes the call's error. */
async function authorized<T>(inst: Instrumentation, method: string, metadata: grpc.Metadata, work: () => Promise<T>): Promise<T> {
  inst.auth?.check(method, metadata);
  return work();
}

function firstValue(v: grpc.MetadataValue[]): string | undefined {
  const x = v[0];
  return typeof x === 'string' && x.length <= 128 ? x : undefined;
}
