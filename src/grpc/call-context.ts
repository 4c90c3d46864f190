/**
 * What every RPC gets: a request id, a child logger, the gRPC metrics, and one translation of errors to statuses.
 * Handlers are written as plain async functions; these wrappers adapt them to grpc-js.
 *
 * The per-call work here is on the hot path of Predict (thousands of calls a second), so it is kept small: metric
 * children are bound once per method and code, the request id and child logger are made only when something asks
 * for them, and a method may log its successful calls at debug instead of info (errors always go out).
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

export interface MethodOptions {
  /**
   * pino level of the "rpc done" line of a call that ends OK; default 'info'. High-rate methods (Predict) use
   * 'debug': one line per call costs more than the call at thousands of calls a second. Calls that end with any
   * other code are logged at 'info' whatever this says.
   */
  okLogLevel?: 'info' | 'debug';
  /** The `grpc_service` label of the method's metrics; default taan.v1.TaanService. */
  service?: string;
}

type Kind = 'unary' | 'server_stream' | 'client_stream';

interface CounterChild {
  inc(v?: number): void;
}
interface HistogramChild {
  observe(v: number): void;
}

/** Metric children of one method, bound once (prom-client hashes the label set on every unbound call). */
class MethodMetrics {
  readonly started: CounterChild;
  readonly seconds: HistogramChild;
  private readonly handled = new Map<grpc.status, CounterChild>();

  constructor(
    private readonly metrics: TaanMetrics,
    private readonly labels: { grpc_service: string; grpc_method: string; grpc_type: Kind },
  ) {
    this.started = metrics.grpcStarted.labels(labels);
    this.seconds = metrics.grpcHandlingSeconds.labels(labels);
  }

  handledFor(code: grpc.status): CounterChild {
    let c = this.handled.get(code);
    if (!c) {
      c = this.metrics.grpcHandled.labels({ ...this.labels, grpc_code: grpc.status[code] });
      this.handled.set(code, c);
    }
    return c;
  }
}

function methodMetrics(inst: Instrumentation, method: string, kind: Kind, service = SERVICE_NAME): MethodMetrics {
  return new MethodMetrics(inst.metrics, { grpc_service: service, grpc_method: method, grpc_type: kind });
}

interface CallLike {
  metadata: grpc.Metadata;
  on(event: 'cancelled', fn: () => void): unknown;
}

function begin(inst: Instrumentation, method: string, m: MethodMetrics, okLevel: 'info' | 'debug', call: CallLike): { ctx: CallContext; end: (code: grpc.status) => void } {
  m.started.inc();
  const started = performance.now();
  const ctl = new AbortController();
  let done = false;
  // grpc-js also reports 'cancelled' after a call has ended normally; only a cancel before the end is one.
  call.on('cancelled', () => {
    if (!done) ctl.abort();
  });
  let reqId: string | undefined;
  let log: Logger | undefined;
  const ctx: CallContext = {
    get reqId() {
      return (reqId ??= firstValue(call.metadata.get('x-request-id')) ?? randomUUID());
    },
    get log() {
      return (log ??= inst.logger.child({ reqId: ctx.reqId, rpc: method }));
    },
    signal: ctl.signal,
  };
  return {
    ctx,
    end: (code) => {
      done = true;
      const seconds = (performance.now() - started) / 1000;
      m.handledFor(code).inc();
      m.seconds.observe(seconds);
      const level = code === grpc.status.OK ? okLevel : 'info';
      if (inst.logger.isLevelEnabled(level)) ctx.log[level]({ code: grpc.status[code], durationMs: Math.round(seconds * 1000) }, 'rpc done');
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

export function unary<Req, Res>(
  inst: Instrumentation,
  method: string,
  fn: (req: Req, ctx: CallContext) => Promise<Res>,
  opts: MethodOptions = {},
): grpc.handleUnaryCall<Req, Res> {
  const m = methodMetrics(inst, method, 'unary', opts.service);
  const okLevel = opts.okLogLevel ?? 'info';
  return (call, callback) => {
    const { ctx, end } = begin(inst, method, m, okLevel, call);
    settle(authorized(inst, method, call.metadata, () => fn(call.request, ctx)), ctx, end, callback);
  };
}

export function serverStream<Req, Res>(
  inst: Instrumentation,
  method: string,
  fn: (req: Req, send: (r: Res) => void, ctx: CallContext) => Promise<void>,
): grpc.handleServerStreamingCall<Req, Res> {
  const m = methodMetrics(inst, method, 'server_stream');
  return (call) => {
    const { ctx, end } = begin(inst, method, m, 'info', call);
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
  const m = methodMetrics(inst, method, 'client_stream');
  return (call, callback) => {
    const { ctx, end } = begin(inst, method, m, 'info', call);
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
