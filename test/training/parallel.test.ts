/**
 * The benchmark's two-thread steps (bench/parallel.ts, on the service's src/training/data-parallel.ts: this thread
 * is rank 0, one worker thread rank 1, gradients averaged through shared memory) are the same optimisation as one
 * replica on the whole batch: both replicas end bit-identical, and their parameter updates equal the
 * single-replica updates up to float32 summation order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runParallel } from '../../bench/parallel.js';
import type { TaskBatch } from '../../src/domain/batch.js';
import type { ModelConfig } from '../../src/domain/model-spec.js';
import { Adam } from '../../src/model/adam.js';
import { OffsetCache } from '../../src/model/layer-pass.js';
import { Network } from '../../src/model/network.js';
import { trainStep } from '../../src/model/train-step.js';
import { Rng } from '../../src/util/rng.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(() => useBackend('wasm'));

const CLASSES = [5, 7, 3, 6];
const config: ModelConfig = {
  architecture: 'TAAN',
  inputDim: 12,
  hiddenSizes: [16, 16],
  numBasis: 8,
  tasks: CLASSES.map((c, t) => ({ name: `t${t}`, labels: Array.from({ length: c }, () => '') })),
  measure: 'STANDARD',
};

function batch(): TaskBatch {
  const rng = new Rng(3);
  const counts = CLASSES.map(() => 8);
  return {
    x: Float32Array.from({ length: 32 * 12 }, () => rng.normal()),
    y: CLASSES.map((c) => Float32Array.from({ length: 8 * c }, () => (rng.next() < 0.3 ? 1 : 0))),
    counts,
  };
}

describe('data-parallel training', () => {
  it('two replicas on half the rows each equal one replica on all rows', async () => {
    const steps = 6;
    const b = batch();
    const init = Network.create(config, 0);
    const start = init.getArrays();
    const paramCount = init.paramCount();
    const single = Network.create(config, 0);
    const adam = new Adam(single, { learningRate: 1e-2, weightDecay: 0.005 });
    const offsets = new OffsetCache();
    for (let i = 0; i < steps; i++) trainStep(single, adam, b, { kind: 'DISTANCE', coefficient: 0.1 }, offsets);
    const expected = single.getArrays();

    const run = await runParallel(config, b, { world: 2, paramCount, regularizer: 'DISTANCE', learningRate: 1e-2, warmup: 0, steps, returnParams: true });
    const [a, c] = run.params as Array<Record<string, Float32Array>>;
    for (const [name, v] of expected) {
      expect(a![name], name).toEqual(c![name]);
      const s = start.get(name)!;
      let num = 0;
      let den = 0;
      for (let i = 0; i < v.length; i++) {
        num += (a![name]![i]! - v[i]!) ** 2;
        den += (v[i]! - s[i]!) ** 2;
      }
      expect(Math.sqrt(num / Math.max(den, 1e-30)), `relative difference of the update of ${name}`).toBeLessThan(1e-3);
    }
    for (const n of [init, single]) n.dispose();
    adam.dispose();
    offsets.dispose();
  });
});
