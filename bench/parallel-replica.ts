/**
 * One replica of data-parallel training, in a worker thread: builds the network from the same seed as its peers,
 * takes its share of every task's rows (rank-th of `world` equal parts) and runs `steps` optimizer steps with
 * gradients averaged through shared memory. Reports step times and its final parameters. Used by the benchmark
 * (`npm run bench`) and by test/training/parallel.test.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { TaskBatch } from '../src/domain/batch.js';
import type { ModelConfig, Regularizer } from '../src/domain/model-spec.js';
import { Adam } from '../src/model/adam.js';
import { initBackend } from '../src/model/backend.js';
import { OffsetCache } from '../src/model/layer-pass.js';
import { Network } from '../src/model/network.js';
import { trainStep } from '../src/model/train-step.js';
import { sharedAllReduce, type SharedReduceState } from '../src/workers/shared-all-reduce.js';

export interface ReplicaInput {
  rank: number;
  world: number;
  state: SharedReduceState;
  config: ModelConfig;
  batch: TaskBatch;
  regularizer: Regularizer;
  learningRate: number;
  warmup: number;
  steps: number;
  returnParams: boolean;
}

/** Rows [rank * n / world, (rank + 1) * n / world) of every task. */
export function shard(batch: TaskBatch, inputDim: number, classes: number[], rank: number, world: number): TaskBatch {
  const counts = batch.counts.map((n) => n / world);
  const x = new Float32Array(counts.reduce((a, b) => a + b, 0) * inputDim);
  let src = 0;
  let dst = 0;
  const y = batch.counts.map((n, t) => {
    const m = counts[t]!;
    const C = classes[t]!;
    x.set(batch.x.subarray((src + rank * m) * inputDim, (src + rank * m + m) * inputDim), dst * inputDim);
    src += n;
    dst += m;
    return batch.y[t]!.slice(rank * m * C, (rank * m + m) * C);
  });
  return { x, y, counts };
}

if (parentPort && workerData) {
  const input = workerData as ReplicaInput;
  await initBackend('wasm');
  const net = Network.create(input.config, 0);
  const adam = new Adam(net, { learningRate: input.learningRate, weightDecay: 0.005 });
  const offsets = new OffsetCache();
  const classes = input.config.tasks.map((t) => t.labels.length);
  const mine = shard(input.batch, input.config.inputDim, classes, input.rank, input.world);
  const reduce = sharedAllReduce(input.state, input.rank);
  const reg = { kind: input.regularizer, coefficient: 0.1 };
  for (let i = 0; i < input.warmup; i++) trainStep(net, adam, mine, reg, offsets, reduce);
  const times: number[] = [];
  for (let i = 0; i < input.steps; i++) {
    const t0 = performance.now();
    trainStep(net, adam, mine, reg, offsets, reduce);
    times.push((performance.now() - t0) / 1000);
  }
  parentPort.postMessage({ times, params: input.returnParams ? Object.fromEntries(net.getArrays()) : null });
}
