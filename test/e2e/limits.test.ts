/**
 * Every configured limit, exceeded, gives RESOURCE_EXHAUSTED (or, for run time, a FAILED job whose reason names
 * the limit): queued jobs, examples per Predict, message size (of the lifecycle RPCs too), WatchJob streams, upload
 * size and total (a deleted upload frees its share), job run time.
 */
import type { ClientReadableStream } from '@grpc/grpc-js';
import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { slowTrainRequest, smallTrainRequest, upload, waitForState } from '../helpers/jobs.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let client: TaanServiceClient;

beforeAll(async () => {
  server = await startServer({
    env: {
      TAAN_MAX_QUEUED_JOBS: '2',
      TAAN_MAX_PREDICT_EXAMPLES: '3',
      TAAN_MAX_MESSAGE_BYTES: '100000',
      TAAN_MAX_WATCH_STREAMS: '1',
      TAAN_MAX_UPLOAD_BYTES: '1000',
      TAAN_MAX_UPLOAD_TOTAL_BYTES: '1500',
    },
  });
  client = server.client();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (err) {
    return status[(err as { code: number }).code] ?? 'UNKNOWN';
  }
}

describe('limits', () => {
  it('examples per Predict and message size', async () => {
    const small = await call<Job__Output>(client, 'TrainJob', smallTrainRequest('lim', { max_epochs: 1 }));
    await waitForState(client, small.job_id, ['SUCCEEDED']);
    const features = Array.from({ length: 16 }, () => 0.1);
    expect(await codeOf(call(client, 'Predict', { model: { name: 'lim' }, examples: Array.from({ length: 4 }, () => ({ features })) }))).toBe('RESOURCE_EXHAUSTED');
    expect(await codeOf(call(client, 'Predict', { model: { name: 'lim' }, features_f32: Buffer.alloc(200_000), num_examples: 3125 }))).toBe('RESOURCE_EXHAUSTED');
  });

  it('a job over its run time ends FAILED with a reason naming the limit', async () => {
    const job = await call<Job__Output>(client, 'TrainJob', slowTrainRequest('slow', { max_runtime_seconds: 1 }));
    const end = await waitForState(client, job.job_id, ['FAILED', 'SUCCEEDED'], 60_000);
    expect(end.state).toBe('FAILED');
    expect(end.failure_reason).toMatch(/maximum run time of 1 s.*max_runtime_seconds/);
  });

  it('queued jobs and WatchJob streams', async () => {
    const running = await call<Job__Output>(client, 'TrainJob', slowTrainRequest('q0'));
    await waitForState(client, running.job_id, ['RUNNING']);
    await call(client, 'TrainJob', smallTrainRequest('q1'));
    await call(client, 'TrainJob', smallTrainRequest('q2'));
    expect(await codeOf(call(client, 'TrainJob', smallTrainRequest('q3')))).toBe('RESOURCE_EXHAUSTED');

    const watch = (): ClientReadableStream<unknown> =>
      (client as unknown as { WatchJob(r: unknown): ClientReadableStream<unknown> }).WatchJob({ job_id: running.job_id });
    const first = watch();
    first.on('error', () => undefined); // the client's own cancel below ends it with CANCELLED
    await new Promise((resolve) => first.once('data', resolve));
    const second = await new Promise<number>((resolve) => {
      const s = watch();
      s.on('data', () => undefined);
      s.on('error', (e: { code: number }) => resolve(e.code));
      s.on('end', () => resolve(status.OK));
    });
    expect(status[second]).toBe('RESOURCE_EXHAUSTED');
    first.cancel();
    await call(client, 'CancelJob', { job_id: running.job_id });
  });

  it('upload size and total uploaded bytes', async () => {
    const data = (n: number): Uint8Array => new Uint8Array(n).fill(7);
    expect(await codeOf(upload(client, 'big', [{ fileName: 'a.bin', data: data(2000) }], 500))).toBe('RESOURCE_EXHAUSTED');
    expect(await codeOf(upload(client, 'ok', [{ fileName: 'a.bin', data: data(900) }]))).toBe('OK');
    expect(await codeOf(upload(client, 'over-total', [{ fileName: 'b.bin', data: data(900) }]))).toBe('RESOURCE_EXHAUSTED');
  });

  it('a deleted upload gives its bytes back to the total; lifecycle requests over the message size are refused', async () => {
    const { datasets } = await call<{ datasets: Array<{ dataset_id: string; name: string }> }>(client, 'ListDatasets', {});
    const ok = datasets.find((d) => d.name === 'ok')!;
    await call(client, 'DeleteDataset', { dataset_id: ok.dataset_id });
    expect(await codeOf(upload(client, 'after-delete', [{ fileName: 'b.bin', data: new Uint8Array(900).fill(7) }]))).toBe('OK');
    const huge = 'x'.repeat(200_000);
    for (const [method, req] of [
      ['DeleteModelVersion', { name: huge, version: 1 }],
      ['DeleteModel', { name: huge }],
      ['DeleteJob', { job_id: huge }],
      ['DeleteDataset', { dataset_id: huge }],
    ] as const) {
      expect(await codeOf(call(client, method, req)), method).toBe('RESOURCE_EXHAUSTED');
    }
  });
});
