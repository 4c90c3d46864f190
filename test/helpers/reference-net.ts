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

/** Hidden representation of rows belonging to one task. */
export function refHidden(config: ModelConfig, p: Params, x: Float64Array, n: number, task: number): Float64Array {
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
  const H = config.hiddenSizes[config.hiddenSizes.length - 1]!;
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
    total += sum / n;
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
