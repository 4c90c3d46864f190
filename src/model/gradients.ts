/**
 * Loss and gradients of one training step, by hand: heads, hidden layers in reverse, then the functional
 * regularizer of every TAAN layer, computed once per step on the small T x M matrices (never on activations),
 * so its cost does not grow with the batch.
 */
import * as tf from '@tensorflow/tfjs';
import type { Regularizer } from '../domain/model-spec.js';
import { regularizer } from '../functional/regularizers.js';
import { transposeRows } from './host-copy.js';
import { kernelsFor } from './host-kernels.js';
import { columnSums, layerBackward, layerForward, type LayerTape, type OffsetCache, type Segment } from './layer-pass.js';
import { TaskLossWeights } from './loss-weighting.js';
import { isMixture, mixtureLossAndGradients } from './mixture-step.js';
import { tv, type Dense, type Network, type Tower } from './network.js';

export interface StepData {
  /** All tasks' rows, grouped by task in task order. */
  x: tf.Tensor2D;
  /** Per task: counts[t] x classes_t. */
  y: tf.Tensor2D[];
  counts: number[];
}

export interface Gradients {
  /** Gradient tensors, keyed by the parameter variable's name. */
  device: Map<string, tf.Tensor>;
  /** Gradients of host-side parameters, keyed by the parameter array. */
  host: Map<Float32Array, Float64Array>;
  /** Data loss (mean over tasks of the per-row summed BCE). */
  dataLoss: tf.Scalar;
  /** c * sum over TAAN layers of R, computed on the host. */
  regLoss: number;
}

export interface RegularizerSetting {
  kind: Regularizer;
  coefficient: number;
}

/** Must run inside tf.tidy (every tensor it makes is tidy-owned). */
export function lossAndGradients(
  net: Network,
  data: StepData,
  reg: RegularizerSetting,
  offsets: OffsetCache,
  updateStats: boolean,
): Gradients {
  const device = new Map<string, tf.Tensor>();
  const host = new Map<Float32Array, Float64Array>();
  if (isMixture(net)) return mixtureGradients(net, data, device, host);
  const active = data.counts.filter((c) => c > 0).length;
  const weights = new TaskLossWeights(net, active);
  const starts = cumulative(data.counts);
  const taskLosses: tf.Scalar[] = [];

  net.towers.forEach((tower, k) => {
    const { rowStart, rowCount, segments } = towerRows(tower, data.counts, starts);
    if (rowCount === 0) return;
    const tapes: LayerTape[] = [];
    let h = data.x;
    if (rowStart !== 0 || rowCount !== data.x.shape[0]) h = tf.slice(data.x, [rowStart, 0], [rowCount, -1]);
    for (const layer of tower.layers) h = layerForward(h, layer, segments, offsets, { tape: tapes, updateStats });

    // Every task's rows of h, their transposes, and the rows of dh are cut and assembled on the host: on wasm,
    // sixteen tf.slice calls, a tf.concat and transposes of every head's V cost several times one copy of h out and
    // of each task's part back in. Each task's part of dh comes transposed (V dl^T, [H, n]): the small dl is
    // transposed instead of the large V.
    const H = h.shape[1];
    const hHost = h.dataSync() as Float32Array;
    const dhHost = new Float32Array(rowCount * H);
    let local = 0;
    for (const t of tower.tasks) {
      const n = data.counts[t] as number;
      if (n === 0) continue;
      const head = net.heads[t]!;
      const rows = hHost.subarray(local * H, (local + n) * H);
      const ht = n === h.shape[0] ? h : tf.tensor2d(rows, [n, H]);
      const logits = tf.add(tf.matMul(ht, tv(head.V) as tf.Tensor2D), tv(head.c)) as tf.Tensor2D;
      const y = data.y[t] as tf.Tensor2D;
      const bce = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, y)), tf.softplus(tf.neg(tf.abs(logits))));
      const taskLoss = tf.div(tf.sum(bce), n) as tf.Scalar;
      // Uncertainty weighting needs the value of L_t for the gradient of s_t (one small read a task).
      if (net.logVariance) weights.add(t, taskLoss.dataSync()[0]!);
      taskLosses.push(net.logVariance ? (tf.add(tf.mul(taskLoss, weights.weight(t)), net.logVariance[t]!) as tf.Scalar) : taskLoss);
      const dl = tf.mul(tf.sub(tf.sigmoid(logits), y), weights.weight(t) / (n * active)) as tf.Tensor2D;
      device.set(`head${t}.V`, tf.matMul(tf.tensor2d(transposeRows(rows, n, H), [H, n]), dl));
      device.set(`head${t}.c`, columnSums(dl));
      const dhT = tf.matMul(tv(head.V) as tf.Tensor2D, tf.transpose(dl)).dataSync() as Float32Array;
      transposeRows(dhT, H, n, dhHost, local * H);
      local += n;
    }
    let dh = tf.tensor2d(dhHost, [rowCount, H]);
    for (let i = tower.layers.length - 1; i >= 0; i--) {
      const layer = tower.layers[i]!;
      const g = layerBackward(dh, layer, tapes[i]!, i > 0);
      device.set(`tower${k}.layer${i}.W`, g.dW);
      device.set(`tower${k}.layer${i}.b`, g.db);
      if (layer.act && g.dAlpha && g.dBeta) {
        host.set(layer.act.alpha, g.dAlpha);
        host.set(layer.act.beta, g.dBeta);
      }
      if (g.dInput) dh = g.dInput;
    }
  });

  const regLoss = addRegularizer(net, reg, host);
  weights.addGradient(host);
  const dataLoss = tf.div(tf.addN(taskLosses), active) as tf.Scalar;
  return { device, host, dataLoss, regLoss };
}

