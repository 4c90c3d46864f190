/**
 * Gradients of the training loss (tfjs path, or the native BLAS host step on host storage; float32) against central finite differences of the float64
 * reference loss, for every parameter of a small model, every regularizer and both measures, and of one model at the
 * paper's M = 64 on layers of width 64; every parameter group within 1e-5 relative error.
 * Run once per backend by gradients.<backend>.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import type { Architecture, LossWeighting, MeasureMode, ModelConfig, Regularizer } from '../../src/domain/model-spec.js';
import { lossAndGradients } from '../../src/model/gradients.js';
import { hostLossAndGradients } from '../../src/model/host-step.js';
import { OffsetCache } from '../../src/model/layer-pass.js';
import { Network } from '../../src/model/network.js';
import { Rng } from '../../src/util/rng.js';
import { refLoss, type Params, type RefBatch } from '../helpers/reference-net.js';

const CLASSES = [2, 3, 4];
const COUNTS = [4, 3, 5];

/**
 * A small model, or with `wide` the paper's M = 64 hinges on layers of width 64. SOFT_ORDER gets three layers of
 * width 6 (with the input projection) or, `square`, of width 5 (none); MMOE three experts of [6, 4] and towers of [3].
 */
function smallConfig(architecture: Architecture, measure: MeasureMode, wide = false, lossWeighting: LossWeighting = 'EQUAL', square = false): ModelConfig {
  const hiddenSizes = architecture === 'SOFT_ORDER' ? (square ? [5, 5, 5] : [6, 6, 6]) : wide ? [64, 64] : [6, 4];
  return {
    architecture,
    inputDim: 5,
    hiddenSizes,
    numBasis: wide ? 64 : 3,
    tasks: CLASSES.map((c, t) => ({ name: `t${t}`, labels: Array.from({ length: c }, (_, i) => `c${i}`) })),
    measure,
    lossWeighting,
    ...(architecture === 'MMOE' ? { numExperts: 3, towerHiddenSizes: square ? [] : [3] } : {}),
  };
}

/** Mixing logits and log-variances away from their zero start, so that every softmax and weight matters. */
function perturbMixture(net: Network, rng: Rng): void {
  const so = net.mixture.softOrder;
  if (so) for (let i = 0; i < so.mix.length; i++) so.mix[i] = rng.normal();
  if (net.logVariance) for (let i = 0; i < net.logVariance.length; i++) net.logVariance[i] = 0.7 * rng.normal();
}

function makeBatch(seed: number): RefBatch {
  const rng = new Rng(seed, 3);
  const n = COUNTS.reduce((a, b) => a + b, 0);
  // float32 values, so the float32 path and the float64 reference see the same inputs.
  const x = Float64Array.from({ length: n * 5 }, () => Math.fround(rng.normal()));
  const y = CLASSES.map((c, t) => Float64Array.from({ length: COUNTS[t]! * c }, () => (rng.next() < 0.4 ? 1 : 0)));
  return { x, y, counts: COUNTS };
}

/** Makes alpha large enough that the hinges matter, and fixes the measure of the RUNNING case. */
function perturbActivations(net: Network, rng: Rng, measure: MeasureMode): void {
  for (const l of net.towers[0]?.layers ?? []) {
    if (!l.act) continue;
    // 0.5 at M = 3; smaller with more hinges, so the activation's scale does not grow with M.
    const scale = 0.5 * Math.sqrt(3 / l.act.beta.length);
    for (let i = 0; i < l.act.alpha.length; i++) l.act.alpha[i] = scale * rng.normal();
    if (measure === 'RUNNING') Object.assign(l.act, { mu: 0.3, sigma: 1.7, statSteps: 5 });
  }
}

function tfGradients(net: Network, batch: RefBatch, reg: { kind: Regularizer; coefficient: number }): Map<string, Float64Array> {
  const out = new Map<string, Float64Array>();
  if (net.storage === 'host') {
    const x = Float32Array.from(batch.x);
    const y = batch.y.map((yt) => Float32Array.from(yt));
    const g = hostLossAndGradients(net, { x, y, counts: batch.counts }, reg, false);
    for (const { name, a } of net.namedParams().host) {
      const h = g.grads.get(a);
      if (h) out.set(name, Float64Array.from(h));
    }
    return out;
  }
  const offsets = new OffsetCache();
  tf.tidy(() => {
    const n = batch.counts.reduce((a, b) => a + b, 0);
    const x = tf.tensor2d(Float32Array.from(batch.x), [n, 5]);
    const y = batch.y.map((yt, t) => tf.tensor2d(Float32Array.from(yt), [batch.counts[t]!, CLASSES[t]!]));
    const g = lossAndGradients(net, { x, y, counts: batch.counts }, reg, offsets, false);
    for (const [name, t] of g.device) out.set(name, Float64Array.from(t.dataSync()));
    for (const { name, a } of net.namedParams().host) {
      const h = g.host.get(a);
      if (h) out.set(name, Float64Array.from(h));
    }
  });
  offsets.dispose();
  return out;
}

