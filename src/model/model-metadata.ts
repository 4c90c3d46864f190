/**
 * model.json, a trained model's description (see artifact.ts for the folder): its types, its shape and its reader.
 * Kept apart from artifact.ts and free of tfjs, so the main thread (the model registry, Predict's validation) reads a
 * model's metadata without loading tfjs; only worker threads load networks.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ARCHITECTURES, LOSS_WEIGHTINGS, REGULARIZERS, type ModelConfig, type TrainOptions } from '../domain/model-spec.js';
import { CorruptDataError, NotFoundError } from '../errors/errors.js';
import { isMissing, readError } from '../errors/storage.js';
import {
  arrayOf,
  integer,
  measurement,
  number,
  object,
  oneOf,
  parseJsonText,
  parseShape,
  recordOf,
  string,
  type Shape,
} from '../util/json-shape.js';

export const MODEL_FORMAT_VERSION = 1;

export interface TestMetrics {
  /** Per task name. */
  mapAt10: Record<string, number>;
  meanMapAt10: number;
  perClassMap: Record<string, number>;
  meanPerClassMap: number;
  gapAt20: number;
  hitAt1: Record<string, number>;
}

export interface EpochRecord {
  epoch: number;
  step: number;
  trainLoss: number;
  validMapAt10: Record<string, number>;
  meanValidMapAt10: number;
  seconds: number;
}

/** The measure of one TAAN layer's functional metrics (network.ts), saved with the weights. */
export interface LayerStats {
  mu: number;
  sigma: number;
  statSteps: number;
}

export interface ModelMetadata {
  formatVersion: number;
  config: ModelConfig;
  paramCount: number;
  createdAt: string;
  trainOptions?: TrainOptions;
  metrics?: TestMetrics;
  history?: EpochRecord[];
  /** Feature standardisation applied before the network, if the dataset asked for one. */
  normalization?: { mean: number[]; std: number[] };
  stats: LayerStats[];
  weightsSha256: string;
  /** Free-form provenance (dataset name, job id, backend). */
  extra?: Record<string, unknown>;
}

const measurements = recordOf(measurement);

export const LAYER_STATS: Shape<LayerStats> = object({ mu: measurement, sigma: measurement, statSteps: integer });

export const EPOCH_RECORD: Shape<EpochRecord> = object({
  epoch: integer,
  step: integer,
  trainLoss: measurement,
  validMapAt10: measurements,
  meanValidMapAt10: measurement,
  seconds: number,
});

const MODEL_CONFIG: Shape<ModelConfig> = object(
  {
    architecture: oneOf(ARCHITECTURES),
    inputDim: integer,
    hiddenSizes: arrayOf(integer),
    numBasis: integer,
    tasks: arrayOf(object({ name: string, labels: arrayOf(string) })),
    measure: oneOf(['STANDARD', 'RUNNING'] as const),
  },
  { lossWeighting: oneOf(LOSS_WEIGHTINGS), numExperts: integer, towerHiddenSizes: arrayOf(integer) },
);

const TRAIN_OPTIONS: Shape<TrainOptions> = object({
  regularizer: oneOf(REGULARIZERS),
  regCoefficient: number,
  learningRate: number,
  weightDecay: number,
  batchSizePerTask: integer,
  maxEpochs: integer,
  earlyStoppingPatience: integer,
  seed: integer,
});

const TEST_METRICS: Shape<TestMetrics> = object({
  mapAt10: measurements,
  meanMapAt10: measurement,
  perClassMap: measurements,
  meanPerClassMap: measurement,
  gapAt20: measurement,
  hitAt1: measurements,
});

const MODEL_METADATA: Shape<ModelMetadata> = object(
  {
    formatVersion: integer,
    config: MODEL_CONFIG,
    paramCount: integer,
    createdAt: string,
    stats: arrayOf(LAYER_STATS),
    weightsSha256: string,
  },
  {
    trainOptions: TRAIN_OPTIONS,
    metrics: TEST_METRICS,
    history: arrayOf(EPOCH_RECORD),
    normalization: object({ mean: arrayOf(number), std: arrayOf(number) }),
    extra: recordOf((v) => v),
  },
);

/**
 * model.json of the model in `dir`: NotFoundError when there is none, StorageError when it cannot be read (EACCES,
 * EIO), CorruptDataError when it is not a model.json of this format.
 */
export async function readModelMetadata(dir: string): Promise<ModelMetadata> {
  const file = path.join(dir, 'model.json');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if (isMissing(err)) throw new NotFoundError('model', dir, `no model at ${dir}`);
    throw readError(err, `could not read ${file}`);
  }
  const what = `corrupt model.json in ${dir}`;
  const value = parseJsonText(text, what);
  // The version first: another format may have another shape, and "wrong format" is the useful message then.
  const { formatVersion } = parseShape(object({ formatVersion: integer }), value, what);
  if (formatVersion !== MODEL_FORMAT_VERSION) {
    throw new CorruptDataError(`model in ${dir} has format ${formatVersion}; this build reads ${MODEL_FORMAT_VERSION}`);
  }
  return parseShape(MODEL_METADATA, value, what);
}
