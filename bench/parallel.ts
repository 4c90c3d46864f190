/**
 * Data-parallel training steps for the benchmark, through the service's own code path (src/training/data-parallel.ts,
 * what train() uses with threads = 2): this thread is rank 0 and samples nothing (it steps on `batch` every time),
 * one extra worker thread is rank 1, each takes half of every task's rows, gradients are averaged in shared memory.
 * The calling thread must have initialised its tfjs backend; rank 1 loads the same one.
 */
import type { TaskBatch } from '../src/domain/batch.js';
import type { ModelConfig, Regularizer } from '../src/domain/model-spec.js';
import { Adam } from '../src/model/adam.js';
import { OffsetCache } from '../src/model/layer-pass.js';
import { Network, type Storage } from '../src/model/network.js';
import { StepPartner } from '../src/training/data-parallel.js';

export interface ParallelRun {
  /** Per timed step, rank 0's seconds for the whole step (it includes waiting for rank 1 at the exchange). */
  stepSeconds: number[];
  /** Final parameters of each replica, rank 0 then rank 1 (when asked). */
  params: Array<Record<string, Float32Array> | null>;
}

export async function runParallel(
  config: ModelConfig,
  batch: TaskBatch,
  opts: { world: number; paramCount: number; regularizer: Regularizer; learningRate: number; warmup: number; steps: number; returnParams: boolean; storage?: Storage },
): Promise<ParallelRun> {
  if (opts.world !== 2) throw new Error(`data-parallel training runs on 2 threads, not ${opts.world}`);
  const net = Network.create(config, 0, opts.storage);
  const adamOptions = { learningRate: opts.learningRate, weightDecay: 0.005 };
  const adam = new Adam(net, adamOptions);
  const offsets = new OffsetCache();
  let partner: StepPartner | undefined;
  try {
    if (net.paramCount() !== opts.paramCount) throw new Error(`the model has ${net.paramCount()} parameters, not ${opts.paramCount}`);
    const reg = { kind: opts.regularizer, coefficient: 0.1 };
    partner = await StepPartner.start({ net, adam, adamOptions, reg, offsets, counts: batch.counts });
    for (let i = 0; i < opts.warmup; i++) await partner.step(batch);
    const stepSeconds: number[] = [];
    for (let i = 0; i < opts.steps; i++) {
      const t0 = performance.now();
      await partner.step(batch);
      stepSeconds.push((performance.now() - t0) / 1000);
    }
    const params = opts.returnParams
      ? [Object.fromEntries(net.getArrays()), Object.fromEntries((await partner.peerState()).arrays)]
      : [null, null];
    return { stepSeconds, params };
  } finally {
    await partner?.close();
    net.dispose();
    adam.dispose();
    offsets.dispose();
  }
}
