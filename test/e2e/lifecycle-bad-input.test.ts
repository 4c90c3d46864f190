/**
 * Bad input to the lifecycle RPCs: each gets its status code (a BadRequest naming the field where a field is
 * malformed), messages that echo it stay within 1 KiB, names that look like paths touch nothing on disk, and the
 * server keeps its models and serves on.
 */
import { status } from '@grpc/grpc-js';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { Model__Output } from '../../src/grpc/generated/taan/v1/Model.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { decodeFieldViolations } from '../../src/grpc/status.js';
import { slowTrainRequest, smallTrainRequest, waitForState } from '../helpers/jobs.js';
import { healthStatus } from '../helpers/probes.js';
import { call, callError, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let client: TaanServiceClient;
let finished: Job__Output;

beforeAll(async () => {
  server = await startServer();
  client = server.client();
  const job = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('keep', { max_epochs: 1, version_labels: ['stable'] }));
  finished = await waitForState(client, job.job_id, ['SUCCEEDED']);
}, 120_000);
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

async function expectCode(method: string, req: unknown, code: status, field?: string): Promise<string> {
  const err = await callError(client, method, req);
  expect(status[err.code], `${method}: ${err.details}`).toBe(status[code]);
  expect(err.details).not.toMatch(/\n\s+at /);
  expect(Buffer.byteLength(err.details)).toBeLessThanOrEqual(1024);
  if (field) expect(decodeFieldViolations(err).map((v) => v.field)).toContain(field);
  return err.details;
}

describe('lifecycle bad input', () => {
  it('missing and malformed fields are INVALID_ARGUMENT naming the field', async () => {
    await expectCode('DeleteModelVersion', {}, status.INVALID_ARGUMENT, 'name');
    await expectCode('DeleteModelVersion', { name: 'keep' }, status.INVALID_ARGUMENT, 'version');
    await expectCode('DeleteModelVersion', { name: 'keep', version: -3 }, status.INVALID_ARGUMENT, 'version');
    await expectCode('DeleteModelVersion', { name: '../keep', version: 1 }, status.INVALID_ARGUMENT, 'name');
    await expectCode('DeleteModel', {}, status.INVALID_ARGUMENT, 'name');
    await expectCode('DeleteModel', { name: 'a/b' }, status.INVALID_ARGUMENT, 'name');
    await expectCode('DeleteJob', {}, status.INVALID_ARGUMENT, 'job_id');
    await expectCode('DeleteDataset', {}, status.INVALID_ARGUMENT, 'dataset_id');
    await expectCode('DeleteDataset', { dataset_id: '../../etc' }, status.INVALID_ARGUMENT, 'dataset_id');
  });

  it('unknown names are NOT_FOUND; a labelled version is FAILED_PRECONDITION; a live job too', async () => {
    await expectCode('DeleteModelVersion', { name: 'nope', version: 1 }, status.NOT_FOUND);
    await expectCode('DeleteModelVersion', { name: 'keep', version: 2 }, status.NOT_FOUND);
    await expectCode('DeleteModel', { name: 'nope' }, status.NOT_FOUND);
    await expectCode('DeleteJob', { job_id: 'job-nope' }, status.NOT_FOUND);
    await expectCode('DeleteDataset', { dataset_id: 'ds-abc-0123456789' }, status.NOT_FOUND);
    expect(await expectCode('DeleteModelVersion', { name: 'keep', version: 1 }, status.FAILED_PRECONDITION)).toMatch(/labelled stable/);
    const live = await call<Job__Output>(client, 'TrainJob', slowTrainRequest('live', { max_epochs: 50 }));
    expect(await expectCode('DeleteJob', { job_id: live.job_id }, status.FAILED_PRECONDITION)).toMatch(/only SUCCEEDED, FAILED or CANCELLED/);
    await waitForState(client, live.job_id, ['RUNNING']);
    await expectCode('DeleteJob', { job_id: live.job_id }, status.FAILED_PRECONDITION);
    await call(client, 'CancelJob', { job_id: live.job_id });
    await waitForState(client, live.job_id, ['CANCELLED']);
    await call(client, 'DeleteJob', { job_id: live.job_id });
  }, 120_000);

  it('long and path-like input: messages within 1 KiB, nothing outside the state dir touched', async () => {
    const outside = path.join(server.stateDir, '..', `${path.basename(server.stateDir)}-canary`);
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, 'keep.txt'), 'x');
    const rel = path.relative(path.join(server.stateDir, 'jobs'), outside);
    await expectCode('DeleteJob', { job_id: rel }, status.NOT_FOUND);
    await expectCode('DeleteJob', { job_id: `job-${'é'.repeat(4000)}` }, status.NOT_FOUND);
    await expectCode('DeleteModel', { name: 'n'.repeat(5000) }, status.INVALID_ARGUMENT, 'name');
    await expectCode('DeleteDataset', { dataset_id: `ds-${'z'.repeat(5000)}` }, status.INVALID_ARGUMENT, 'dataset_id');
    await expectCode('DeleteModelVersion', { name: 'keep', version: 2 ** 31 - 1 }, status.NOT_FOUND);
    expect(await readdir(outside)).toEqual(['keep.txt']);
  });

  it('keeps its models and serves on after all of it', async () => {
    const m = await call<Model__Output>(client, 'GetModel', { model: { name: 'keep', version_label: 'stable' } });
    expect(m.version).toBe(1);
    expect(m.job_id).toBe(finished.job_id);
    const res = await call<{ results: unknown[] }>(client, 'Predict', { model: { name: 'keep' }, examples: [{ features: Array.from({ length: 16 }, () => 0.5) }] });
    expect(res.results).toHaveLength(1);
    expect(await healthStatus(server.address)).toBe('SERVING');
  });
});
