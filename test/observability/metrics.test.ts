// TaanMetrics and the /metrics server together, scraped over real HTTP as Prometheus would.
import { register as globalRegistry, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { startMetricsServer } from '../../src/observability/metrics-server.js';
import { TaanMetrics } from '../../src/observability/metrics.js';
import { API_METRIC_NAMES } from '../helpers/api-metrics.js';

const API_NAMES = API_METRIC_NAMES;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(metrics: TaanMetrics) {
  const server = await startMetricsServer({ host: '127.0.0.1', port: 0, registry: metrics.registry });
  closers.push(() => server.close());
  return server;
}

function record(m: TaanMetrics): void {
  const rpc = { grpc_service: 'taan.v1.Taan', grpc_method: 'Predict', grpc_type: 'unary' };
  m.trainStepDuration.observe(0.02);
  m.trainStepsTotal.inc();
  m.trainLoss.set({ model: 'm1' }, 0.5);
  m.evalMapAt10.set({ model: 'm1', task: 't0' }, 0.75);
  m.jobs.set({ state: 'running' }, 1);
  m.jobQueueDepth.set(2);
  m.workerBusy.set(1);
  m.predictDuration.observe({ model: 'm1' }, 0.003);
  m.predictExamples.inc({ model: 'm1' }, 8);
  m.grpcStarted.inc(rpc);
  m.grpcHandled.inc({ ...rpc, grpc_code: 'OK' });
  m.grpcHandlingSeconds.observe(rpc, 0.004);
}

describe('TaanMetrics over /metrics', () => {
  it('serves every api.md metric name and the default process metrics', async () => {
    const metrics = new TaanMetrics();
    record(metrics);
    const server = await serve(metrics);
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/metrics`);

    const res = await fetch(server.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(metrics.registry.contentType);
    const text = await res.text();
    for (const name of API_NAMES) expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    expect(text).toContain('taan_train_loss{model="m1"} 0.5');
    expect(text).toContain('taan_eval_map_at_10{model="m1",task="t0"} 0.75');
    expect(text).toContain('taan_jobs{state="running"} 1');
    expect(text).toContain('taan_predict_examples_total{model="m1"} 8');
    expect(text).toMatch(/^taan_predict_duration_seconds_count\{model="m1"\} 1$/m);
    expect(text).toContain(
      'grpc_server_handled_total{grpc_service="taan.v1.Taan",grpc_method="Predict",grpc_type="unary",grpc_code="OK"} 1',
    );
    expect(text).toMatch(/^taan_train_step_duration_seconds_bucket\{le="0.001"\} 0$/m);
    expect(text).toMatch(/^taan_train_step_duration_seconds_bucket\{le="60"\} 1$/m);
    expect(text).toMatch(/^taan_predict_duration_seconds_bucket\{le="0.0005",model="m1"\} 0$/m);
    expect(text).toMatch(/^# TYPE nodejs_eventloop_lag_p99_seconds gauge$/m);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('answers 404 for any other path', async () => {
    const server = await serve(new TaanMetrics());
    const res = await fetch(server.url.replace('/metrics', '/nope'));
    expect(res.status).toBe(404);
    await res.text();
  });

  it('keeps two instances apart, each in its own registry, never the global one', async () => {
    const a = new TaanMetrics();
    const b = new TaanMetrics();
    expect(a.registry).not.toBe(b.registry);
    a.trainStepsTotal.inc(3);
    const [sa, sb] = await Promise.all([serve(a), serve(b)]);
    const [ta, tb] = await Promise.all([(await fetch(sa.url)).text(), (await fetch(sb.url)).text()]);
    expect(ta).toMatch(/^taan_train_steps_total 3$/m);
    expect(tb).toMatch(/^taan_train_steps_total 0$/m);
    expect(globalRegistry.getSingleMetric('taan_train_steps_total')).toBeUndefined();
  });

  it('registers into a registry it is given', async () => {
    const registry = new Registry();
    const metrics = new TaanMetrics(registry);
    expect(metrics.registry).toBe(registry);
    expect(registry.getSingleMetric('taan_worker_busy')).toBeDefined();
  });

  it('rejects when the port is taken', async () => {
    const first = await serve(new TaanMetrics());
    await expect(
      startMetricsServer({ host: '127.0.0.1', port: first.port, registry: new Registry() }),
    ).rejects.toThrow(/EADDRINUSE/);
  });
});
