/**
 * Predict and GetActivationMetrics: validate on the event loop (cheap checks only), compute in a worker, shape the
 * answer here. Every rejection names the offending field.
 */
import { InvalidArgumentError, FailedPreconditionError, ResourceExhaustedError } from '../errors/errors.js';
import type { ActivationReport } from '../functional/activation-report.js';
import type { TaanMetrics } from '../observability/metrics.js';
import type { ModelRef, ModelSpecQuery, ModelStore } from '../store/model-store.js';
import type { WorkerPool } from '../workers/pool.js';
import { PredictBatcher, type BatcherOptions } from './batcher.js';

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

export interface PredictOutput {
  model: { name: string; version: number };
  results: Array<{ id: string; tasks: Array<{ task: string; classes: Array<{ index: number; label: string; score: number }> }> }>;
}

export interface PredictorOptions {
  models: ModelStore;
  pool: WorkerPool;
  metrics: TaanMetrics;
  maxExamples: number;
  /** Dynamic batching of concurrent Predict calls (serving/batcher.ts). */
  batching: BatcherOptions;
}

const DEFAULT_TOP_K = 10;
const MAX_TOP_K = 100_000;

export class Predictor {
  private readonly batcher: PredictBatcher;

  constructor(private readonly o: PredictorOptions) {
    this.batcher = new PredictBatcher(o.pool, o.batching);
  }

  async predict(input: PredictInput): Promise<PredictOutput> {
    const started = performance.now();
    const ref = await this.o.models.resolve(input.model);
    const D = ref.meta.config.inputDim;
    const { x, n, ids } = this.features(input, D);
    const tasks = this.tasks(input.tasks, ref);
    if (input.topK < 0 || input.topK > MAX_TOP_K) throw InvalidArgumentError.field('top_k', `must be in 0..${MAX_TOP_K} (0 = ${DEFAULT_TOP_K}), got ${input.topK}`);
    if (input.threshold !== null && !Number.isFinite(input.threshold)) throw InvalidArgumentError.field('threshold', 'must be a finite number');
    const topK = input.topK || DEFAULT_TOP_K;
    const per = await this.batcher.predict({
      kind: 'predict',
      modelDir: ref.dir,
      modelKey: `${ref.name}/${ref.version}`,
      x,
      n,
      tasks,
      topK,
      threshold: input.threshold,
    }, input.signal);
    const cfg = ref.meta.config;
    const results = ids.map((id, i) => ({
      id,
      tasks: per.map((r) => {
        const labels = cfg.tasks[r.task]!.labels;
        const k = r.indices.length / n;
        const classes = [];
        for (let c = 0; c < r.counts[i]!; c++) {
          const index = r.indices[i * k + c]!;
          classes.push({ index, label: labels[index] ?? '', score: r.scores[i * k + c]! });
        }
        return { task: cfg.tasks[r.task]!.name, classes };
      }),
    }));
    this.o.metrics.predictDuration.observe({ model: ref.name }, (performance.now() - started) / 1000);
    this.o.metrics.predictExamples.inc({ model: ref.name }, n);
    return { model: { name: ref.name, version: ref.version }, results };
  }

  async activationMetrics(model: ModelSpecQuery, gridPoints: number): Promise<{ ref: ModelRef; report: ActivationReport }> {
    const ref = await this.o.models.resolve(model);
    if (ref.meta.config.architecture !== 'TAAN') {
      throw new FailedPreconditionError(`model ${ref.name} version ${ref.version} is ${ref.meta.config.architecture}; activation metrics exist only for TAAN models`);
    }
    const grid = gridPoints || 101;
    if (grid < 2 || grid > 2001) throw InvalidArgumentError.field('grid_points', 'must be in 2..2001 (0 = 101)');
    const report = await this.o.pool.call<ActivationReport>({ kind: 'activation', modelDir: ref.dir, modelKey: `${ref.name}/${ref.version}`, gridPoints: grid });
    return { ref, report };
  }

  private features(input: PredictInput, D: number): { x: Float32Array; n: number; ids: string[] } {
    const hasPacked = input.packed.length > 0 || input.numExamples > 0;
    if (hasPacked && input.examples.length) throw InvalidArgumentError.field('features_f32', 'give either examples or features_f32, not both');
    const n = hasPacked ? input.numExamples : input.examples.length;
    if (n <= 0) {
      throw hasPacked
        ? InvalidArgumentError.field('num_examples', 'must be > 0 with features_f32')
        : InvalidArgumentError.field('examples', 'empty batch: give at least one example');
    }
    if (n > this.o.maxExamples) throw new ResourceExhaustedError(`${n} examples in one Predict; the limit is ${this.o.maxExamples} (TAAN_MAX_PREDICT_EXAMPLES)`);
    const x = new Float32Array(n * D);
    if (hasPacked) {
      if (input.packed.length !== n * D * 4) {
        throw InvalidArgumentError.field('features_f32', `expected ${n} x ${D} float32 = ${n * D * 4} bytes, got ${input.packed.length}`);
      }
      const view = new DataView(input.packed.buffer, input.packed.byteOffset, input.packed.byteLength);
      for (let i = 0; i < n * D; i++) {
        const v = view.getFloat32(i * 4, true);
        if (!Number.isFinite(v)) throw InvalidArgumentError.field('features_f32', `row ${Math.floor(i / D)} feature ${i % D} is ${v}`);
        x[i] = v;
      }
      return { x, n, ids: Array.from({ length: n }, (_, i) => String(i)) };
    }
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

  private tasks(names: string[], ref: ModelRef): number[] {
    const all = ref.meta.config.tasks.map((t) => t.name);
    if (!names.length) return all.map((_, i) => i);
    return names.map((name, i) => {
      const t = all.indexOf(name);
      if (t < 0) throw InvalidArgumentError.field(`tasks[${i}]`, `unknown task "${name}"; model ${ref.name} has ${all.length} tasks`);
      return t;
    });
  }
}
