/** Builds the engine's dataset from a training request's source (paths already resolved and confined). */
import type { DatasetSource } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import type { MultiTaskDataset } from './dataset.js';
import { generateSynthetic } from './synthetic.js';

export async function buildDataset(source: DatasetSource): Promise<MultiTaskDataset> {
  switch (source.kind) {
    case 'synthetic':
      return generateSynthetic(source);
    default:
      throw InvalidArgumentError.field('dataset', `${source.kind} datasets are not supported yet`);
  }
}
