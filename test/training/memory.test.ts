/** tf.memory().numTensors must stay flat over 200 training steps (engineering.md: every step inside tidy). */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { train } from '../../src/training/trainer.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(() => useBackend('wasm'));

describe('tensor memory', () => {
  it.each(['TAAN', 'HARD_SHARE', 'STL'] as const)('%s: no tensor growth over 200 steps', async (arch) => {
    const ds = generateSynthetic({ tasks: 4, examplesPerTask: 200, features: 12, seed: 2 });
    const config = { architecture: arch, inputDim: 12, hiddenSizes: [10, 6], numBasis: 6, tasks: ds.tasks, measure: 'RUNNING' as const };
    const counts: number[] = [];
    const r = await train(config, ds, { maxEpochs: 40, batchSizePerTask: 16, earlyStoppingPatience: 0, regularizer: 'COSINE' }, {
      progressEverySteps: 1,
      onProgress: (p) => {
        if (p.kind === 'step') counts.push(tf.memory().numTensors);
      },
    });
    expect(r.steps).toBeGreaterThanOrEqual(200);
    expect(counts.length).toBe(r.steps);
    // After the first step (optimizer moments, cached offsets) the count must not move.
    expect(Math.max(...counts.slice(1))).toBe(counts[1]);
    const before = tf.memory().numTensors;
    r.net.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });
});
