/** Pure description of a model and of a training run: what is saved with a model and echoed back to clients. */
import { InvalidArgumentError, type FieldViolation } from '../errors/errors.js';

export type Architecture = 'TAAN' | 'HARD_SHARE' | 'STL' | 'SOFT_ORDER' | 'MMOE';
export const ARCHITECTURES: readonly Architecture[] = ['TAAN', 'HARD_SHARE', 'STL', 'SOFT_ORDER', 'MMOE'];

/** The baselines of docs/baselines.md: networks built of shared layers mixed per task, not towers of one MLP. */
export function isMixtureArchitecture(a: Architecture): a is 'SOFT_ORDER' | 'MMOE' {
  return a === 'SOFT_ORDER' || a === 'MMOE';
}

/**
 * How the tasks' losses are combined: EQUAL = their mean (method.md); UNCERTAINTY = Kendall et al. 2018 with a
 * learned log-variance s_t per task, mean over tasks of L_t exp(-s_t) + s_t (docs/baselines.md).
 */
export type LossWeighting = 'EQUAL' | 'UNCERTAINTY';
export const LOSS_WEIGHTINGS: readonly LossWeighting[] = ['EQUAL', 'UNCERTAINTY'];

/** MMOE's number of experts when the request leaves it unset. */
export const DEFAULT_NUM_EXPERTS = 8;

/** TRACE_NORM is the paper's nuclear norm of alpha; ROW_NORM is the authors' code's sum of row norms. */
export type Regularizer = 'NONE' | 'TRACE_NORM' | 'COSINE' | 'DISTANCE' | 'ROW_NORM';
export const REGULARIZERS: readonly Regularizer[] = ['NONE', 'TRACE_NORM', 'COSINE', 'DISTANCE', 'ROW_NORM'];

/**
 * The measure under which activation functions are compared (method.md §2): the standard normal, or per layer
 * the running mean/std of that layer's pre-activations (z is not N(0, 1) without batch normalisation).
 */
export type MeasureMode = 'STANDARD' | 'RUNNING';

export interface TaskSpec {
  name: string;
  /** Class names in head order; may be empty strings or repeat. */
  labels: string[];
}

export interface ModelConfig {
  architecture: Architecture;
  inputDim: number;
  hiddenSizes: number[];
  /** M, the number of learned hinges per layer (TAAN only). */
  numBasis: number;
  tasks: TaskSpec[];
  measure: MeasureMode;
  /** Absent = EQUAL (models saved before loss weighting existed). */
  lossWeighting?: LossWeighting;
  /** MMOE: experts E (each an MLP of hiddenSizes); absent = DEFAULT_NUM_EXPERTS. */
  numExperts?: number;
  /** MMOE: each task's tower between the mixture and its head; absent or empty = the head sits on the mixture. */
  towerHiddenSizes?: number[];
}

export function lossWeightingOf(c: ModelConfig): LossWeighting {
  return c.lossWeighting ?? 'EQUAL';
}

export function numExpertsOf(c: ModelConfig): number {
  return c.numExperts ?? DEFAULT_NUM_EXPERTS;
}

export interface TrainOptions {
  regularizer: Regularizer;
  /** c in method.md: weight of the regularizer, per layer, summed. Default 0.1 (the authors'). */
  regCoefficient: number;
  /** Adam step size. Default 3e-4, chosen on validation (docs/results/recipe.md; the authors' code uses 1e-4). */
  learningRate: number;
  /**
   * L2 weight decay added to the gradient of every parameter (alpha and hinges too), as torch.optim.Adam does.
   * Default 0 (the authors' 0.005 held both models near the class prior on YouTube-8M: docs/results/recipe.md).
   */
  weightDecay: number;
  /** Rows drawn from every task in every step. Default 64 (4x the steps of the authors' 256 per epoch). */
  batchSizePerTask: number;
  /** Default 10. */
  maxEpochs: number;
  /** Epochs without a better validation mean mAP@10 before stopping. Default 3; 0 disables early stopping. */
  earlyStoppingPatience: number;
  seed: number;
}

export const DEFAULT_TRAIN_OPTIONS: Readonly<TrainOptions> = Object.freeze({
  regularizer: 'NONE',
  regCoefficient: 0.1,
  learningRate: 3e-4,
  weightDecay: 0,
  batchSizePerTask: 64,
  maxEpochs: 10,
  earlyStoppingPatience: 3,
  seed: 0,
});

export const DEFAULT_MODEL_SHAPE = Object.freeze({ hiddenSizes: [1024, 1024, 1024], numBasis: 64 });

