/**
 * Parameters of a TAAN, HARD_SHARE, STL, SOFT_ORDER or MMOE network.
 *
 * SOFT_ORDER and MMOE (docs/baselines.md) have no towers: their shared layers, mixing logits, experts, gates and
 * task towers are `mixture`, and their step is mixture-step.ts.
 *
 * A network is a set of towers (one shared tower for TAAN and HARD_SHARE, one per task for STL) and one head per
 * task. Dense weights (W, b, V, c) live where the compute path wants them (`storage`): as tfjs variables for the
 * tfjs step (gradients.ts, layer-pass.ts), or as host Float32Arrays for the native BLAS step (host-step.ts). The
 * activation parameters of a TAAN layer (alpha, T x M, and the M hinges) are tiny and are read by the host every
 * step anyway (to build the interval tables and the regularizer), so they live on the host as Float32Array on both
 * paths and are optimised there. Both storages start from the same values for the same seed.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../domain/model-spec.js';
import { lossWeightingOf, numExpertsOf, validateModelConfig } from '../domain/model-spec.js';
import { Rng } from '../util/rng.js';
import type { LayerStats } from './model-metadata.js';
import { defaultStorage } from './backend.js';

/** Where a network's dense parameters live: tfjs variables, or host arrays for the native BLAS path. */
export type Storage = 'tfjs' | 'host';

/** A dense parameter: exactly one of `v` (tfjs storage) and `a` (host storage) is set. */
export interface Dense {
  readonly shape: number[];
  readonly size: number;
  readonly v: tf.Variable | null;
  readonly a: Float32Array | null;
}

/** The tfjs variable of a dense parameter (tfjs storage only). */
export function tv(d: Dense): tf.Variable {
  if (!d.v) throw new Error('this network keeps its weights on the host (native BLAS path), not in tfjs variables');
  return d.v;
}

/** A dense parameter held by a tfjs variable. */
export function tfDense(v: tf.Variable): Dense {
  return { shape: v.shape, size: v.size, v, a: null };
}

/** The host array of a dense parameter (host storage only). */
export function ha(d: Dense): Float32Array {
  if (!d.a) throw new Error('this network keeps its weights in tfjs variables, not on the host');
  return d.a;
}

export interface ActivationParams {
  /** tasks-in-tower x M, row-major. */
  alpha: Float32Array;
  /** M hinge locations. */
  beta: Float32Array;
  /** The measure of this layer's functional metrics: N(0, 1), or running stats of z (MeasureMode RUNNING). */
  mu: number;
  sigma: number;
  /** How many steps fed the running statistics (0 = none yet). */
  statSteps: number;
}

export interface Layer {
  W: Dense;
  b: Dense;
  act?: ActivationParams;
}

export interface Tower {
  /** Global task indices, contiguous and ascending. */
  tasks: number[];
  layers: Layer[];
}

export interface Head {
  V: Dense;
  c: Dense;
}

/**
 * SOFT_ORDER: D shared layers of one width (after `proj`, a ReLU layer to that width when the input has another);
 * `mix` holds the softmax logits, T x D (depth) x D (layer), row-major.
 */
export interface SoftOrderParams {
  proj: Layer | null;
  layers: Layer[];
  mix: Float32Array;
}

/** MMOE: E expert MLPs on the input; per task a softmax gate over them (W: inputDim x E, c: E) and a ReLU tower. */
export interface MmoeParams {
  experts: Layer[][];
  gates: Array<{ W: Dense; b: Dense }>;
  towers: Layer[][];
}

export interface MixtureParams {
  softOrder?: SoftOrderParams;
  mmoe?: MmoeParams;
}

/** The values of a dense parameter on either storage (read-only: a tfjs variable's data may be its backing store). */
export function valuesOf(d: Dense): Float32Array {
  return d.a ?? (tv(d).dataSync() as Float32Array);
}

/**
 * Flat view of every trainable array, in a fixed order, for the optimizer and for files: tfjs variables (`device`)
 * and host arrays (`host`: the activation parameters, plus every dense parameter on host storage; `dense` tells
 * which).
 */
export interface NamedParams {
  device: Array<{ name: string; v: tf.Variable }>;
  host: Array<{ name: string; a: Float32Array; dense: boolean }>;
}

