/**
 * The baselines of docs/baselines.md through the real server: SOFT_ORDER, MMOE (from the CLI's flags) and
 * uncertainty loss weighting train to SUCCEEDED over gRPC, Predict serves them, the model registry describes them,
 * `taan report` renders them, GetActivationMetrics says why they have none, and bad field values are
 * INVALID_ARGUMENT naming the field.
 */
import { status } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import type { PredictResponse__Output } from '../../src/grpc/generated/taan/v1/PredictResponse.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { decodeFieldViolations } from '../../src/grpc/status.js';
import { runCli } from '../helpers/cli.js';
import { smallTrainRequest, waitForState } from '../helpers/jobs.js';
import { call, callError, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let client: TaanServiceClient;
let dir: string;
const jobs: Record<string, Job__Output> = {};
const FEATURES = 16;

beforeAll(async () => {
  server = await startServer();
  client = server.client();
  dir = await mkdtemp(path.join(tmpdir(), 'taan-baselines-'));
  const so = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('so', { architecture: 'SOFT_ORDER', hidden_sizes: [12, 12] }));
  const taanU = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('taan-u', { loss_weighting: 'UNCERTAINTY' }));
  // MMOE from the CLI, so its flags are exercised too.
  const cli = await runCli([
    'train', '--model-name', 'mmoe', '--synthetic', '--synthetic-tasks', '8', '--synthetic-clusters', '2', '--synthetic-features', String(FEATURES),
    '--synthetic-examples-per-task', '300', '--synthetic-seed', '1', '--architecture', 'MMOE', '--num-experts', '3', '--hidden-sizes', '12',
    '--tower-hidden-sizes', '6', '--loss-weighting', 'UNCERTAINTY', '--max-epochs', '2', '--batch-size-per-task', '32', '--learning-rate', '3e-3',
    '--address', server.address, '--json',
  ]);
  expect(cli.code, cli.stderr).toBe(0);
  const mmoe = JSON.parse(cli.stdout) as { job_id: string };
  for (const [name, id] of [['so', so.job_id], ['taan-u', taanU.job_id], ['mmoe', mmoe.job_id]] as const) {
    jobs[name] = await waitForState(client, id, ['SUCCEEDED', 'FAILED'], 120_000);
  }
}, 180_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

