/**
 * The lifecycle with two real replicas on one real PostgreSQL: a delete made on one replica is seen by the other
 * (versions, models, jobs, uploads), the other's local copies leave its disk, refusals hold across replicas (a label
 * set on one protects the version on the other), and version numbers are never reused by either.
 */
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { treeBytes } from '../../src/util/atomic.js';
import { smallTrainRequest, upload, waitForState } from '../helpers/jobs.js';
import { Replicas } from '../helpers/replicas.js';
import { call, callError, SHARED_DATA} from '../helpers/server-process.js';
import { waitFor } from '../helpers/wait-for.js';

let cluster: Replicas;
const client = (name: 'A' | 'B'): TaanServiceClient => cluster.client(name);

async function train(on: 'A' | 'B', model: string, extra: Record<string, unknown> = {}): Promise<Job__Output> {
  const job = await call<Job__Output>(client(on), 'TrainJob', smallTrainRequest(model, extra));
  const done = await waitForState(client(on), job.job_id, ['SUCCEEDED', 'FAILED', 'CANCELLED'], 120_000);
  expect(done.state, done.failure_reason).toBe('SUCCEEDED');
  return done;
}

const getModel = (on: 'A' | 'B', name: string, version = 0): Promise<Model__Output> =>
  call<Model__Output>(client(on), 'GetModel', { model: { name, version } });

const codeOf = (p: Promise<unknown>): Promise<number> => p.then(() => grpc.status.OK, (e: grpc.ServiceError) => e.code);

beforeAll(async () => {
  cluster = await Replicas.start(2);
}, 120_000);

afterAll(async () => {
  await cluster?.close();
});

describe('deletes across replicas', () => {
  it('a version deleted on one replica is gone on the other, from its disk too, and its number is not reused', async () => {
    await train('A', 'rep');
    await train('A', 'rep');
    // B serves version 2 once: it now has a local copy.
    await waitFor(async () => ((await getModel('B', 'rep', 2)).version === 2 ? true : undefined), 10_000, 'version 2 on B');
    const bCopy = path.join(cluster.server('B').stateDir, 'models', 'rep', '2');
    expect(await treeBytes(bCopy)).toBeGreaterThan(1000);

    await call(client('A'), 'SetModelVersionLabel', { name: 'rep', version: 1, label: 'stable' });
    // The label set through A protects the version on B.
    const refused = await callError(client('B'), 'DeleteModelVersion', { name: 'rep', version: 1 });
    expect(refused.code).toBe(grpc.status.FAILED_PRECONDITION);

    await call(client('A'), 'DeleteModelVersion', { name: 'rep', version: 2 });
    await waitFor(async () => ((await codeOf(getModel('B', 'rep', 2))) === grpc.status.NOT_FOUND ? true : undefined), 10_000, 'version 2 gone on B');
    expect(await treeBytes(bCopy)).toBe(0);
    expect((await getModel('B', 'rep')).versions).toEqual([1]);

    // The next version, published through either replica, is 3.
    const next = await train('B', 'rep');
    expect(next.model_version).toBe(3);
    await waitFor(async () => ((await getModel('A', 'rep')).versions.join() === '1,3' ? true : undefined), 10_000, 'versions 1,3 on A');
  }, 300_000);

  it('a model deleted on one replica is gone on the other; a new one of that name continues the numbers', async () => {
    await call(client('B'), 'DeleteModel', { name: 'rep' });
    await waitFor(async () => ((await codeOf(getModel('A', 'rep'))) === grpc.status.NOT_FOUND ? true : undefined), 10_000, 'rep gone on A');
    const models = await call<{ models: Model__Output[] }>(client('A'), 'ListModels', {});
    expect(models.models.map((m) => m.name)).not.toContain('rep');
    const again = await train('A', 'rep');
    expect(again.model_version).toBe(4);
    expect((await getModel('B', 'rep')).version_labels).toEqual({});
  }, 300_000);

  it('a job deleted on one replica is gone on the other', async () => {
    const job = await train('A', 'jobdel');
    await call(client('B'), 'DeleteJob', { job_id: job.job_id });
    expect((await callError(client('A'), 'GetJob', { job_id: job.job_id })).code).toBe(grpc.status.NOT_FOUND);
    expect((await callError(client('A'), 'DeleteJob', { job_id: job.job_id })).code).toBe(grpc.status.NOT_FOUND);
    // Its version stays.
    expect((await getModel('A', 'jobdel')).versions).toEqual([1]);
  }, 120_000);

  it('an upload deleted on one replica is gone on the other, and from its disk', async () => {
    const data = await readFile(path.join(SHARED_DATA, 'yeast', 'yeast-test.arff'));
    const ds = await upload(client('A'), 'yeast-test', [{ fileName: 'yeast-test.arff', data }]);
    const seen = await call<{ datasets: Array<{ dataset_id: string }> }>(client('B'), 'ListDatasets', {});
    expect(seen.datasets.map((d) => d.dataset_id)).toEqual([ds.dataset_id]);
    expect(await readdir(path.join(cluster.server('A').stateDir, 'datasets'))).toContain(ds.dataset_id);

    await call(client('B'), 'DeleteDataset', { dataset_id: ds.dataset_id });
    expect((await call<{ datasets: unknown[] }>(client('A'), 'ListDatasets', {})).datasets).toEqual([]);
    expect(await readdir(path.join(cluster.server('A').stateDir, 'datasets'))).not.toContain(ds.dataset_id);
    expect((await callError(client('A'), 'DeleteDataset', { dataset_id: ds.dataset_id })).code).toBe(grpc.status.NOT_FOUND);
    const reuse = await callError(client('A'), 'TrainJob', { model_name: 'gone', dataset_id: ds.dataset_id, hidden_sizes: [8], max_epochs: 1 });
    expect(reuse.code).toBe(grpc.status.NOT_FOUND);
  }, 120_000);
});
