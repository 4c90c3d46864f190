/** A small synthetic dataset and model used by trainer, artifact and resume tests (same values in child processes). */
import { generateSynthetic } from '../../src/data/synthetic.js';
import type { Architecture, ModelConfig, TrainOptions } from '../../src/domain/model-spec.js';

export const tinyData = () => generateSynthetic({ tasks: 4, clusters: 2, examplesPerTask: 300, features: 16, seed: 1 });

export function tinyConfig(architecture: Architecture = 'TAAN'): ModelConfig {
  const ds = tinyData();
  return { architecture, inputDim: ds.inputDim, hiddenSizes: [12, 8], numBasis: 8, tasks: ds.tasks, measure: 'RUNNING' };
}

export const tinyOptions: Partial<TrainOptions> = {
  maxEpochs: 6,
  batchSizePerTask: 16,
  learningRate: 3e-3,
  earlyStoppingPatience: 0,
  regularizer: 'DISTANCE',
  seed: 4,
};
