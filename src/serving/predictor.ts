/**
 * Predict and GetActivationMetrics: validate on the event loop (cheap checks only), compute in a worker, shape the
 * answer here. Every rejection names the offending field.
 *
 * Predict is the hot path: the answer stays in the typed arrays the worker filled (top-k indices, scores and counts
 * per task) and is encoded to protobuf from them (grpc/mappers.ts encodePredictResponse), with no object per class.
 */
import os from 'node:os';
import { InvalidArgumentError, FailedPreconditionError, ResourceExhaustedError } from '../errors/errors.js';
import type { ActivationReport } from '../functional/activation-report.js';
import type { ModelMetadata } from '../model/model-metadata.js';
import type { TaanMetrics } from '../observability/metrics.js';
import type { ModelRef, ModelSpecQuery, ModelStore } from '../store/model-store.js';
import type { WorkerPool } from '../workers/pool.js';
import type { PredictTaskResult } from '../workers/protocol.js';
import { PredictBatcher, type BatcherOptions, type BatchRequest } from './batcher.js';
import { LastKnownModels } from './last-known-models.js';

export interface PredictInput {
  model: ModelSpecQuery;
  /** Repeated form: one feature vector per example. */
  examples: Array<{ id: string; features: ArrayLike<number> }>;
  /** Packed form: little-endian float32 rows. */
  packed: Uint8Array;
  numExamples: number;
  tasks: string[];
  /** 0 = default 10. */
  topK: number;
  threshold: number | null;
  /** The call's cancellation or deadline. */
  signal?: AbortSignal;
}

/** One task's answer for every example of the request: example i has counts[i] classes at [i * k, i * k + counts[i]). */
export interface TaskTopK {
  name: string;
  labels: readonly string[];
  /** Slots per example in `indices` and `scores`. */
  k: number;
  indices: Int32Array;
  scores: Float32Array;
  counts: Int32Array;
}

export interface PredictOutput {
  model: { name: string; version: number };
  n: number;
  /** Example ids; null for packed input, whose ids are the row numbers "0", "1", ... */
  ids: string[] | null;
  tasks: TaskTopK[];
}

/**
 * Every class's probability for rows of features (the Open Inference Protocol's ModelInfer): packed little-endian
 * float32 rows, n x `features`.
 */
export interface ScoresInput {
  model: ModelSpecQuery;
  rows: Uint8Array;
  n: number;
  /** Features per row as the caller declared them (checked against the model's input size). */
  features: number;
  /** Task names; empty = every task. */
  tasks: string[];
  /** How the caller's protocol names the rows and the tasks, for error messages (e.g. "inputs[0]", "outputs"). */
  field: string;
  tasksField: string;
  signal?: AbortSignal;
}

/** One task's probabilities: n x labels.length, class order. */
export interface TaskScores {
  name: string;
  labels: readonly string[];
  scores: Float32Array;
}

export interface ScoresOutput {
  model: { name: string; version: number };
  n: number;
  tasks: TaskScores[];
}

export interface PredictorOptions {
  models: ModelStore;
  pool: WorkerPool;
  metrics: TaanMetrics;
  maxExamples: number;
  /** Dynamic batching of concurrent Predict calls (serving/batcher.ts). */
  batching: BatcherOptions;
  /** Whether the store's last call reached it (observability/store-status.ts); see LastKnownModels. */
  storeReachable?: () => boolean;
}

const DEFAULT_TOP_K = 10;
const MAX_TOP_K = 100_000;
const LITTLE_ENDIAN = os.endianness() === 'LE';

/** Per model version: task name -> index, and the list of all task indices (built once, not per call). */
interface TaskIndex {
  byName: Map<string, number>;
  all: number[];
}

export class Predictor {
  private readonly batcher: PredictBatcher;
  /** Resolves specs through the registry, or from what it last answered while the store is unreachable. */
  private readonly resolver: LastKnownModels;
  private readonly taskIndex = new WeakMap<ModelMetadata, TaskIndex>();
  /** Model versions already loaded on every worker (see warmEverywhere). */
  private readonly warmed = new Set<string>();
  private readonly modelMetrics = new Map<string, { duration: { observe(v: number): void }; examples: { inc(v: number): void } }>();

  constructor(private readonly o: PredictorOptions) {
    this.resolver = new LastKnownModels({ models: o.models, ...(o.storeReachable ? { storeReachable: o.storeReachable } : {}) });
    this.batcher = new PredictBatcher(o.pool, {
      ...o.batching,
      concurrency: predictConcurrency(o.batching.concurrency, o.pool.size),
      onBatch: (rows) => o.metrics.predictBatchRows.observe(rows),
    });
    // The worker gauges (tensor counts, wasm memory) read from the pool that serves Predict.
    o.metrics.watchWorkers(() => o.pool.stats());
  }

