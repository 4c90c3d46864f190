/**
 * Forward and backward of one hidden layer, written by hand rather than through tf.grad.
 *
 * NOTE: on wasm, matMul with transposeA/transposeB runs 10-20x slower than tf.transpose followed by a plain matMul,
 * and autodiff of matMul uses the transposed forms (engineering.md): a step through plain autodiff costs ~7x more.
 * NOTE: wasm has no UnsortedSegmentSum kernel, so nothing here may rely on the gradient of tf.gather; the interval
 * lookup uses gatherND (~8x faster than gather on wasm) and its backward uses bincount.
 */
import * as tf from '@tensorflow/tfjs';
import { tv, type Layer } from './network.js';
import { buildTables, tableGradients, type Tables } from './piecewise-tables.js';

/** Rows of one tower's batch that belong to one task: `local` is the task's index within the tower. */
export interface Segment {
  local: number;
  count: number;
}

/** What backward needs of a layer's forward. */
export interface LayerTape {
  input: tf.Tensor2D;
  z: tf.Tensor2D;
  /** TAAN only. */
  taan?: { zFlat: tf.Tensor1D; idx: tf.Tensor1D; sGathered: tf.Tensor1D; tables: Tables; localTasks: number };
}

export interface LayerGrads {
  dW: tf.Tensor2D;
  db: tf.Tensor1D;
  dInput?: tf.Tensor2D;
  dAlpha?: Float64Array;
  dBeta?: Float64Array;
}

/**
 * How the interval index j = #{hinges <= z} is found: `searchSorted` (O(log M) per element; wasm and cpu), or
 * `compare` (count the hinges <= z, O(M) comparisons per element but no SearchSorted kernel, which the native
 * TensorFlow backend of tfjs-node and tfjs-node-gpu lacks; tfjs never falls back to another backend).
 */
export type IntervalMethod = 'searchSorted' | 'compare';

export function defaultIntervalMethod(): IntervalMethod {
  return tf.getBackend() === 'tensorflow' ? 'compare' : 'searchSorted';
}

/**
 * z = h W + b, then ReLU or the per-task TAAN activation. Must run inside tf.tidy. With `updateStats`, feeds the
 * layer's running pre-activation statistics (MeasureMode RUNNING).
 */
export function layerForward(
  h: tf.Tensor2D,
  layer: Layer,
  segments: Segment[],
  offsets: OffsetCache,
  opts: { tape?: LayerTape[]; updateStats?: boolean; intervals?: IntervalMethod } = {},
): tf.Tensor2D {
  const z = tf.add(tf.matMul(h, tv(layer.W) as tf.Tensor2D), tv(layer.b)) as tf.Tensor2D;
  const act = layer.act;
  if (!act) {
    opts.tape?.push({ input: h, z });
    return tf.relu(z);
  }
  if (opts.updateStats) updateRunningStats(z, act);
  const [N, H] = z.shape;
  const M = act.beta.length;
  const single = segments.length === 1;
  // A lone segment needs only its own task's table row, so no per-element task offset is added.
  const rowAlpha = single ? act.alpha.subarray(segments[0]!.local * M, (segments[0]!.local + 1) * M) : act.alpha;
  const localTasks = single ? 1 : act.alpha.length / M;
  const tables = buildTables(rowAlpha, act.beta, localTasks);
  const zFlat = tf.reshape(z, [N * H]) as tf.Tensor1D;
  const sorted = tf.tensor1d(tables.sorted);
  // Flat [N * H] either way: searchSorted answers [1, N * H], and adding the flat offsets to that shape takes
  // wasm's slow broadcasting path.
  const bin = tf.reshape(
    (opts.intervals ?? defaultIntervalMethod()) === 'compare'
      ? tf.sum(tf.cast(tf.greaterEqual(tf.reshape(zFlat, [N * H, 1]), tf.reshape(sorted, [1, M])), 'int32'), 1)
      : tf.searchSorted(sorted, zFlat, 'right'),
    [N * H],
  ) as tf.Tensor1D;
  const idx = single ? bin : (tf.add(bin, offsets.get(segments, H, M + 1)) as tf.Tensor1D);
  const idx2 = tf.reshape(idx, [N * H, 1]);
  const sGathered = tf.gatherND(tf.tensor1d(tables.S), idx2) as tf.Tensor1D;
  const pGathered = tf.gatherND(tf.tensor1d(tables.P), idx2) as tf.Tensor1D;
  const y = tf.sub(tf.add(tf.relu(zFlat), pGathered), tf.mul(sGathered, zFlat));
  opts.tape?.push({ input: h, z, taan: { zFlat, idx, sGathered, tables, localTasks } });
  return tf.reshape(y, [N, H]) as tf.Tensor2D;
}

