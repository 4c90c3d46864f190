/** Small request builders and waiters shared by the end-to-end tests. */
import { createHash } from 'node:crypto';
import type { ClientReadableStream, Metadata } from '@grpc/grpc-js';
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

export async function waitForState(client: TaanServiceClient, jobId: string, states: string[], timeoutMs = 60_000, metadata?: Metadata): Promise<Job__Output> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const job = await call<Job__Output>(client, 'GetJob', { job_id: jobId }, metadata);
    if (states.includes(job.state as string)) return job;
    if (Date.now() > until) throw new Error(`job ${jobId} still ${job.state} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** UploadDataset over a client stream; each file in chunks of `chunkBytes`, its sha256 on the last chunk. */
export function upload(
  client: TaanServiceClient,
  name: string,
  files: Array<{ fileName: string; data: Uint8Array; sha256?: string }>,
  chunkBytes = 1 << 20,
): Promise<{ dataset_id: string; files: Array<{ file_name: string; size: number; sha256: string }>; total_bytes: number }> {
  return new Promise((resolve, reject) => {
    const stream = (client as unknown as {
      UploadDataset(cb: (err: Error | null, res: never) => void): { write(m: unknown): void; end(): void };
    }).UploadDataset((err, res) => (err ? reject(err) : resolve(res)));
    let first = true;
    for (const f of files) {
      const sha = f.sha256 ?? createHash('sha256').update(f.data).digest('hex');
      const n = Math.max(1, Math.ceil(f.data.length / chunkBytes));
      for (let i = 0; i < n; i++) {
        stream.write({
          name: first ? name : '',
          file_name: f.fileName,
          data: Buffer.from(f.data.subarray(i * chunkBytes, (i + 1) * chunkBytes)),
          sha256: i === n - 1 ? sha : '',
        });
        first = false;
      }
    }
    stream.end();
  });
}

/** A synthetic job whose steps take ~0.1-0.3 s on these machines, so it can be observed, killed and cancelled mid-run. */
export function slowTrainRequest(model: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    model_name: model,
    synthetic: { tasks: 8, clusters: 2, features: 256, examples_per_task: 2200, seed: 3 },
    hidden_sizes: [512, 512],
    num_basis: 16,
    max_epochs: 6,
    batch_size_per_task: 256,
    learning_rate: 1e-3,
    early_stopping_patience: 0,
    ...extra,
  };
}

/** Polls /metrics for one sample value. */
export async function metricValue(url: string, name: string): Promise<number> {
  const text = await (await fetch(url)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  if (!line) throw new Error(`${name} not in /metrics`);
  return Number(line.split(' ')[1]);
}