/** Throws InvalidArgumentError listing every bad field at once. */
export function validateModelConfig(c: ModelConfig): void {
  const v: FieldViolation[] = [];
  if (!ARCHITECTURES.includes(c.architecture)) v.push({ field: 'architecture', description: `unknown: ${c.architecture}` });
  if (!Number.isInteger(c.inputDim) || c.inputDim < 1) v.push({ field: 'input_dim', description: 'must be a positive integer' });
  if (c.hiddenSizes.length < 1 || c.hiddenSizes.length > 16) {
    v.push({ field: 'hidden_sizes', description: 'needs 1 to 16 hidden layers' });
  }
  c.hiddenSizes.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 1 || h > 65536) v.push({ field: `hidden_sizes[${i}]`, description: 'must be in 1..65536' });
  });
  if (c.architecture === 'TAAN' && (!Number.isInteger(c.numBasis) || c.numBasis < 1 || c.numBasis > 1024)) {
    v.push({ field: 'num_basis', description: 'must be in 1..1024 for TAAN' });
  }
  if (c.architecture === 'SOFT_ORDER' && new Set(c.hiddenSizes).size > 1) {
    v.push({ field: 'hidden_sizes', description: 'SOFT_ORDER mixes its shared layers at every depth, so they must all have the same width' });
  }
  if (c.lossWeighting !== undefined && !LOSS_WEIGHTINGS.includes(c.lossWeighting)) v.push({ field: 'loss_weighting', description: `unknown: ${c.lossWeighting}` });
  if (c.numExperts !== undefined && (!Number.isInteger(c.numExperts) || c.numExperts < 1 || c.numExperts > 256)) {
    v.push({ field: 'num_experts', description: 'must be in 1..256' });
  }
  if (c.numExperts !== undefined && c.architecture !== 'MMOE') {
    v.push({ field: 'num_experts', description: 'only MMOE has experts' });
  }
  const towers = c.towerHiddenSizes ?? [];
  if (towers.length && c.architecture !== 'MMOE') v.push({ field: 'tower_hidden_sizes', description: 'only MMOE has task towers' });
  if (towers.length > 16) v.push({ field: 'tower_hidden_sizes', description: 'at most 16 tower layers' });
  towers.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 1 || h > 65536) v.push({ field: `tower_hidden_sizes[${i}]`, description: 'must be in 1..65536' });
  });
  if (c.tasks.length < 1) v.push({ field: 'tasks', description: 'needs at least one task' });
  c.tasks.forEach((t, i) => {
    if (t.labels.length < 1) v.push({ field: `tasks[${i}].labels`, description: `task ${t.name} has no classes` });
  });
  if (new Set(c.tasks.map((t) => t.name)).size !== c.tasks.length) v.push({ field: 'tasks', description: 'task names must be unique' });
  if (v.length) throw new InvalidArgumentError(`invalid model: ${v.map((x) => `${x.field} ${x.description}`).join('; ')}`, v);
}

export function validateTrainOptions(o: TrainOptions): void {
  const v: FieldViolation[] = [];
  const pos = (x: number, f: string): void => {
    if (!(Number.isFinite(x) && x > 0)) v.push({ field: f, description: 'must be a positive number' });
  };
  if (!REGULARIZERS.includes(o.regularizer)) v.push({ field: 'regularizer', description: `unknown: ${o.regularizer}` });
  if (!(Number.isFinite(o.regCoefficient) && o.regCoefficient >= 0)) v.push({ field: 'reg_coefficient', description: 'must be >= 0' });
  pos(o.learningRate, 'learning_rate');
  if (!(Number.isFinite(o.weightDecay) && o.weightDecay >= 0)) v.push({ field: 'weight_decay', description: 'must be >= 0' });
  if (!Number.isInteger(o.batchSizePerTask) || o.batchSizePerTask < 1 || o.batchSizePerTask > 65536) {
    v.push({ field: 'batch_size_per_task', description: 'must be in 1..65536' });
  }
  if (!Number.isInteger(o.maxEpochs) || o.maxEpochs < 1 || o.maxEpochs > 10000) v.push({ field: 'max_epochs', description: 'must be in 1..10000' });
  if (!Number.isInteger(o.earlyStoppingPatience) || o.earlyStoppingPatience < 0) {
    v.push({ field: 'early_stopping_patience', description: 'must be >= 0' });
  }
  if (!Number.isInteger(o.seed)) v.push({ field: 'seed', description: 'must be an integer' });
  if (v.length) throw new InvalidArgumentError(`invalid training options: ${v.map((x) => `${x.field} ${x.description}`).join('; ')}`, v);
}
