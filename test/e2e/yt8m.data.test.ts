/**
 * Real data over gRPC: a TrainJob on the YouTube-8M sample shards in ../shared/data (an allowed data root) and the
 * same data sent through UploadDataset, each reporting per-task test mAP@10 for the verticals present.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { upload, waitForState } from '../helpers/jobs.js';
import { call, SHARED_DATA, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let client: TaanServiceClient;
const SHARDS = ['validate0040', 'validate0065', 'validate0067', 'validate0076'].map((s) => `${s}.tfrecord`);
const training = { hidden_sizes: [128, 128], num_basis: 16, max_epochs: 4, batch_size_per_task: 32, learning_rate: 1e-3, regularizer: 'DISTANCE' };

beforeAll(async () => {
  server = await startServer({ env: { TAAN_DATA_ROOTS: SHARED_DATA } });
  client = server.client();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

function check(job: Job__Output): void {
  expect(job.state, job.failure_reason).toBe('SUCCEEDED');
  const tasks = job.dataset_summary!.tasks;
  const maps = job.metrics!.test_map_at_10;
  console.log(`${job.model_name}: ${tasks.length} verticals, mean test mAP@10 ${job.metrics!.mean_test_map_at_10.toFixed(4)}`);
  expect(tasks.length).toBeGreaterThanOrEqual(10);
  expect(tasks[0]!.task).toBe('Arts & Entertainment');
  expect(tasks[0]!.classes).toBe(525);
  for (const t of tasks) {
    expect(t.train_examples).toBeGreaterThan(0);
    if (t.test_examples > 0) expect(maps[t.task]).toBeGreaterThanOrEqual(0);
  }
  expect(job.metrics!.mean_test_map_at_10).toBeGreaterThan(0.05);
}

describe('YouTube-8M sample over gRPC', () => {
  it('trains from the shards under the data root (globs, seeded split)', async () => {
    const job = await call<Job__Output>(client, 'TrainJob', {
      model_name: 'yt8m',
      yt8m: { train_files: ['yt8m-video-level-sample/validate00*.tfrecord'], vocabulary_path: 'yt8m-vocabulary/vocabulary.csv', split_seed: 1 },
      ...training,
    });
    check(await waitForState(client, job.job_id, ['SUCCEEDED', 'FAILED'], 180_000));
  });

  it('trains from the same files sent with UploadDataset', async () => {
    const files = await Promise.all([
      ...SHARDS.map(async (f) => ({ fileName: `shards/${f}`, data: await readFile(path.join(SHARED_DATA, 'yt8m-video-level-sample', f)) })),
      readFile(path.join(SHARED_DATA, 'yt8m-vocabulary/vocabulary.csv')).then((data) => ({ fileName: 'vocabulary.csv', data })),
    ]);
    const ds = await upload(client, 'yt8m-sample', files);
    expect(ds.files).toHaveLength(5);
    const job = await call<Job__Output>(client, 'TrainJob', { model_name: 'yt8m-up', dataset_id: ds.dataset_id, ...training });
    check(await waitForState(client, job.job_id, ['SUCCEEDED', 'FAILED'], 180_000));
    // Explicit file lists relative to the uploaded dataset work too.
    const explicit = await call<Job__Output>(client, 'TrainJob', {
      model_name: 'yt8m-files',
      yt8m: { dataset_id: ds.dataset_id, train_files: ['shards/validate0040.tfrecord', 'shards/validate0065.tfrecord'], test_files: ['shards/validate0076.tfrecord'], vocabulary_path: 'vocabulary.csv' },
      ...training,
    });
    const done = await waitForState(client, explicit.job_id, ['SUCCEEDED', 'FAILED'], 180_000);
    expect(done.state, done.failure_reason).toBe('SUCCEEDED');
  });
});