/**
 * SOFT_ORDER and MMOE on a tfjs backend: the host-array step of mixture-step.ts with tfjs's matMul for the
 * products; its gradients come back as tensors like every other network's.
 */
function mixtureGradients(net: Network, data: StepData, device: Map<string, tf.Tensor>, host: Map<Float32Array, Float64Array>): Gradients {
  const names = new Map<tf.Variable, string>(net.namedParams().device.map((d) => [d.v, d.name]));
  const dense = new Map<Dense, Float32Array>();
  const hostGrads = new Map<Float32Array, Float32Array | Float64Array>();
  const batch = { x: data.x.dataSync() as Float32Array, y: data.y.map((y) => y.dataSync() as Float32Array), counts: data.counts };
  const sink = {
    dense: (d: Dense): Float32Array => {
      let g = dense.get(d);
      if (!g) dense.set(d, (g = new Float32Array(d.size)));
      return g;
    },
    host: hostGrads,
  };
  const loss = mixtureLossAndGradients(net, kernelsFor(net.storage), batch, sink);
  for (const [d, g] of dense) device.set(names.get(tv(d))!, tf.tensor(g, d.shape));
  for (const [a, g] of hostGrads) host.set(a, Float64Array.from(g));
  return { device, host, dataLoss: tf.scalar(loss), regLoss: 0 };
}

/** Adds c * dR to the host gradients of every TAAN layer; returns c * sum R. */
export function addRegularizer(net: Network, reg: RegularizerSetting, host: Map<Float32Array, Float32Array | Float64Array>): number {
  if (reg.kind === 'NONE' || reg.coefficient === 0) return 0;
  let total = 0;
  for (const tower of net.towers) {
    for (const layer of tower.layers) {
      const act = layer.act;
      if (!act) continue;
      const M = act.beta.length;
      const T = act.alpha.length / M;
      const measure = net.config.measure === 'RUNNING' ? { mu: act.mu, sigma: act.sigma } : { mu: 0, sigma: 1 };
      const r = regularizer(reg.kind, act.alpha, T, M, act.beta, measure);
      total += reg.coefficient * r.value;
      const dA = host.get(act.alpha) ?? new Float64Array(act.alpha.length);
      const dB = host.get(act.beta) ?? new Float64Array(M);
      for (let i = 0; i < dA.length; i++) dA[i] = (dA[i] as number) + reg.coefficient * (r.dAlpha[i] as number);
      for (let i = 0; i < M; i++) dB[i] = (dB[i] as number) + reg.coefficient * (r.dHinges[i] as number);
      host.set(act.alpha, dA);
      host.set(act.beta, dB);
    }
  }
  return total;
}

export function towerRows(
  tower: Tower,
  counts: number[],
  starts: number[],
): { rowStart: number; rowCount: number; segments: Segment[] } {
  const first = tower.tasks[0] as number;
  const segments: Segment[] = [];
  let rowCount = 0;
  tower.tasks.forEach((t, local) => {
    const n = counts[t] ?? 0;
    if (n > 0) segments.push({ local, count: n });
    rowCount += n;
  });
  return { rowStart: starts[first] ?? 0, rowCount, segments };
}

function cumulative(counts: number[]): number[] {
  const out: number[] = [];
  let s = 0;
  for (const c of counts) {
    out.push(s);
    s += c;
  }
  return out;
}
