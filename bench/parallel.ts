/** Runs `world` replicas of data-parallel training (bench/parallel-replica.ts) in worker threads. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskBatch } from '../src/domain/batch.js';
import type { ModelConfig, Regularizer } from '../src/domain/model-spec.js';
import { createSharedReduceState } from '../src/workers/shared-all-reduce.js';
import type { ReplicaInput } from './parallel-replica.js';

const REPLICA = path.join(path.dirname(fileURLToPath(import.meta.url)), 'replica-boot.mjs');

export interface ParallelRun {
  /** Per step, the slower replica's seconds. */
  stepSeconds: number[];
  /** Final parameters of each replica (when asked). */
  params: Array<Record<string, Float32Array> | null>;
}

export async function runParallel(
  config: ModelConfig,
  batch: TaskBatch,
  opts: { world: number; paramCount: number; regularizer: Regularizer; learningRate: number; warmup: number; steps: number; returnParams: boolean },
): Promise<ParallelRun> {
  const state = createSharedReduceState(opts.paramCount, opts.world);
  const results = await Promise.all(
    Array.from({ length: opts.world }, (_, rank) => {
      const input: ReplicaInput = { rank, world: opts.world, state, config, batch, regularizer: opts.regularizer, learningRate: opts.learningRate, warmup: opts.warmup, steps: opts.steps, returnParams: opts.returnParams };
      const worker = new Worker(REPLICA, { workerData: input });
      return new Promise<{ times: number[]; params: Record<string, Float32Array> | null }>((resolve, reject) => {
        worker.once('message', (m: { times: number[]; params: Record<string, Float32Array> | null }) => {
          resolve(m);
          void worker.terminate();
        });
        worker.once('error', reject);
      });
    }),
  );
  return {
    stepSeconds: results[0]!.times.map((_, i) => Math.max(...results.map((r) => r.times[i]!))),
    params: results.map((r) => r.params),
  };
}