export class Network {
  /** Feature standardisation applied before the first layer (ARFF data); null = raw features. */
  normalization: { mean: Float32Array; std: Float32Array } | null = null;
  /**
   * Set on a served model (the Predict workers' cache): its weights never change again, so the native path may keep
   * packed copies of them (host-step.ts). Never set on a network that trains.
   */
  frozen = false;

  private constructor(
    readonly config: ModelConfig,
    readonly towers: Tower[],
    readonly heads: Head[],
    readonly storage: Storage,
    readonly mixture: MixtureParams,
    /** UNCERTAINTY loss weighting: the learned log-variance s_t of every task (zeros at start); null for EQUAL. */
    readonly logVariance: Float32Array | null,
  ) {}

  /**
   * Initialises as the authors do: torch Linear defaults, alpha 0.01 N(0,1), hinges U[-0.5, 0.5). `storage`
   * defaults to the compute path chosen by initBackend (host on the native BLAS path).
   */
  static create(config: ModelConfig, seed: number, storage: Storage = defaultStorage()): Network {
    validateModelConfig(config);
    const uniformVar = (shape: number[], fanIn: number, rng: Rng): Dense => uniformParam(shape, fanIn, rng, storage);
    const rng = new Rng(seed, 1);
    const T = config.tasks.length;
    const mixture: MixtureParams = {};
    const denseLayers = (sizes: readonly number[], fanIn0: number): Layer[] => {
      let fanIn = fanIn0;
      return sizes.map((H) => {
        const layer: Layer = { W: uniformVar([fanIn, H], fanIn, rng), b: uniformVar([H], fanIn, rng) };
        fanIn = H;
        return layer;
      });
    };
    let groups: number[][] = config.architecture === 'STL' ? config.tasks.map((_, t) => [t]) : [config.tasks.map((_, t) => t)];
    let last = config.hiddenSizes[config.hiddenSizes.length - 1] as number;
    if (config.architecture === 'SOFT_ORDER') {
      groups = [];
      const D = config.hiddenSizes.length;
      const proj = config.inputDim === last ? null : (denseLayers([last], config.inputDim)[0] as Layer);
      mixture.softOrder = { proj, layers: denseLayers(config.hiddenSizes, last), mix: new Float32Array(T * D * D) };
    } else if (config.architecture === 'MMOE') {
      groups = [];
      const E = numExpertsOf(config);
      const experts = Array.from({ length: E }, () => denseLayers(config.hiddenSizes, config.inputDim));
      const gates = config.tasks.map(() => ({ W: uniformVar([config.inputDim, E], config.inputDim, rng), b: uniformVar([E], config.inputDim, rng) }));
      const towerSizes = config.towerHiddenSizes ?? [];
      const towers = config.tasks.map(() => denseLayers(towerSizes, last));
      mixture.mmoe = { experts, gates, towers };
      last = towerSizes.length ? (towerSizes[towerSizes.length - 1] as number) : last;
    }
    const towers = groups.map((tasks) => {
      let fanIn = config.inputDim;
      const layers = config.hiddenSizes.map((H) => {
        const layer: Layer = { W: uniformVar([fanIn, H], fanIn, rng), b: uniformVar([H], fanIn, rng) };
        if (config.architecture === 'TAAN') {
          const M = config.numBasis;
          const alpha = new Float32Array(tasks.length * M);
          for (let i = 0; i < alpha.length; i++) alpha[i] = 0.01 * rng.normal();
          const beta = new Float32Array(M);
          for (let i = 0; i < M; i++) beta[i] = rng.next() - 0.5;
          layer.act = { alpha, beta, mu: 0, sigma: 1, statSteps: 0 };
        }
        fanIn = H;
        return layer;
      });
      return { tasks, layers };
    });
    const heads = Array.from({ length: T }, (_, t) => {
      const C = config.tasks[t]?.labels.length ?? 0;
      return { V: uniformVar([last, C], last, rng), c: uniformVar([C], last, rng) };
    });
    const logVariance = lossWeightingOf(config) === 'UNCERTAINTY' ? new Float32Array(T) : null;
    return new Network(config, towers, heads, storage, mixture, logVariance);
  }

  /** Builds a network of the given shape and fills it from named arrays (a saved model or checkpoint). */
  static fromArrays(config: ModelConfig, arrays: Map<string, Float32Array>, stats: LayerStats[], storage: Storage = defaultStorage()): Network {
    const net = Network.create(config, 0, storage);
    net.setArrays(arrays, stats);
    return net;
  }

