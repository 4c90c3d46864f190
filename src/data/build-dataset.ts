/** Builds the engine's dataset from a training request's source (paths already resolved and confined). */
import type { DatasetSource } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { loadArff } from './arff.js';
import { dropUntrainableTasks, type MultiTaskDataset } from './dataset.js';
import { standardize, type Normalization } from './standardize.js';
import { generateSynthetic } from './synthetic.js';
import { loadYt8m } from './yt8m.js';

export interface BuiltDataset {
  dataset: MultiTaskDataset;
  /** Set when features were standardised (ARFF); the model must keep it. */
  normalization: Normalization | null;
}

export async function buildDataset(source: DatasetSource): Promise<BuiltDataset> {
  switch (source.kind) {
    case 'synthetic':
      return { dataset: generateSynthetic(source), normalization: null };
    case 'yt8m':
      return { dataset: dropUntrainableTasks(await loadYt8m(source)).dataset, normalization: null };
    case 'arff':
      return standardize(dropUntrainableTasks(await loadArff(source)).dataset);
    case 'uploaded':
      // The job service resolves an uploaded dataset to its yt8m or arff layout at submission.
      throw InvalidArgumentError.field('dataset_id', 'unresolved uploaded dataset');
  }
}
