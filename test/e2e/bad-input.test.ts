/**
 * Bad input gets the right status code and a BadRequest naming the field, and the server keeps serving.
 * (Limits beyond Predict's batch size are covered with the reliability work.)
 */
import { status } from '@grpc/grpc-js';
import { mkdir, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { decodeFieldViolations } from '../../src/grpc/status.js';
import { smallTrainRequest, upload, waitForState, watch } from '../helpers/jobs.js';
import { healthStatus } from '../helpers/probes.js';
import { call, callError, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let client: TaanServiceClient;
let finished: Job__Output;
const D = 16;
const ok = (): number[] => Array.from({ length: D }, () => 0.5);

beforeAll(async () => {
  server = await startServer({ env: { TAAN_MAX_PREDICT_EXAMPLES: '5' } });
  client = server.client();
  const a = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('m', { max_epochs: 1 }));
  const b = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('hs', { max_epochs: 1, architecture: 'HARD_SHARE' }));
  finished = await waitForState(client, a.job_id, ['SUCCEEDED']);
  await waitForState(client, b.job_id, ['SUCCEEDED']);
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

async function expectCode(method: string, req: unknown, code: status, field?: string | RegExp): Promise<void> {
  const err = await callError(client, method, req);
  expect(status[err.code], `${method}: ${err.details}`).toBe(status[code]);
  expect(err.details).not.toMatch(/\n\s+at /); // no stack traces
  if (field) {
    const fields = decodeFieldViolations(err).map((v) => v.field);
    expect(fields.some((f) => (typeof field === 'string' ? f === field : field.test(f))), `fields ${fields.join(',')} / ${err.details}`).toBe(true);
    expect(err.details).toContain(typeof field === 'string' ? field : '');
  }
}

describe('bad input', () => {
  it('Predict: wrong feature length, NaN, unknown task, negative top_k, empty batch, too many examples', async () => {
    const model = { name: 'm' };
    await expectCode('Predict', { model, examples: [{ features: [1, 2, 3] }] }, status.INVALID_ARGUMENT, 'examples[0].features');
    const nan = ok();
    nan[3] = Number.NaN;
    await expectCode('Predict', { model, examples: [{ features: ok() }, { features: nan }] }, status.INVALID_ARGUMENT, 'examples[1].features[3]');
    const inf = new Float32Array(D).fill(1);
    inf[2] = Infinity;
    await expectCode('Predict', { model, features_f32: Buffer.from(inf.buffer), num_examples: 1 }, status.INVALID_ARGUMENT, 'features_f32');
    await expectCode('Predict', { model, features_f32: Buffer.alloc(10), num_examples: 1 }, status.INVALID_ARGUMENT, 'features_f32');
    await expectCode('Predict', { model, examples: [{ features: ok() }], tasks: ['task00', 'nope'] }, status.INVALID_ARGUMENT, 'tasks[1]');
    await expectCode('Predict', { model, examples: [{ features: ok() }], top_k: -1 }, status.INVALID_ARGUMENT, 'top_k');
    await expectCode('Predict', { model, examples: [] }, status.INVALID_ARGUMENT, 'examples');
    await expectCode('Predict', { model, examples: Array.from({ length: 6 }, () => ({ features: ok() })) }, status.RESOURCE_EXHAUSTED);
    await expectCode('Predict', { examples: [{ features: ok() }] }, status.INVALID_ARGUMENT, 'model.name');
  });

  it('unknown model, version, label and job are NOT_FOUND', async () => {
    await expectCode('Predict', { model: { name: 'ghost' }, examples: [{ features: ok() }] }, status.NOT_FOUND);
    await expectCode('Predict', { model: { name: 'm', version: 7 }, examples: [{ features: ok() }] }, status.NOT_FOUND);
    await expectCode('GetModel', { model: { name: 'm', version_label: 'stable' } }, status.NOT_FOUND);
    await expectCode('GetJob', { job_id: 'job-nope' }, status.NOT_FOUND);
    await expectCode('CancelJob', { job_id: 'job-nope' }, status.NOT_FOUND);
    const watchErr = await watch(client, 'job-nope').then(
      () => undefined,
      (e: unknown) => e as { code: number },
    );
    expect(watchErr?.code).toBe(status.NOT_FOUND);
  });

  it('cancel of a finished job is FAILED_PRECONDITION; metrics of a non-TAAN model too', async () => {
    await expectCode('CancelJob', { job_id: finished.job_id }, status.FAILED_PRECONDITION);
    await expectCode('GetActivationMetrics', { model: { name: 'hs' } }, status.FAILED_PRECONDITION);
  });

  it('TrainJob: bad hyperparameters and dataset paths outside the data roots', async () => {
    await expectCode('TrainJob', smallTrainRequest('x', { learning_rate: -1 }), status.INVALID_ARGUMENT, 'learning_rate');
    await expectCode('TrainJob', smallTrainRequest('x', { hidden_sizes: [8, -2] }), status.INVALID_ARGUMENT, 'hidden_sizes[1]');
    await expectCode('TrainJob', smallTrainRequest('bad name!'), status.INVALID_ARGUMENT, 'model_name');
    await expectCode('TrainJob', { model_name: 'x' }, status.INVALID_ARGUMENT, 'dataset');
    const yt8m = (file: string): unknown => ({ model_name: 'x', yt8m: { train_files: [file], vocabulary_path: file } });
    await expectCode('TrainJob', yt8m('/etc/passwd'), status.INVALID_ARGUMENT, 'yt8m.train_files[0]');
    await expectCode('TrainJob', yt8m('../../etc/passwd'), status.INVALID_ARGUMENT, 'yt8m.train_files[0]');
    await mkdir(path.join(server.stateDir, 'data'), { recursive: true });
    await symlink('/etc', path.join(server.stateDir, 'data', 'escape'));
    await expectCode('TrainJob', yt8m(path.join(server.stateDir, 'data', 'escape', 'passwd')), status.INVALID_ARGUMENT, 'yt8m.train_files[0]');
  });

  it('a corrupt upload is INVALID_ARGUMENT and leaves no dataset behind', async () => {
    const data = new Uint8Array(3000).map((_, i) => i % 251);
    const err = await upload(client, 'bad', [{ fileName: 'a.tfrecord', data, sha256: '0'.repeat(64) }]).then(
      () => undefined,
      (e: unknown) => e as { code: number; details: string },
    );
    expect(err?.code).toBe(status.INVALID_ARGUMENT);
    expect(err?.details).toMatch(/sha256/);
    const good = await upload(client, 'good', [{ fileName: 'dir/b.bin', data }], 1000);
    expect(good.files).toEqual([{ file_name: 'dir/b.bin', size: 3000, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) }]);
    const unsafe = await upload(client, 'x', [{ fileName: '../up.bin', data }]).catch((e: { code: number }) => e);
    expect((unsafe as { code: number }).code).toBe(status.INVALID_ARGUMENT);
  });

  it('keeps serving after all of it', async () => {
    expect(await healthStatus(server.address)).toBe('SERVING');
    const res = await call<{ results: unknown[] }>(client, 'Predict', { model: { name: 'm' }, examples: [{ features: ok() }] });
    expect(res.results).toHaveLength(1);
    expect(server.child.exitCode).toBeNull();
  });
});
