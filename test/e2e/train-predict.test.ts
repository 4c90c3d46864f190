/**
 * The main path over real gRPC against the real server process: TrainJob on the built-in synthetic set with
 * WatchJob, idempotent resubmission, Predict in both input forms, GetActivationMetrics recomputed from its own
 * parameters, GetModel/ListModels, and every metric name of api.md on /metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivationMetrics__Output } from '../../src/grpc/generated/taan/v1/ActivationMetrics.js';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { ListModelsResponse__Output } from '../../src/grpc/generated/taan/v1/ListModelsResponse.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import type { PredictResponse__Output } from '../../src/grpc/generated/taan/v1/PredictResponse.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { taskMatrices } from '../../src/functional/task-matrices.js';
import { smallTrainRequest, watch } from '../helpers/jobs.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/domain/model-spec.js';

let server: ServerProcess;
let client: TaanServiceClient;
let job: Job__Output;

beforeAll(async () => {
  server = await startServer();
  client = server.client();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('train, watch, predict', () => {
  it('trains a small synthetic TAAN to SUCCEEDED in under 60 s while WatchJob streams every epoch', async () => {
    const started = Date.now();
    const queued = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('syn', { submission_id: 'sub-1' }));
    expect(queued.state).toBe('QUEUED');
    expect(queued.request!.architecture).toBe('TAAN');
    // Defaults filled in, as accepted.
    expect(queued.request!.weight_decay).toBe(DEFAULT_TRAIN_OPTIONS.weightDecay);
    expect(queued.request!.reg_coefficient).toBe(DEFAULT_TRAIN_OPTIONS.regCoefficient);
    const events = await watch(client, queued.job_id);
    const seconds = (Date.now() - started) / 1000;
    console.log(`TrainJob to SUCCEEDED: ${seconds.toFixed(2)} s, ${events.length} events`);
    expect(seconds).toBeLessThan(60);
    expect(events.at(-1)!.state).toBe('SUCCEEDED');
    for (const epoch of [1, 2]) {
      const perEpoch = events.filter((e) => e.progress?.epoch === epoch && Object.keys(e.progress.valid_map_at_10).length === 8);
      expect(perEpoch.length, `progress events of epoch ${epoch}`).toBeGreaterThanOrEqual(1);
    }
    const steps = events.filter((e) => e.progress).map((e) => e.progress!.step);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));

    job = await call<Job__Output>(client, 'GetJob', { job_id: queued.job_id });
    expect(job.state).toBe('SUCCEEDED');
    expect(job.model_version).toBe(1);
    expect(Object.keys(job.metrics!.test_map_at_10)).toHaveLength(8);
    for (const v of Object.values(job.metrics!.test_map_at_10)) expect(v).toBeGreaterThan(0);
    expect(job.dataset_summary!.tasks).toHaveLength(8);
    expect(job.transitions.map((t) => t.state)).toEqual(['QUEUED', 'RUNNING', 'SUCCEEDED']);
    expect(job.runner).toContain('worker');
  });

  it('returns the same job for a repeated submission_id', async () => {
    const again = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('syn', { submission_id: 'sub-1' }));
    expect(again.job_id).toBe(job.job_id);
    expect(again.state).toBe('SUCCEEDED');
  });

  it('predicts top_k classes per task with labels, sorted, identically from repeated and packed float32 input', async () => {
    const D = 16;
    const rows = Array.from({ length: 3 }, (_, i) => Array.from({ length: D }, (_, j) => Math.sin(i * 7 + j)));
    const repeated = await call<PredictResponse__Output>(client, 'Predict', {
      model: { name: 'syn' },
      examples: rows.map((f, i) => ({ id: `ex${i}`, features: f })),
      top_k: 4,
    });
    expect(repeated.model!.version).toBe(1);
    expect(repeated.results).toHaveLength(3);
    for (const r of repeated.results) {
      expect(r.tasks).toHaveLength(8);
      for (const t of r.tasks) {
        expect(t.classes).toHaveLength(4);
        const scores = t.classes.map((c) => c.score);
        expect(scores).toEqual([...scores].sort((a, b) => b - a));
        for (const c of t.classes) expect(c.label).toMatch(/^t\d+-c\d+$/);
      }
    }
    const packed = Buffer.from(new Float32Array(rows.flat()).buffer);
    const fromPacked = await call<PredictResponse__Output>(client, 'Predict', { model: { name: 'syn', version: 1 }, features_f32: packed, num_examples: 3, top_k: 4 });
    expect(fromPacked.results.map((r) => r.tasks)).toEqual(repeated.results.map((r) => r.tasks));
  });

  it('returns activation metrics whose D and C match the formulas on the returned parameters', async () => {
    const am = await call<ActivationMetrics__Output>(client, 'GetActivationMetrics', { model: { name: 'syn' } });
    const T = am.tasks.length;
    expect(T).toBe(8);
    expect([...am.task_order].sort((a, b) => a - b)).toEqual([...Array(T).keys()]);
    for (const layer of am.layers) {
      const M = layer.basis_locations.length;
      const { D, C } = taskMatrices(layer.alpha, T, M, layer.basis_locations, { mu: layer.mu, sigma: layer.sigma });
      for (let i = 0; i < T; i++) {
        expect(layer.distance[i * T + i]).toBe(0);
        expect(layer.cosine[i * T + i]).toBeCloseTo(1, 12);
        for (let j = 0; j < T; j++) {
          expect(layer.distance[i * T + j]).toBe(layer.distance[j * T + i]);
          expect(Math.abs(layer.distance[i * T + j]! - D[i * T + j]!)).toBeLessThan(1e-6);
          expect(Math.abs(layer.cosine[i * T + j]! - C[i * T + j]!)).toBeLessThan(1e-6);
        }
      }
      expect(layer.curves!.y).toHaveLength(T * layer.curves!.x.length);
    }
  });

  it('lists and describes the model', async () => {
    const list = await call<ListModelsResponse__Output>(client, 'ListModels', {});
    expect(list.models.map((m) => m.name)).toEqual(['syn']);
    const m = await call<Model__Output>(client, 'GetModel', { model: { name: 'syn' } });
    expect(m.versions).toEqual([1]);
    expect(m.tasks).toHaveLength(8);
    expect(m.input_dim).toBe(16);
    expect(m.parameter_count).toBeGreaterThan(0);
    expect(m.job_id).toBe(job.job_id);
  });

  it('exposes every metric name of api.md, with per-task mAP labelled by model and task', async () => {
    const text = await (await fetch(server.metricsUrl)).text();
    const names = [
      'taan_train_step_duration_seconds_bucket',
      'taan_train_steps_total',
      'taan_train_loss{model="syn"}',
      'taan_eval_map_at_10{model="syn",task="task00"}',
      'taan_jobs{state="SUCCEEDED"}',
      'taan_job_queue_depth',
      'taan_worker_busy',
      'taan_predict_duration_seconds_bucket',
      'taan_predict_examples_total{model="syn"}',
      'grpc_server_started_total',
      'grpc_server_handled_total',
      'grpc_server_handling_seconds_bucket',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
    ];
    for (const n of names) expect(text, n).toContain(n);
    expect(text).toMatch(/grpc_server_handled_total\{[^}]*grpc_method="Predict"[^}]*grpc_code="OK"[^}]*\} [1-9]/);
    expect(text).not.toMatch(/job_id=/);
  });
});
