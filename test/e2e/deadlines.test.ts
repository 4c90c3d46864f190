/**
 * Per-request deadlines and cancels on a real server: a call that ends early stops its work and frees what it held
 * (a WatchJob slot, an upload's temp folder), so a client that gives up never leaves load or litter behind.
 * (A Predict cancelled while queued never reaches a worker: test/serving/batcher.test.ts.)
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { slowTrainRequest, waitForState } from '../helpers/jobs.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';

let server: ServerProcess;
let client: TaanServiceClient;

beforeAll(async () => {
  server = await startServer({ env: { TAAN_MAX_WATCH_STREAMS: '1' } });
  client = server.client();
});
afterAll(async () => {
  expect(await server.stop()).toBe(0);
});

async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Opens a WatchJob stream with a deadline; resolves with the status it ended with. */
function watchUntilDeadline(jobId: string, ms: number): Promise<number> {
  return new Promise((resolve) => {
    const stream = (client as unknown as { WatchJob(r: unknown, m: grpc.Metadata, o: grpc.CallOptions): grpc.ClientReadableStream<unknown> })
      .WatchJob({ job_id: jobId }, new grpc.Metadata(), { deadline: Date.now() + ms });
    stream.on('data', () => undefined);
    stream.on('error', (err: grpc.ServiceError) => resolve(err.code));
    stream.on('end', () => resolve(grpc.status.OK));
  });
}

describe('deadlines and cancels', () => {
  it('a WatchJob past its deadline ends DEADLINE_EXCEEDED and frees its stream slot', async () => {
    const job = await call<Job__Output>(client, 'TrainJob', slowTrainRequest('dl'));
    await waitForState(client, job.job_id, ['RUNNING']);
    // Limit 1: the second watch is only accepted if the first one's slot was released when its deadline passed.
    expect(await watchUntilDeadline(job.job_id, 300)).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(await watchUntilDeadline(job.job_id, 300)).toBe(grpc.status.DEADLINE_EXCEEDED);
    await call(client, 'CancelJob', { job_id: job.job_id });
    await waitForState(client, job.job_id, ['CANCELLED']);
  });

  it('an upload cancelled mid-stream leaves no temp folder and no dataset', async () => {
    const dir = path.join(server.stateDir, 'datasets');
    const before = readdirSync(dir);
    const done = new Promise<number>((resolve) => {
      const stream = (client as unknown as { UploadDataset(cb: (err: grpc.ServiceError | null) => void): grpc.ClientWritableStream<unknown> })
        .UploadDataset((err) => resolve(err ? err.code : grpc.status.OK));
      stream.write({ name: 'half', file_name: 'a.csv', data: Buffer.alloc(64 * 1024, 65), sha256: '' });
      // Cancel once the server has started writing: its temp folder is there.
      void eventually(() => readdirSync(dir).some((n) => n.startsWith('.tmp-'))).then(() => stream.cancel());
    });
    expect(await done).toBe(grpc.status.CANCELLED);
    await eventually(() => readdirSync(dir).length === before.length);
    expect(readdirSync(dir)).toEqual(before);
  });
});