function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den = Math.max(den, a[i]! ** 2, b[i]! ** 2);
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den) * Math.sqrt(a.length), 1e-12);
}

export function describeGradientChecks(backend: string): void {
  const cases: Array<[Architecture, Regularizer, MeasureMode, 'wide' | 'small' | 'square' | 'uncertainty']> = [
    ['TAAN', 'NONE', 'STANDARD', 'small'],
    ['TAAN', 'TRACE_NORM', 'STANDARD', 'small'],
    ['TAAN', 'COSINE', 'STANDARD', 'small'],
    ['TAAN', 'DISTANCE', 'STANDARD', 'small'],
    ['TAAN', 'ROW_NORM', 'STANDARD', 'small'],
    ['TAAN', 'DISTANCE', 'RUNNING', 'small'],
    ['TAAN', 'COSINE', 'RUNNING', 'small'],
    ['HARD_SHARE', 'NONE', 'STANDARD', 'small'],
    ['STL', 'NONE', 'STANDARD', 'small'],
    ['TAAN', 'DISTANCE', 'STANDARD', 'wide'],
    ['SOFT_ORDER', 'NONE', 'STANDARD', 'small'],
    ['SOFT_ORDER', 'NONE', 'STANDARD', 'square'],
    ['MMOE', 'NONE', 'STANDARD', 'small'],
    ['MMOE', 'NONE', 'STANDARD', 'square'],
    ['TAAN', 'DISTANCE', 'STANDARD', 'uncertainty'],
    ['HARD_SHARE', 'NONE', 'STANDARD', 'uncertainty'],
    ['STL', 'NONE', 'STANDARD', 'uncertainty'],
    ['SOFT_ORDER', 'NONE', 'STANDARD', 'uncertainty'],
    ['MMOE', 'NONE', 'STANDARD', 'uncertainty'],
  ];
  describe(`loss gradients vs finite differences (${backend})`, () => {
    it.each(cases)('%s + %s (%s measure, %s)', (arch, kind, measure, wide) => {
      const config = smallConfig(arch, measure, wide === 'wide', wide === 'uncertainty' ? 'UNCERTAINTY' : 'EQUAL', wide === 'square');
      const net = Network.create(config, 11);
      perturbActivations(net, new Rng(5), measure);
      perturbMixture(net, new Rng(6));
      const reg = { kind, coefficient: 0.3 };
      const batch = makeBatch(2);
      const measures = (net.towers[0]?.layers ?? []).map((l) => ({ mu: l.act?.mu ?? 0, sigma: l.act?.sigma ?? 1 }));
      const grads = tfGradients(net, batch, reg);
      const params: Params = new Map([...net.getArrays()].map(([k, v]) => [k, Float64Array.from(v)]));
      const eps = 1e-7;
      const worst: Array<[string, number]> = [];
      for (const [name, p] of params) {
        const fd = new Float64Array(p.length);
        for (let i = 0; i < p.length; i++) {
          const keep = p[i]!;
          p[i] = keep + eps;
          const up = refLoss(config, params, batch, reg, measures);
          p[i] = keep - eps;
          const down = refLoss(config, params, batch, reg, measures);
          p[i] = keep;
          fd[i] = (up - down) / (2 * eps);
        }
        const g = grads.get(name);
        expect(g, `gradient of ${name}`).toBeDefined();
        worst.push([name, relErr(g!, fd)]);
      }
      net.dispose();
      // float32 gradients against float64 differences (a step of 1e-7 rarely crosses a hinge, where the difference
      // quotient is wrong, even at M = 64).
      const top = worst.reduce((a, b) => (b[1] > a[1] ? b : a));
      console.log(`${backend} ${arch} + ${kind} (${measure}${wide === 'small' ? '' : `, ${wide}`}): worst relative error ${top[1].toExponential(2)} (${top[0]})`);
      for (const [name, e] of worst) expect(e, `relative error of d loss / d ${name}`).toBeLessThan(1e-5);
    });
  });
}
