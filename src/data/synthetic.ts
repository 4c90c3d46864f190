/**
 * Synthetic multi-task multi-label data with a known task structure (data.md, "Synthetic").
 *
 * Every example has features x ~ N(0, I) and a shared latent u = x P (k dims, each ~N(0, 1)). Tasks fall into
 * clusters; cluster c owns a piecewise-linear nonlinearity g_c(u) = relu(u) + a_c relu(b_c - u), i.e. a function of
 * exactly the family a TAAN activation can express. A task's label scores are g_c(u) Q_t + noise, thresholded per
 * label at a fixed prevalence. Tasks of one cluster thus need the same activation of the same shared units, and tasks
 * of different clusters need different ones. When the hidden layer is about as narrow as the latent, hard sharing
 * cannot give every cluster its own shape (|u| needs two ReLU units per latent direction), while a TAAN can; that
 * makes TAAN better and lets its functional distances recover the clusters.
 *
 * Why not relu(u) versus relu(-u) (data.md's dead end): hard sharing expresses both with units of opposite sign, so
 * nothing forces the activations apart and the distances did not separate the clusters.
 */
import type { TaskSpec } from '../domain/model-spec.js';
import { DEFAULT_SYNTHETIC_SOURCE, type SyntheticSource } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import { Rng } from '../util/rng.js';
import type { MultiTaskDataset, Split, TaskRows } from './dataset.js';

/**
 * The request's synthetic source (tasks, clusters, features, labelsPerTask, examplesPerTask, noise, seed, latentDim;
 * see domain/train-request.ts) plus the label prevalence. Cluster of task t = t mod clusters; 60/20/20 splits.
 */
export type SyntheticOptions = Omit<SyntheticSource, 'kind'> & {
  /** Fraction of examples positive for each label. Default 0.15. */
  prevalence: number;
};

export const DEFAULT_SYNTHETIC: Readonly<SyntheticOptions> = Object.freeze({ ...DEFAULT_SYNTHETIC_SOURCE, prevalence: 0.15 });

/** Shapes of the first clusters: ReLU, |u|, a shifted V and a negative-slope hinge; more are drawn at random. */
const SHAPES: Array<{ a: number; b: number }> = [
  { a: 0, b: 0 },
  { a: 1, b: 0 },
  { a: 2, b: -0.5 },
  { a: -0.7, b: 0.5 },
];

export function clusterShape(c: number, rng: Rng): { a: number; b: number } {
  return SHAPES[c] ?? { a: rng.uniform(-0.8, 2), b: rng.uniform(-0.8, 0.8) };
}

export function generateSynthetic(options: Partial<SyntheticOptions> = {}): MultiTaskDataset {
  const o: SyntheticOptions = { ...DEFAULT_SYNTHETIC, ...options };
  validate(o);
  const rng = new Rng(o.seed, 7);
  const { features: F, latentDim: k, labelsPerTask: L } = o;
  const P = new Float64Array(F * k);
  for (let i = 0; i < P.length; i++) P[i] = rng.normal() / Math.sqrt(F);
  const shapes = Array.from({ length: o.clusters }, (_, c) => clusterShape(c, rng));
  const clusters = Array.from({ length: o.tasks }, (_, t) => t % o.clusters);

  const nTrain = Math.round(o.examplesPerTask * 0.6);
  const nValid = Math.round(o.examplesPerTask * 0.2);
  const parts = { train: new Builder(F), valid: new Builder(F), test: new Builder(F) };
  const tasks: TaskSpec[] = [];
  for (let t = 0; t < o.tasks; t++) {
    const { a, b } = shapes[clusters[t]!]!;
    const Q = Float64Array.from({ length: k * L }, () => rng.normal() / Math.sqrt(k));
    const n = o.examplesPerTask;
    const x = new Float32Array(n * F);
    const s = new Float64Array(n * L);
    const u = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < F; f++) x[i * F + f] = rng.normal();
      for (let j = 0; j < k; j++) {
        let acc = 0;
        for (let f = 0; f < F; f++) acc += (x[i * F + f] as number) * (P[f * k + j] as number);
        u[j] = Math.max(0, acc) + a * Math.max(0, b - acc);
      }
      for (let l = 0; l < L; l++) {
        let acc = 0;
        for (let j = 0; j < k; j++) acc += (u[j] as number) * (Q[j * L + l] as number);
        s[i * L + l] = acc + o.noise * rng.normal();
      }
    }
    const y = thresholdByPrevalence(s, n, L, o.prevalence);
    parts.train.addTask(x, y, 0, nTrain, L);
    parts.valid.addTask(x, y, nTrain, nTrain + nValid, L);
    parts.test.addTask(x, y, nTrain + nValid, n, L);
    tasks.push({ name: `task${String(t).padStart(2, '0')}`, labels: Array.from({ length: L }, (_, l) => `t${t}-c${l}`) });
  }
  return {
    name: `synthetic-t${o.tasks}-k${o.clusters}-s${o.seed}`,
    inputDim: F,
    tasks,
    train: parts.train.build(),
    valid: parts.valid.build(),
    test: parts.test.build(),
    clusters,
  };
}

