/** A training request as the engine understands it, with the authors' defaults (method.md) filled in. */
import { InvalidArgumentError, type FieldViolation } from '../errors/errors.js';
import {
  validateModelConfig,
  validateTrainOptions,
  type Architecture,
  type LossWeighting,
  type MeasureMode,
  type TrainOptions,
} from './model-spec.js';

export interface SyntheticSource {
  kind: 'synthetic';
  tasks: number;
  clusters: number;
  features: number;
  labelsPerTask: number;
  examplesPerTask: number;
  noise: number;
  seed: number;
  latentDim: number;
}

export interface Yt8mSource {
  kind: 'yt8m';
  /** Paths or globs, relative to the dataset (datasetId) or absolute under a data root. */
  trainFiles: string[];
  validFiles: string[];
  testFiles: string[];
  vocabularyPath: string;
  /** Vertical1 names used as tasks, in order; empty = the paper's 16. */
  verticals: string[];
  /** Used when valid/test files are not given: a seeded random split of the train files' videos. */
  validFraction: number;
  testFraction: number;
  splitSeed: number;
  datasetId: string;
}

export type TaskGrouping = 'single' | 'prefix' | 'cal500' | 'cal500-6' | 'explicit';

export interface ArffSource {
  kind: 'arff';
  path: string;
  testPath: string;
  labelsXmlPath: string;
  taskGrouping: TaskGrouping;
  groups: Array<{ task: string; labels: string[] }>;
  validFraction: number;
  testFraction: number;
  splitSeed: number;
  datasetId: string;
}

/** An uploaded dataset whose layout (TFRecords + vocabulary, or ARFF) is detected from its files. */
export interface UploadedSource {
  kind: 'uploaded';
  datasetId: string;
}

export type DatasetSource = SyntheticSource | Yt8mSource | ArffSource | UploadedSource;

/** A training request: the training options (model-spec.ts) plus what to train on and what to publish. */
export interface TrainRequest extends TrainOptions {
  modelName: string;
  submissionId: string;
  dataset: DatasetSource;
  architecture: Architecture;
  hiddenSizes: number[];
  numBasis: number;
  /** 0 = the server's limit. */
  maxRuntimeSeconds: number;
  measure: MeasureMode;
  /** Labels (e.g. "stable") moved to the version this job publishes. */
  versionLabels: string[];
  /** Absent = EQUAL (and in jobs stored before these fields existed). */
  lossWeighting?: LossWeighting;
  /** MMOE only (a model of another architecture has no experts or towers); absent = the defaults. */
  numExperts?: number;
  towerHiddenSizes?: number[];
}

/** Range checks of a filled-in request; every problem is reported at once. */
export function validateTrainRequest(r: TrainRequest): void {
  const v: FieldViolation[] = [];
  const collect = (fn: () => void): void => {
    try {
      fn();
    } catch (err) {
      if (err instanceof InvalidArgumentError) v.push(...err.violations);
      else throw err;
    }
  };
  collect(() => validateTrainOptions(r));
  // The task list is only known once the data is read; check the shape with a placeholder task.
  collect(() =>
    validateModelConfig({
      architecture: r.architecture,
      inputDim: 1,
      hiddenSizes: r.hiddenSizes,
      numBasis: r.numBasis,
      tasks: [{ name: 't', labels: ['c'] }],
      measure: r.measure,
      ...(r.lossWeighting ? { lossWeighting: r.lossWeighting } : {}),
      ...(r.numExperts !== undefined && r.architecture === 'MMOE' ? { numExperts: r.numExperts } : {}),
      ...(r.towerHiddenSizes ? { towerHiddenSizes: r.towerHiddenSizes } : {}),
    }),
  );
  if (!(Number.isFinite(r.maxRuntimeSeconds) && r.maxRuntimeSeconds >= 0)) v.push({ field: 'max_runtime_seconds', description: 'must be >= 0' });
  const d = r.dataset;
  if (d.kind === 'synthetic') {
    const ints: Array<[keyof SyntheticSource, number, number]> = [
      ['tasks', 1, 256],
      ['clusters', 1, Math.max(1, d.tasks)],
      ['features', 1, 65536],
      ['labelsPerTask', 1, 4096],
      ['examplesPerTask', 10, 1_000_000],
      ['latentDim', 1, Math.max(1, d.features)],
    ];
    for (const [k, lo, hi] of ints) {
      const x = d[k] as number;
      if (!Number.isInteger(x) || x < lo || x > hi) v.push({ field: `synthetic.${snake(k)}`, description: `must be an integer in ${lo}..${hi}` });
    }
    if (!(Number.isFinite(d.noise) && d.noise >= 0)) v.push({ field: 'synthetic.noise', description: 'must be >= 0' });
  }
  if (d.kind === 'yt8m' || d.kind === 'arff') {
    for (const f of ['validFraction', 'testFraction'] as const) {
      if (!(d[f] >= 0 && d[f] < 1)) v.push({ field: `${d.kind}.${snake(f)}`, description: 'must be in [0, 1)' });
    }
    if (d.validFraction + d.testFraction >= 1) v.push({ field: `${d.kind}.test_fraction`, description: 'valid_fraction + test_fraction must be < 1' });
  }
  if (v.length) throw new InvalidArgumentError(`invalid TrainJob request: ${v.map((x) => `${x.field} ${x.description}`).join('; ')}`, v);
}

function snake(k: string): string {
  return k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** The seeded split of an ARFF dataset without separate validation and test files: the shares it gives each. */
export const DEFAULT_SPLIT = Object.freeze({ validFraction: 0.1, testFraction: 0.2 });

/**
 * YouTube-8M's default: 80/10/10 by a hash of the video id (data/yt8m.ts splitOfId), the split of the Table 1
 * experiments, so a job's figures compare with docs/results/yt8m.md.
 */
export const DEFAULT_YT8M_SPLIT = Object.freeze({ validFraction: 0.1, testFraction: 0.1 });

/** Defaults of a synthetic source: what an unset field of the request means (data/synthetic.ts builds from it). */
export const DEFAULT_SYNTHETIC_SOURCE: Readonly<Omit<SyntheticSource, 'kind'>> = Object.freeze({
  tasks: 8,
  clusters: 2,
  features: 32,
  labelsPerTask: 10,
  examplesPerTask: 600,
  noise: 0.3,
  seed: 0,
  latentDim: 4,
});
