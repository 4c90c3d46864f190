/**
 * The per-call wrapper Predict runs in (grpc/call-context.ts), against a fake grpc-js call: a successful Predict is
 * logged at debug (not info), a failed one at info with its code, metrics count both; the call's signal aborts on a
 * client cancel, but not on the 'cancelled' event grpc-js also emits after a call has ended normally.
 */
import * as grpc from '@grpc/grpc-js';
import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors/errors.js';
import { unary, type CallContext } from '../../src/grpc/call-context.js';
import { createLogger } from '../../src/observability/logger.js';
import { TaanMetrics } from '../../src/observability/metrics.js';

function setup(level: string) {
  const lines: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const l of chunk.toString().split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      cb();
    },
  });
  return { lines, inst: { logger: createLogger({ level, destination }), metrics: new TaanMetrics() } };
}

function fakeCall(request: unknown, metadata = new grpc.Metadata()) {
  return Object.assign(new EventEmitter(), { request, metadata }) as unknown as grpc.ServerUnaryCall<unknown, unknown> & EventEmitter;
}

function invoke(handler: grpc.handleUnaryCall<unknown, unknown>, call: grpc.ServerUnaryCall<unknown, unknown>): Promise<{ err: grpc.ServiceError | null; res: unknown }> {
  return new Promise((resolve) => handler(call, (err, res) => resolve({ err: err as grpc.ServiceError | null, res })));
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

async function counted(m: TaanMetrics, code: string): Promise<number> {
  const metric = await m.grpcHandled.get();
  return metric.values.find((v) => v.labels.grpc_method === 'Predict' && v.labels.grpc_code === code)?.value ?? 0;
}

describe('unary() for a high-rate method', () => {
  it('logs successful calls at debug and failed ones at info, and counts both', async () => {
    const { lines, inst } = setup('info');
    let fail = false;
    const handler = unary(inst, 'Predict', async () => {
      if (fail) throw InvalidArgumentError.field('top_k', 'bad');
      return { ok: true };
    }, { okLogLevel: 'debug' });
    for (let i = 0; i < 3; i++) expect((await invoke(handler, fakeCall({}))).res).toEqual({ ok: true });
    fail = true;
    const meta = new grpc.Metadata();
    meta.set('x-request-id', 'req-7');
    expect((await invoke(handler, fakeCall({}, meta))).err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    await flush();
    const done = lines.filter((l) => l['msg'] === 'rpc done');
    expect(done).toHaveLength(1);
    expect(done[0]).toMatchObject({ level: 30, code: 'INVALID_ARGUMENT', reqId: 'req-7', rpc: 'Predict' });
    expect(await counted(inst.metrics, 'OK')).toBe(3);
    expect(await counted(inst.metrics, 'INVALID_ARGUMENT')).toBe(1);
  });

  it('still logs every call at debug level, and other methods at info', async () => {
    const { lines, inst } = setup('debug');
    const predict = unary(inst, 'Predict', async () => ({}), { okLogLevel: 'debug' });
    const getJob = unary(inst, 'GetJob', async () => ({}));
    await invoke(predict, fakeCall({}));
    await invoke(getJob, fakeCall({}));
    await flush();
    expect(lines.filter((l) => l['msg'] === 'rpc done').map((l) => [l['rpc'], l['level']])).toEqual([
      ['Predict', 20],
      ['GetJob', 30],
    ]);
  });

  it('aborts the signal on a client cancel, not on the cancelled event after the end', async () => {
    const { inst } = setup('silent');
    let seen: CallContext | undefined;
    let release: () => void = () => undefined;
    const handler = unary(inst, 'Predict', (_req, ctx) => {
      seen = ctx;
      return new Promise((r) => (release = () => r({})));
    });
    const done = fakeCall({});
    const finished = invoke(handler, done);
    release();
    await finished;
    done.emit('cancelled');
    expect(seen!.signal.aborted).toBe(false);

    const cancelled = fakeCall({});
    const pending = invoke(handler, cancelled);
    cancelled.emit('cancelled');
    expect(seen!.signal.aborted).toBe(true);
    release();
    await pending;
  });
});
