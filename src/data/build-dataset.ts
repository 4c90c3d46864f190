/** Builds the engine's dataset from a training request's source (paths already resolved and confined). */
import type { DatasetSource } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { loadArff } from './arff.js';
import type { MultiTaskDataset } from './dataset.js';
import { generateSynthetic } from './synthetic.js';
import { loadYt8m } from './yt8m.js';

export async function buildDataset(source: DatasetSource): Promise<MultiTaskDataset> {
  switch (source.kind) {
    case 'synthetic':
      return generateSynthetic(source);
    case 'yt8m':
      return loadYt8m(source);
    case 'arff':
      return loadArff(source);
    case 'uploaded':
      // The job service resolves an uploaded dataset to its yt8m or arff layout at submission.
      throw InvalidArgumentError.field('dataset_id', 'unresolved uploaded dataset');
  }
}