describe('SOFT_ORDER, MMOE and uncertainty weighting end to end', () => {
  it('every job SUCCEEDS and reports its parameter count, the same as the model registry', async () => {
    for (const [name, job] of Object.entries(jobs)) {
      expect(job.state, `${name}: ${job.failure_reason}`).toBe('SUCCEEDED');
      const m = await call<Model__Output>(client, 'GetModel', { model: { name } });
      expect(Number(job.metrics!.parameter_count)).toBeGreaterThan(0);
      expect(Number(job.metrics!.parameter_count)).toBe(Number(m.parameter_count));
      expect(job.metrics!.mean_test_map_at_10).toBeGreaterThan(0);
    }
    const so = await call<Model__Output>(client, 'GetModel', { model: { name: 'so' } });
    expect([so.architecture, so.loss_weighting, so.hidden_sizes]).toEqual(['SOFT_ORDER', 'EQUAL', [12, 12]]);
    // 16 -> 12 projection, two 12 x 12 layers, 8 x 2 x 2 mixing logits, heads 12 -> 10 classes per task.
    expect(Number(so.parameter_count)).toBe(16 * 12 + 12 + 2 * (12 * 12 + 12) + 8 * 2 * 2 + 8 * (12 * 10 + 10));
    const mm = await call<Model__Output>(client, 'GetModel', { model: { name: 'mmoe' } });
    expect([mm.architecture, mm.loss_weighting, mm.num_experts, mm.tower_hidden_sizes]).toEqual(['MMOE', 'UNCERTAINTY', 3, [6]]);
    // 3 experts 16 -> 12; per task a gate 16 -> 3, a tower 12 -> 6 and a head 6 -> 10; 8 log-variances.
    expect(Number(mm.parameter_count)).toBe(3 * (16 * 12 + 12) + 8 * (16 * 3 + 3 + 12 * 6 + 6 + 6 * 10 + 10) + 8);
    const tu = await call<Model__Output>(client, 'GetModel', { model: { name: 'taan-u' } });
    expect([tu.architecture, tu.loss_weighting]).toEqual(['TAAN', 'UNCERTAINTY']);
  });

  it('Predict serves every model: each task ranked, scores in [0, 1] and sorted, the same for packed features', async () => {
    const rows = [0, 1, 2].map((i) => Array.from({ length: FEATURES }, (_, j) => Math.sin(i + j)));
    for (const name of Object.keys(jobs)) {
      const res = await call<PredictResponse__Output>(client, 'Predict', { model: { name }, examples: rows.map((features) => ({ features })), top_k: 3 });
      expect(res.results).toHaveLength(3);
      for (const r of res.results) {
        expect(r.tasks).toHaveLength(8);
        for (const t of r.tasks) {
          const scores = t.classes.map((c) => c.score);
          expect(scores).toHaveLength(3);
          expect(scores).toEqual([...scores].sort((a, b) => b - a));
          for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
        }
      }
      const packed = Buffer.from(new Float32Array(rows.flat()).buffer);
      const again = await call<PredictResponse__Output>(client, 'Predict', { model: { name }, features_f32: packed, num_examples: 3, top_k: 3 });
      expect(again.results.map((r) => r.tasks)).toEqual(res.results.map((r) => r.tasks));
    }
  });

  it('GetActivationMetrics is FAILED_PRECONDITION for SOFT_ORDER and MMOE, saying why', async () => {
    for (const [name, why] of [['so', /mix shared ReLU layers/], ['mmoe', /gates over shared ReLU experts/]] as const) {
      const err = await callError(client, 'GetActivationMetrics', { model: { name } });
      expect(status[err.code]).toBe('FAILED_PRECONDITION');
      expect(err.details).toMatch(why);
    }
  });

  it('taan report renders both, with their architecture, parameters and why the activation sections are empty', async () => {
    for (const [name, baseline, arch] of [['so', 'mmoe', 'SOFT_ORDER'], ['mmoe', 'so', 'MMOE, hidden [12], 3 experts, towers [6], uncertainty loss weighting']] as const) {
      const file = path.join(dir, `${name}.html`);
      const r = await runCli(['report', name, '--baseline', baseline, '-o', file, '--address', server.address]);
      expect(r.code, r.stderr).toBe(0);
      const html = readFileSync(file, 'utf8');
      expect(html).toContain(arch);
      expect(html).toContain('<section id="map-comparison">');
      expect(html).toMatch(/<section id="distance"><h2>[^<]+<\/h2><p class="note">[^<]*only for TAAN/);
    }
  });

  it('bad baseline fields are INVALID_ARGUMENT naming the field', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ architecture: 'SOFT_ORDER', hidden_sizes: [12, 8] }, 'hidden_sizes'],
      [{ architecture: 'MMOE', num_experts: 1000 }, 'num_experts'],
      [{ architecture: 'TAAN', num_experts: 4 }, 'num_experts'],
      [{ architecture: 'MMOE', tower_hidden_sizes: [0] }, 'tower_hidden_sizes[0]'],
      [{ architecture: 'HARD_SHARE', tower_hidden_sizes: [4] }, 'tower_hidden_sizes'],
    ];
    for (const [extra, field] of cases) {
      const err = await callError(client, 'TrainJob', smallTrainRequest('bad', extra));
      expect(status[err.code], err.details).toBe('INVALID_ARGUMENT');
      expect(decodeFieldViolations(err).map((v) => v.field), err.details).toContain(field);
    }
  });
});
