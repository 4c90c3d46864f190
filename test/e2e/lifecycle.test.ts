/**
 * The lifecycle end to end, on the real server over real gRPC: deletes free the state dir (measured on disk), never
 * break a running job or a labelled version, each refusal has its status code, version numbers are never reused,
 * the admin role alone may delete, and taan_state_bytes follows.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import { treeBytes } from '../../src/util/atomic.js';
import { slowTrainRequest, smallTrainRequest, upload, waitForState } from '../helpers/jobs.js';
import { call, callError, SHARED_DATA, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;

beforeAll(async () => {
  server = await startServer();
}, 60_000);

afterAll(async () => {
  await server?.stop();
});

async function train(model: string, extra: Record<string, unknown> = {}): Promise<Job__Output> {
  const job = await call<Job__Output>(server.client(), 'TrainJob', smallTrainRequest(model, extra));
  const done = await waitForState(server.client(), job.job_id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 120_000);
  expect(done.state, done.failure_reason).toBe('SUCCEEDED');
  return done;
}

const getModel = (name: string, version = 0, label = ''): Promise<Model__Output> =>
  call<Model__Output>(server.client(), 'GetModel', { model: { name, version, version_label: label } });

async function stateBytes(kind: string): Promise<number> {
  const text = await (await fetch(server.metricsUrl)).text();
  const line = text.split('\n').find((l) => l.startsWith(`taan_state_bytes{kind="${kind}"}`));
  if (!line) throw new Error(`taan_state_bytes{kind="${kind}"} not in /metrics`);
  return Number(line.split(' ')[1]);
}

describe('model versions', () => {
  it('deletes a version and frees its bytes; never reuses its number', async () => {
    await train('life', { version_labels: ['stable'] });
    await train('life');
    await train('life');
    const dir3 = path.join(server.stateDir, 'models', 'life', '3');
    const v3Bytes = await treeBytes(dir3);
    expect(v3Bytes).toBeGreaterThan(1000);
    const before = await treeBytes(server.stateDir);
    const res = await call<{ freed_bytes: number; removed_labels: string[] }>(server.client(), 'DeleteModelVersion', { name: 'life', version: 3 });
    expect(res.freed_bytes).toBe(v3Bytes);
    expect(res.removed_labels).toEqual([]);
    const after = await treeBytes(server.stateDir);
    // Other writes (the job database) may happen meanwhile; the version's bytes are gone all the same.
    expect(before - after).toBeGreaterThanOrEqual(v3Bytes - 4096);
    expect((await getModel('life')).versions).toEqual([1, 2]);
    expect((await callError(server.client(), 'GetModel', { model: { name: 'life', version: 3 } })).code).toBe(grpc.status.NOT_FOUND);
    // The gauge was updated by the delete itself.
    expect(await stateBytes('models')).toBe(await treeBytes(path.join(server.stateDir, 'models')));

    const next = await train('life');
    expect(next.model_version).toBe(4);
    expect((await getModel('life')).versions).toEqual([1, 2, 4]);
  }, 300_000);

  it('refuses to delete a labelled version unless forced; force removes its labels', async () => {
    const refused = await callError(server.client(), 'DeleteModelVersion', { name: 'life', version: 1 });
    expect(refused.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(refused.details).toMatch(/stable/);
    // Still served through its label.
    expect((await getModel('life', 0, 'stable')).version).toBe(1);
    const forced = await call<{ removed_labels: string[] }>(server.client(), 'DeleteModelVersion', { name: 'life', version: 1, force: true });
    expect(forced.removed_labels).toEqual(['stable']);
    expect((await getModel('life')).version_labels).toEqual({});
    expect((await callError(server.client(), 'GetModel', { model: { name: 'life', version_label: 'stable' } })).code).toBe(grpc.status.NOT_FOUND);
  });

  it('answers NOT_FOUND for an unknown model or version and INVALID_ARGUMENT for a missing one', async () => {
    expect((await callError(server.client(), 'DeleteModelVersion', { name: 'nope', version: 1 })).code).toBe(grpc.status.NOT_FOUND);
    expect((await callError(server.client(), 'DeleteModelVersion', { name: 'life', version: 99 })).code).toBe(grpc.status.NOT_FOUND);
    expect((await callError(server.client(), 'DeleteModel', { name: 'nope' })).code).toBe(grpc.status.NOT_FOUND);
    expect((await callError(server.client(), 'DeleteModelVersion', { name: 'life', version: 0 })).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await callError(server.client(), 'DeleteModelVersion', { name: '', version: 1 })).code).toBe(grpc.status.INVALID_ARGUMENT);
    expect((await callError(server.client(), 'DeleteModel', { name: '../etc' })).code).toBe(grpc.status.INVALID_ARGUMENT);
  });

  it('deletes a whole model while a job is training the next version of it: the job succeeds with a new number', async () => {
    await train('whole', { version_labels: ['prod'] });
    const job = await call<Job__Output>(server.client(), 'TrainJob', slowTrainRequest('whole', { max_epochs: 2 }));
    await waitForState(server.client(), job.job_id, ['RUNNING'], 60_000);
    const modelBytes = await treeBytes(path.join(server.stateDir, 'models', 'whole'));
    const res = await call<{ deleted_versions: number[]; freed_bytes: number }>(server.client(), 'DeleteModel', { name: 'whole' });
    expect(res.deleted_versions).toEqual([1]);
    expect(res.freed_bytes).toBeGreaterThan(modelBytes - 100);
    const models = await call<{ models: Model__Output[] }>(server.client(), 'ListModels', {});
    expect(models.models.map((m) => m.name)).not.toContain('whole');
    const done = await waitForState(server.client(), job.job_id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 180_000);
    expect(done.state, done.failure_reason).toBe('SUCCEEDED');
    expect(done.model_version).toBe(2);
    const m = await getModel('whole');
    expect(m.versions).toEqual([2]);
    expect(m.version_labels).toEqual({});
  }, 300_000);
});

describe('jobs and datasets', () => {
  it('keeps no checkpoint of a finished job; deletes only ended jobs; refuses to delete a dataset a job uses', async () => {
    const files = await Promise.all(['yeast-train.arff', 'yeast-test.arff'].map(async (f) => ({ fileName: f, data: await readFile(path.join(SHARED_DATA, 'yeast', f)) })));
    const ds = await upload(server.client(), 'yeast', files);
    const listed = await call<{ datasets: Array<{ dataset_id: string; name: string; total_bytes: number }> }>(server.client(), 'ListDatasets', {});
    expect(listed.datasets.map((d) => [d.dataset_id, d.name, d.total_bytes])).toEqual([[ds.dataset_id, 'yeast', ds.total_bytes]]);

    const job = await call<Job__Output>(server.client(), 'TrainJob', {
      model_name: 'yeast',
      dataset_id: ds.dataset_id,
      hidden_sizes: [256, 256],
      num_basis: 16,
      max_epochs: 200,
      batch_size_per_task: 16,
      learning_rate: 1e-3,
      early_stopping_patience: 0,
    });
    await waitForState(server.client(), job.job_id, ['RUNNING'], 60_000);
    const usedDs = await callError(server.client(), 'DeleteDataset', { dataset_id: ds.dataset_id });
    expect(usedDs.code).toBe(grpc.status.FAILED_PRECONDITION);
    expect(usedDs.details).toContain(job.job_id);
    const runningJob = await callError(server.client(), 'DeleteJob', { job_id: job.job_id });
    expect(runningJob.code).toBe(grpc.status.FAILED_PRECONDITION);
    // The refused deletes changed nothing: the job goes on from epoch to epoch, keeping one checkpoint file,
    // replaced after each epoch.
    const ckDir = path.join(server.stateDir, 'jobs', job.job_id, 'checkpoint');
    const checkpoints = await waitForCheckpoints(job.job_id, ckDir);
    expect(checkpoints).toEqual(['checkpoint.bin']);

    await call(server.client(), 'CancelJob', { job_id: job.job_id });
    await waitForState(server.client(), job.job_id, ['CANCELLED'], 60_000);
    // An ended job keeps no checkpoint: its working folder goes when it ends.
    await expectGone(path.join(server.stateDir, 'jobs', job.job_id));

    const del = await call<{ freed_bytes: number }>(server.client(), 'DeleteJob', { job_id: job.job_id });
    expect(del.freed_bytes).toBe(0);
    expect((await callError(server.client(), 'GetJob', { job_id: job.job_id })).code).toBe(grpc.status.NOT_FOUND);
    expect((await callError(server.client(), 'DeleteJob', { job_id: job.job_id })).code).toBe(grpc.status.NOT_FOUND);

    const dsDir = path.join(server.stateDir, 'datasets', ds.dataset_id);
    const dsBytes = await treeBytes(dsDir);
    expect(dsBytes).toBeGreaterThan(ds.total_bytes);
    const before = await treeBytes(server.stateDir);
    const freed = await call<{ freed_bytes: number }>(server.client(), 'DeleteDataset', { dataset_id: ds.dataset_id });
    expect(freed.freed_bytes).toBe(dsBytes);
    expect(before - (await treeBytes(server.stateDir))).toBeGreaterThanOrEqual(dsBytes - 4096);
    expect((await call<{ datasets: unknown[] }>(server.client(), 'ListDatasets', {})).datasets).toEqual([]);
    expect(await stateBytes('datasets')).toBe(0);
    expect((await callError(server.client(), 'DeleteDataset', { dataset_id: ds.dataset_id })).code).toBe(grpc.status.NOT_FOUND);
    expect((await callError(server.client(), 'DeleteDataset', { dataset_id: 'ds-zz-0000000000' })).code).toBe(grpc.status.NOT_FOUND);
  }, 300_000);

  it('a deleted job leaves the version it published', async () => {
    const job = await train('kept');
    await call(server.client(), 'DeleteJob', { job_id: job.job_id });
    expect((await getModel('kept')).versions).toEqual([1]);
  }, 120_000);

  it('cuts status messages that echo user input at 1 KiB', async () => {
    const id = `job-${'x'.repeat(5000)}`;
    const err = await callError(server.client(), 'DeleteJob', { job_id: id });
    expect(err.code).toBe(grpc.status.NOT_FOUND);
    expect(Buffer.byteLength(err.details)).toBeLessThanOrEqual(1024);
    expect(err.details.startsWith('job not found: job-xxx')).toBe(true);
  });
});

/** The checkpoint folder's files once the running job has written its second epoch's checkpoint. */
async function waitForCheckpoints(jobId: string, dir: string): Promise<string[]> {
  const until = Date.now() + 120_000;
  for (;;) {
    const job = await call<Job__Output>(server.client(), 'GetJob', { job_id: jobId });
    expect(job.state).toBe('RUNNING');
    const files = await readdir(dir).catch(() => [] as string[]);
    if ((job.progress?.epoch ?? 0) >= 2 && files.length) return files.filter((f) => !f.startsWith('.tmp-'));
    if (Date.now() > until) throw new Error(`job ${jobId} wrote no checkpoint`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function expectGone(p: string): Promise<void> {
  const until = Date.now() + 10_000;
  while ((await treeBytes(p)) > 0 || (await readdir(p).then(() => true, () => false))) {
    if (Date.now() > until) throw new Error(`${p} still there`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('roles', () => {
  let secured: ServerProcess;
  beforeAll(async () => {
    const dir = server.stateDir;
    const tokens = path.join(dir, '..', `${path.basename(dir)}-tokens`);
    await writeFile(tokens, 'tok-train train\ntok-predict predict\ntok-admin admin\n');
    secured = await startServer({ env: { TAAN_AUTH_TOKENS_FILE: tokens } });
  }, 60_000);
  afterAll(async () => {
    await secured?.stop();
  });

  const as = async (token: string, method: string, req: unknown): Promise<number> => {
    const md = new grpc.Metadata();
    md.set('authorization', `Bearer ${token}`);
    return call(secured.client(), method, req, md).then(() => grpc.status.OK, (e: grpc.ServiceError) => e.code);
  };

  it('lets only admin delete; train may list datasets', async () => {
    for (const [method, req] of [
      ['DeleteModelVersion', { name: 'm', version: 1 }],
      ['DeleteModel', { name: 'm' }],
      ['DeleteJob', { job_id: 'job-x' }],
      ['DeleteDataset', { dataset_id: 'ds-zz-0000000000' }],
    ] as const) {
      expect(await as('tok-train', method, req), method).toBe(grpc.status.PERMISSION_DENIED);
      expect(await as('tok-predict', method, req), method).toBe(grpc.status.PERMISSION_DENIED);
      // Admin passes the check and reaches the service, which knows nothing of these.
      expect(await as('tok-admin', method, req), method).toBe(grpc.status.NOT_FOUND);
    }
    expect(await as('tok-train', 'ListDatasets', {})).toBe(grpc.status.OK);
    expect(await as('tok-predict', 'ListDatasets', {})).toBe(grpc.status.PERMISSION_DENIED);
  });
});