/** Per label, positives are the scores above the (1 - prevalence) quantile. */
function thresholdByPrevalence(s: Float64Array, n: number, L: number, prevalence: number): Uint8Array {
  const y = new Uint8Array(n * L);
  const col = new Float64Array(n);
  for (let l = 0; l < L; l++) {
    for (let i = 0; i < n; i++) col[i] = s[i * L + l] as number;
    const sorted = Float64Array.from(col).sort();
    const thr = sorted[Math.min(n - 1, Math.floor((1 - prevalence) * n))] as number;
    for (let i = 0; i < n; i++) y[i * L + l] = (col[i] as number) >= thr ? 1 : 0;
  }
  return y;
}

/** Collects a split; an example joins its task only if it has a positive label (the authors' rule). */
class Builder {
  private readonly xs: Float32Array[] = [];
  private n = 0;
  private readonly tasks: TaskRows[] = [];
  constructor(private readonly F: number) {}

  addTask(x: Float32Array, y: Uint8Array, from: number, to: number, L: number): void {
    const rows: number[] = [];
    const labels: number[] = [];
    for (let i = from; i < to; i++) {
      const yi = y.subarray(i * L, (i + 1) * L);
      if (!yi.some((v) => v === 1)) continue;
      this.xs.push(x.subarray(i * this.F, (i + 1) * this.F));
      rows.push(this.n++);
      for (const v of yi) labels.push(v);
    }
    this.tasks.push({ rows: Int32Array.from(rows), labels: Uint8Array.from(labels) });
  }

  build(): Split {
    const x = new Float32Array(this.n * this.F);
    this.xs.forEach((row, i) => x.set(row, i * this.F));
    return { x, n: this.n, tasks: this.tasks };
  }
}

function validate(o: SyntheticOptions): void {
  const intIn = (v: number, lo: number, hi: number, f: string): void => {
    if (!Number.isInteger(v) || v < lo || v > hi) throw InvalidArgumentError.field(f, `must be an integer in ${lo}..${hi}`);
  };
  intIn(o.tasks, 1, 256, 'synthetic.tasks');
  intIn(o.clusters, 1, o.tasks, 'synthetic.clusters');
  intIn(o.features, 1, 65536, 'synthetic.features');
  intIn(o.labelsPerTask, 1, 4096, 'synthetic.labels_per_task');
  intIn(o.examplesPerTask, 10, 1_000_000, 'synthetic.examples_per_task');
  intIn(o.latentDim, 1, o.features, 'synthetic.latent_dim');
  if (!(Number.isFinite(o.noise) && o.noise >= 0)) throw InvalidArgumentError.field('synthetic.noise', 'must be >= 0');
  if (!(o.prevalence > 0 && o.prevalence < 1)) throw InvalidArgumentError.field('synthetic.prevalence', 'must be in (0, 1)');
}
