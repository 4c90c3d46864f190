/**
 * A float64, plain-JS forward pass of the whole network and its training loss, written the naive way
 * (the O(N x H x M) sum of hinges), as an independent check of the tfjs path and for finite differences.
 */
import type { ModelConfig, Regularizer } from '../../src/domain/model-spec.js';
import { regularizer } from '../../src/functional/regularizers.js';

export type Params = Map<string, Float64Array>;

export interface RefBatch {
  x: Float64Array;
  y: Float64Array[];
  counts: number[];
}

export interface RefMeasure {
  mu: number;
  sigma: number;
}

function dense(h: Float64Array, n: number, din: number, W: Float64Array, b: Float64Array, dout: number): Float64Array {
  const z = new Float64Array(n * dout);
  for (let r = 0; r < n; r++)
    for (let j = 0; j < dout; j++) {
      let acc = b[j]!;
      for (let i = 0; i < din; i++) acc += h[r * din + i]! * W[i * dout + j]!;
      z[r * dout + j] = acc;
    }
  return z;
}

function reluInPlace(z: Float64Array): Float64Array {
  for (let i = 0; i < z.length; i++) z[i] = Math.max(0, z[i]!);
  return z;
}

function refMlp(p: Params, prefix: string, count: number, h: Float64Array, n: number, din: number): { h: Float64Array; width: number } {
  for (let l = 0; l < count; l++) {
    const b = p.get(`${prefix}layer${l}.b`)!;
    h = reluInPlace(dense(h, n, din, p.get(`${prefix}layer${l}.W`)!, b, b.length));
    din = b.length;
  }
  return { h, width: din };
}

function softmax(a: Float64Array, o: number, n: number): number[] {
  const max = Math.max(...a.subarray(o, o + n));
  const e = Array.from(a.subarray(o, o + n), (v) => Math.exp(v - max));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((v) => v / s);
}

/** SOFT_ORDER and MMOE (docs/baselines.md), the naive way. */
function refMixtureHidden(config: ModelConfig, p: Params, x: Float64Array, n: number, task: number): Float64Array {
  const Din = config.inputDim;
  if (config.architecture === 'SOFT_ORDER') {
    const D = config.hiddenSizes.length;
    const H = config.hiddenSizes[0]!;
    let h = p.has('soft.proj.layer0.W') ? refMlp(p, 'soft.proj.', 1, x, n, Din).h : x;
    const mix = p.get('soft.mix')!;
    for (let d = 0; d < D; d++) {
      const w = softmax(mix, (task * D + d) * D, D);
      const next = new Float64Array(n * H);
      for (let k = 0; k < D; k++) {
        const a = reluInPlace(dense(h, n, H, p.get(`soft.layer${k}.W`)!, p.get(`soft.layer${k}.b`)!, H));
        for (let i = 0; i < a.length; i++) next[i] = next[i]! + w[k]! * a[i]!;
      }
      h = next;
    }
    return h;
  }
  const E = config.numExperts ?? 8;
  const experts = Array.from({ length: E }, (_, e) => refMlp(p, `mmoe.expert${e}.`, config.hiddenSizes.length, x, n, Din));
  const F = experts[0]!.width;
  const gl = dense(x, n, Din, p.get(`mmoe.gate${task}.W`)!, p.get(`mmoe.gate${task}.b`)!, E);
  const u = new Float64Array(n * F);
  for (let r = 0; r < n; r++) {
    const g = softmax(gl, r * E, E);
    for (let e = 0; e < E; e++) for (let j = 0; j < F; j++) u[r * F + j] = u[r * F + j]! + g[e]! * experts[e]!.h[r * F + j]!;
  }
  return refMlp(p, `mmoe.tower${task}.`, (config.towerHiddenSizes ?? []).length, u, n, F).h;
}

/** Hidden representation of rows belonging to one task. */
export function refHidden(config: ModelConfig, p: Params, x: Float64Array, n: number, task: number): Float64Array {
  if (config.architecture === 'SOFT_ORDER' || config.architecture === 'MMOE') return refMixtureHidden(config, p, x, n, task);
  const tower = config.architecture === 'STL' ? task : 0;
  const local = config.architecture === 'STL' ? 0 : task;
  let h = x;
  let din = config.inputDim;
  config.hiddenSizes.forEach((H, l) => {
    const z = dense(h, n, din, p.get(`tower${tower}.layer${l}.W`)!, p.get(`tower${tower}.layer${l}.b`)!, H);
    const alpha = p.get(`tower${tower}.layer${l}.alpha`);
    const beta = p.get(`tower${tower}.layer${l}.beta`);
    const M = beta?.length ?? 0;
    for (let e = 0; e < z.length; e++) {
      const v = z[e]!;
      let out = Math.max(0, v);
      for (let m = 0; m < M; m++) out += alpha![local * M + m]! * Math.max(0, beta![m]! - v);
      z[e] = out;
    }
    h = z;
    din = H;
  });
  return h;
}

export function refLoss(
  config: ModelConfig,
  p: Params,
  batch: RefBatch,
  reg: { kind: Regularizer; coefficient: number },
  measures: RefMeasure[],
): number {
  const D = config.inputDim;
  const towers = config.architecture === 'MMOE' ? (config.towerHiddenSizes ?? []) : [];
  const H = towers.length ? towers[towers.length - 1]! : config.hiddenSizes[config.hiddenSizes.length - 1]!;
  const logVariance = p.get('loss.logVariance');
  let total = 0;
  let active = 0;
  let row = 0;
  config.tasks.forEach((task, t) => {
    const n = batch.counts[t]!;
    if (n === 0) return;
    active++;
    const h = refHidden(config, p, batch.x.subarray(row * D, (row + n) * D), n, t);
    row += n;
    const C = task.labels.length;
    const logits = dense(h, n, H, p.get(`head${t}.V`)!, p.get(`head${t}.c`)!, C);
    let sum = 0;
    for (let e = 0; e < logits.length; e++) {
      const l = logits[e]!;
      const y = batch.y[t]![e]!;
      sum += Math.max(l, 0) - l * y + Math.log1p(Math.exp(-Math.abs(l)));
    }
    // Uncertainty weighting (Kendall et al.): L_t exp(-s_t) + s_t.
    total += logVariance ? (sum / n) * Math.exp(-logVariance[t]!) + logVariance[t]! : sum / n;
  });
  let loss = total / active;
  if (config.architecture === 'TAAN' && reg.kind !== 'NONE') {
    config.hiddenSizes.forEach((_, l) => {
      const alpha = p.get(`tower0.layer${l}.alpha`)!;
      const beta = p.get(`tower0.layer${l}.beta`)!;
      loss += reg.coefficient * regularizer(reg.kind, alpha, config.tasks.length, beta.length, beta, measures[l]!).value;
    });
  }
  return loss;
}
