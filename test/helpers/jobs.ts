/** Small request builders and waiters shared by the end-to-end tests. */
import type { ClientReadableStream } from '@grpc/grpc-js';
import type { Job__Output } from '../../src/grpc/generated/taan/v1/Job.js';
import type { JobEvent__Output } from '../../src/grpc/generated/taan/v1/JobEvent.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { call } from './server-process.js';

/** A small synthetic TrainJob (8 tasks, 2 epochs) that finishes in about a second. */
export function smallTrainRequest(model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model_name: model,
    synthetic: { tasks: 8, clusters: 2, features: 16, examples_per_task: 300, seed: 1 },
    hidden_sizes: [24],
    num_basis: 8,
    max_epochs: 2,
    batch_size_per_task: 32,
    learning_rate: 3e-3,
    ...extra,
  };
}

export function watch(client: TaanServiceClient, jobId: string): Promise<JobEvent__Output[]> {
  return new Promise((resolve, reject) => {
    const events: JobEvent__Output[] = [];
    const stream = (client as unknown as { WatchJob(r: unknown): ClientReadableStream<JobEvent__Output> }).WatchJob({ job_id: jobId });
    stream.on('data', (e: JobEvent__Output) => events.push(e));
    stream.on('end', () => resolve(events));
    stream.on('error', reject);
  });
}

export async function waitForState(client: TaanServiceClient, jobId: string, states: string[], timeoutMs = 60_000): Promise<Job__Output> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await call<Job__Output>(client, 'GetJob', { job_id: jobId });
    if (states.includes(job.state as string)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