  towerOf(task: number): Tower {
    const tower = this.towers.find((tw) => tw.tasks.includes(task));
    if (!tower) throw new Error(`no tower for task ${task}`);
    return tower;
  }

  paramCount(): number {
    const p = this.namedParams();
    return p.device.reduce((s, d) => s + d.v.size, 0) + p.host.reduce((s, h) => s + h.a.length, 0);
  }

  namedParams(): NamedParams {
    const device: NamedParams['device'] = [];
    const host: NamedParams['host'] = [];
    const dense = (name: string, d: Dense): void => {
      if (d.v) device.push({ name, v: d.v });
      else host.push({ name, a: ha(d), dense: true });
    };
    this.towers.forEach((tw, k) =>
      tw.layers.forEach((l, i) => {
        dense(`tower${k}.layer${i}.W`, l.W);
        dense(`tower${k}.layer${i}.b`, l.b);
        if (l.act) {
          host.push({ name: `tower${k}.layer${i}.alpha`, a: l.act.alpha, dense: false }, { name: `tower${k}.layer${i}.beta`, a: l.act.beta, dense: false });
        }
      }),
    );
    const layers = (prefix: string, ls: Layer[]): void =>
      ls.forEach((l, i) => {
        dense(`${prefix}layer${i}.W`, l.W);
        dense(`${prefix}layer${i}.b`, l.b);
      });
    const so = this.mixture.softOrder;
    if (so) {
      if (so.proj) layers('soft.proj.', [so.proj]);
      layers('soft.', so.layers);
      host.push({ name: 'soft.mix', a: so.mix, dense: false });
    }
    const mm = this.mixture.mmoe;
    if (mm) {
      mm.experts.forEach((ls, e) => layers(`mmoe.expert${e}.`, ls));
      mm.gates.forEach((g, t) => {
        dense(`mmoe.gate${t}.W`, g.W);
        dense(`mmoe.gate${t}.b`, g.b);
      });
      mm.towers.forEach((ls, t) => layers(`mmoe.tower${t}.`, ls));
    }
    this.heads.forEach((h, t) => {
      dense(`head${t}.V`, h.V);
      dense(`head${t}.c`, h.c);
    });
    if (this.logVariance) host.push({ name: 'loss.logVariance', a: this.logVariance, dense: false });
    return { device, host };
  }

  /** Copies of every parameter, by name (what a file or a best-epoch snapshot holds). */
  getArrays(): Map<string, Float32Array> {
    const out = new Map<string, Float32Array>();
    const p = this.namedParams();
    for (const d of p.device) out.set(d.name, d.v.dataSync().slice() as Float32Array);
    for (const h of p.host) out.set(h.name, h.a.slice());
    return out;
  }

  setArrays(arrays: Map<string, Float32Array>, stats?: LayerStats[]): void {
    const p = this.namedParams();
    for (const d of p.device) {
      const a = arrays.get(d.name);
      if (!a || a.length !== d.v.size) throw new Error(`parameter ${d.name}: missing or wrong size`);
      tf.tidy(() => d.v.assign(tf.tensor(a, d.v.shape)));
    }
    for (const h of p.host) {
      const a = arrays.get(h.name);
      if (!a || a.length !== h.a.length) throw new Error(`parameter ${h.name}: missing or wrong size`);
      h.a.set(a);
    }
    if (stats) this.setStats(stats);
  }

  /** The measure of every TAAN layer (tower-major), saved beside the weights. */
  getStats(): LayerStats[] {
    return this.towers.flatMap((tw) =>
      tw.layers.flatMap((l) => (l.act ? [{ mu: l.act.mu, sigma: l.act.sigma, statSteps: l.act.statSteps }] : [])),
    );
  }

  setStats(stats: LayerStats[]): void {
    let i = 0;
    for (const tw of this.towers) {
      for (const l of tw.layers) {
        if (!l.act) continue;
        const s = stats[i++];
        if (!s) throw new Error('activation statistics missing');
        Object.assign(l.act, s);
      }
    }
  }

  dispose(): void {
    for (const d of this.namedParams().device) d.v.dispose();
  }
}

function uniformParam(shape: number[], fanIn: number, rng: Rng, storage: Storage): Dense {
  const bound = 1 / Math.sqrt(fanIn);
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = rng.uniform(-bound, bound);
  if (storage === 'host') return { shape, size: n, v: null, a };
  return { shape, size: n, v: tf.tidy(() => tf.variable(tf.tensor(a, shape), true)), a: null };
}