  async predict(input: PredictInput): Promise<PredictOutput> {
    const started = performance.now();
    const ref = await this.resolver.resolve(input.model);
    const cfg = ref.meta.config;
    const { x, n, ids } = this.features(input, cfg.inputDim);
    const tasks = this.tasks(input.tasks, ref);
    if (input.topK < 0 || input.topK > MAX_TOP_K) throw InvalidArgumentError.field('top_k', `must be in 0..${MAX_TOP_K} (0 = ${DEFAULT_TOP_K}), got ${input.topK}`);
    if (input.threshold !== null && !Number.isFinite(input.threshold)) throw InvalidArgumentError.field('threshold', 'must be a finite number');
    const topK = input.topK || DEFAULT_TOP_K;
    const per = await this.run(ref, { x, n, tasks, topK, threshold: input.threshold, allScores: false }, input.signal, started);
    return {
      model: { name: ref.name, version: ref.version },
      n,
      ids,
      tasks: per.map((r) => {
        const t = cfg.tasks[r.task]!;
        return { name: t.name, labels: t.labels, k: r.indices.length / n, indices: r.indices, scores: r.scores, counts: r.counts };
      }),
    };
  }

  /** Every class's probability: the same resolution, limits, batcher, worker pass and metrics as predict(). */
  async scores(input: ScoresInput): Promise<ScoresOutput> {
    const started = performance.now();
    const ref = await this.resolver.resolve(input.model);
    const cfg = ref.meta.config;
    const D = cfg.inputDim;
    if (input.features !== D) throw InvalidArgumentError.field(`${input.field}.shape`, `model ${ref.name} takes ${D} features per row: shape [N, ${D}], got [${input.n}, ${input.features}]`);
    const x = this.packedRows(input.rows, input.n, D, input.field);
    const tasks = this.tasks(input.tasks, ref, input.tasksField);
    const per = await this.run(ref, { x, n: input.n, tasks, topK: 0, threshold: null, allScores: true }, input.signal, started);
    return {
      model: { name: ref.name, version: ref.version },
      n: input.n,
      tasks: per.map((r) => {
        const t = cfg.tasks[r.task]!;
        return { name: t.name, labels: t.labels, scores: r.scores };
      }),
    };
  }

  /** A model spec resolved as predict() resolves it (through a store outage, from what it last answered). */
  resolve(model: ModelSpecQuery): Promise<ModelRef> {
    return this.resolver.resolve(model);
  }

  /** The one inference path: the batcher, then the worker, then the model's metrics. */
  private async run(ref: ModelRef, call: Omit<BatchRequest, 'modelDir' | 'modelKey'>, signal: AbortSignal | undefined, started: number): Promise<PredictTaskResult[]> {
    const modelKey = `${ref.name}/${ref.version}`;
    const per = await this.batcher.predict({ modelDir: ref.dir, modelKey, ...call }, signal);
    if (!this.warmed.has(modelKey)) this.warmEverywhere(modelKey, ref.dir, ref.meta.config.inputDim);
    const m = this.metricsOf(ref.name);
    m.duration.observe((performance.now() - started) / 1000);
    m.examples.inc(call.n);
    return per;
  }

  async activationMetrics(model: ModelSpecQuery, gridPoints: number): Promise<{ ref: ModelRef; report: ActivationReport }> {
    const ref = await this.resolver.resolve(model);
    if (ref.meta.config.architecture !== 'TAAN') {
      const why = NO_ACTIVATIONS_WHY[ref.meta.config.architecture] ?? 'its tasks share ReLU units';
      throw new FailedPreconditionError(
        `model ${ref.name} version ${ref.version} is ${ref.meta.config.architecture}; activation metrics exist only for TAAN models (${why}, so there are no task activation functions to compare)`,
      );
    }
    const grid = gridPoints || 101;
    if (grid < 2 || grid > 2001) throw InvalidArgumentError.field('grid_points', 'must be in 2..2001 (0 = 101)');
    const report = await this.o.pool.call({ kind: 'activation', modelDir: ref.dir, modelKey: `${ref.name}/${ref.version}`, gridPoints: grid });
    return { ref, report };
  }

  /**
   * After the first answer of a model version, every worker loads it too (one row of zeros each, in the
   * background): Predict moves to another worker when a training job takes its worker, and a model load there
   * would stall every queued request for the length of the load.
   */
  private warmEverywhere(modelKey: string, modelDir: string, D: number): void {
    this.warmed.add(modelKey);
    void this.o.pool.callEach(() => ({ kind: 'predict', modelDir, modelKey, x: new Float32Array(D), n: 1, tasks: [0], topK: 1, threshold: null, allScores: false }));
  }

  private metricsOf(model: string): { duration: { observe(v: number): void }; examples: { inc(v: number): void } } {
    let m = this.modelMetrics.get(model);
    if (!m) {
      m = { duration: this.o.metrics.predictDuration.labels({ model }), examples: this.o.metrics.predictExamples.labels({ model }) };
      this.modelMetrics.set(model, m);
    }
    return m;
  }