/** Backward of layerForward given dL/dy. Must run inside tf.tidy. */
export function layerBackward(dy: tf.Tensor2D, layer: Layer, tape: LayerTape, needInput: boolean): LayerGrads {
  let dz: tf.Tensor2D;
  const out: Partial<LayerGrads> = {};
  if (tape.taan && layer.act) {
    const { zFlat, idx, sGathered, tables, localTasks } = tape.taan;
    const dyFlat = tf.reshape(dy, [zFlat.size]) as tf.Tensor1D;
    dz = tf.reshape(tf.mul(dyFlat, tf.sub(tf.step(zFlat), sGathered)), tape.z.shape) as tf.Tensor2D;
    const M = layer.act.beta.length;
    const bins = localTasks * (M + 1);
    const g0 = tf.bincount(idx, dyFlat, bins).dataSync();
    const g1 = tf.bincount(idx, tf.mul(dyFlat, zFlat) as tf.Tensor1D, bins).dataSync();
    out.dAlpha = new Float64Array(layer.act.alpha.length);
    out.dBeta = new Float64Array(M);
    tableGradients(g0, g1, layer.act.alpha, tables, localTasks, out.dAlpha, out.dBeta);
  } else {
    dz = tf.mul(dy, tf.step(tape.z)) as tf.Tensor2D;
  }
  out.dW = tf.matMul(tf.transpose(tape.input), dz) as tf.Tensor2D;
  out.db = columnSums(dz);
  if (needInput) out.dInput = tf.matMul(dz, tf.transpose(tv(layer.W))) as tf.Tensor2D;
  return out as LayerGrads;
}

/** Sum over rows, as a matMul with a row of ones: wasm's column sum (tf.sum over axis 0) transposes first, ~30x slower. */
export function columnSums(m: tf.Tensor2D): tf.Tensor1D {
  return tf.reshape(tf.matMul(tf.ones([1, m.shape[0]]), m), [m.shape[1]]) as tf.Tensor1D;
}

export const STAT_MOMENTUM = 0.99;

function updateRunningStats(z: tf.Tensor2D, act: NonNullable<Layer['act']>): void {
  const { mean, variance } = tf.moments(z);
  recordMoments(act, mean.dataSync()[0] as number, variance.dataSync()[0] as number);
}

/** Feeds one step's mean and (population) variance of a layer's z into its running statistics. */
export function recordMoments(act: NonNullable<Layer['act']>, m: number, variance: number): void {
  const s = Math.sqrt(Math.max(variance, 1e-12));
  if (act.statSteps === 0) {
    act.mu = m;
    act.sigma = s;
  } else {
    act.mu = STAT_MOMENTUM * act.mu + (1 - STAT_MOMENTUM) * m;
    act.sigma = STAT_MOMENTUM * act.sigma + (1 - STAT_MOMENTUM) * s;
  }
  act.statSteps++;
}

/**
 * Per-element task offsets (local task x (M + 1)) for a batch layout, kept across steps: the layout of a training
 * step never changes, and broadcasting an int32 column over [N, H] on wasm costs ~15x a pre-tiled add.
 */
export class OffsetCache {
  private readonly cache = new Map<string, tf.Tensor1D>();
  constructor(private readonly capacity = 16) {}

  get(segments: Segment[], H: number, stride: number): tf.Tensor1D {
    const key = `${H}:${stride}:${segments.map((s) => `${s.local}x${s.count}`).join(',')}`;
    let t = this.cache.get(key);
    if (!t) {
      const n = segments.reduce((a, s) => a + s.count, 0);
      const a = new Int32Array(n * H);
      let r = 0;
      for (const s of segments) {
        a.fill(s.local * stride, r * H, (r + s.count) * H);
        r += s.count;
      }
      t = tf.keep(tf.tensor1d(a, 'int32'));
      if (this.cache.size >= this.capacity) this.evictOldest();
      this.cache.set(key, t);
    }
    return t;
  }

  private evictOldest(): void {
    const first = this.cache.keys().next();
    if (first.done) return;
    this.cache.get(first.value)?.dispose();
    this.cache.delete(first.value);
  }

  dispose(): void {
    for (const t of this.cache.values()) t.dispose();
    this.cache.clear();
  }
}