  /**
   * The rows of the request. Packed input stays in gRPC's buffer (checked here, copied once into the batch by the
   * batcher); repeated input is gathered into a Float32Array.
   */
  private features(input: PredictInput, D: number): { x: Float32Array | Uint8Array; n: number; ids: string[] | null } {
    const hasPacked = input.packed.length > 0 || input.numExamples > 0;
    if (hasPacked && input.examples.length) throw InvalidArgumentError.field('features_f32', 'give either examples or features_f32, not both');
    const n = hasPacked ? input.numExamples : input.examples.length;
    if (n <= 0) {
      throw hasPacked
        ? InvalidArgumentError.field('num_examples', 'must be > 0 with features_f32')
        : InvalidArgumentError.field('examples', 'empty batch: give at least one example');
    }
    if (hasPacked) return { x: this.packedRows(input.packed, n, D, 'features_f32'), n, ids: null };
    this.checkRows(n);
    const x = new Float32Array(n * D);
    input.examples.forEach((e, i) => {
      if (e.features.length !== D) throw InvalidArgumentError.field(`examples[${i}].features`, `expected ${D} features, got ${e.features.length}`);
      for (let j = 0; j < D; j++) {
        const v = e.features[j]!;
        if (!Number.isFinite(v)) throw InvalidArgumentError.field(`examples[${i}].features[${j}]`, `is ${v}; features must be finite`);
        x[i * D + j] = v;
      }
    });
    return { x, n, ids: input.examples.map((e, i) => e.id || String(i)) };
  }

  private checkRows(n: number): void {
    if (n > this.o.maxExamples) throw new ResourceExhaustedError(`${n} examples in one Predict; the limit is ${this.o.maxExamples} (TAAN_MAX_PREDICT_EXAMPLES)`);
  }

  /** n x D little-endian float32 rows, checked (size, finiteness); kept in the caller's buffer on little-endian hosts. */
  private packedRows(bytes: Uint8Array, n: number, D: number, field: string): Float32Array | Uint8Array {
    if (n <= 0) throw InvalidArgumentError.field(field, `must hold at least one row, got ${n}`);
    this.checkRows(n);
    if (bytes.length !== n * D * 4) {
      throw InvalidArgumentError.field(field, `expected ${n} x ${D} float32 = ${n * D * 4} bytes, got ${bytes.length}`);
    }
    const bad = firstNonFinite(bytes);
    if (bad >= 0) {
      const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getFloat32(bad * 4, true);
      throw InvalidArgumentError.field(field, `row ${Math.floor(bad / D)} feature ${bad % D} is ${v}`);
    }
    if (LITTLE_ENDIAN) return bytes;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return Float32Array.from({ length: n * D }, (_, i) => view.getFloat32(i * 4, true));
  }

  private tasks(names: string[], ref: ModelRef, field = 'tasks'): number[] {
    let index = this.taskIndex.get(ref.meta);
    if (!index) {
      const all = ref.meta.config.tasks;
      index = { byName: new Map(all.map((t, i) => [t.name, i])), all: all.map((_, i) => i) };
      this.taskIndex.set(ref.meta, index);
    }
    if (!names.length) return index.all;
    const byName = index.byName;
    return names.map((name, i) => {
      const t = byName.get(name);
      if (t === undefined) throw InvalidArgumentError.field(`${field}[${i}]`, `unknown task "${name}"; model ${ref.name} has ${byName.size} tasks`);
      return t;
    });
  }
}

/**
 * Batches of one kind that may run side by side, at most one per worker. By default (0) one per core beyond the one
 * the event loop needs to feed them. On 2 cores that is 1: a second concurrent batch splits the queue into smaller
 * batches (a batch of 8 costs ~1.3x per row what a batch of 32 does) and takes CPU from the event loop that decodes
 * the requests (measured on tfjs-wasm); TAAN_PREDICT_CONCURRENCY sets it (docs/benchmarks.md has both on 2 cores).
 */
export function predictConcurrency(requested: number, workers: number, cores = os.availableParallelism()): number {
  const wanted = requested > 0 ? requested : cores - 1;
  return Math.max(1, Math.min(wanted, workers));
}

/**
 * Index of the first little-endian float32 of `bytes` that is NaN or infinite, or -1. Reads the exponent bits
 * directly (all ones = not finite), so the bytes need no alignment and no copy.
 */
function firstNonFinite(bytes: Uint8Array): number {
  for (let i = 0, b = 2; b < bytes.length; i++, b += 4) {
    if ((bytes[b]! & 0x80) === 0x80 && (bytes[b + 1]! & 0x7f) === 0x7f) return i;
  }
  return -1;
}

/** Why a network of another architecture has no per-task activation functions (GetActivationMetrics). */
const NO_ACTIVATIONS_WHY: Partial<Record<string, string>> = {
  HARD_SHARE: 'every task uses the same ReLU layers',
  STL: 'each task has its own ReLU network',
  SOFT_ORDER: 'its tasks differ only in how they mix shared ReLU layers',
  MMOE: 'its tasks differ only in their gates over shared ReLU experts and in their towers',
};
