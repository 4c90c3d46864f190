/**
 * The tfjs training-path activation (sorted hinges, interval tables, gatherND) against method.md §4's table and
 * against the naive N x H x M form, on wasm. Gradients are covered by gradients.*.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerForward, OffsetCache, type Segment } from '../../src/model/layer-pass.js';
import { tfDense, type Layer } from '../../src/model/network.js';
import { Rng } from '../../src/util/rng.js';
import { useBackend } from '../helpers/backend.js';

beforeAll(() => useBackend('wasm'));

const BETA = [-1.0, -0.25, 0.5, 1.5];
const ALPHA = [
  [0.2, -0.1, 0.05, 0.3],
  [0.15, -0.05, 0.0, 0.25],
  [-0.3, 0.4, -0.2, 0.1],
];
const XS = [-2.0, -0.5, 0.0, 0.3, 1.0, 2.0];
const TABLE = [
  [1.2, 0.625, 0.475, 0.67, 1.15, 2.0],
  [0.9375, 0.4875, 0.375, 0.6, 1.125, 2.0],
  [0.25, 0.1, 0.05, 0.38, 1.05, 2.0],
];

/** A 1-unit identity layer, so the layer's output is F_t(x) itself. */
function identityLayer(alpha: number[][], beta: number[]): Layer {
  return {
    W: tfDense(tf.variable(tf.tensor2d([[1]]))),
    b: tfDense(tf.variable(tf.tensor1d([0]))),
    act: { alpha: Float32Array.from(alpha.flat()), beta: Float32Array.from(beta), mu: 0, sigma: 1, statSteps: 0 },
  };
}

function naive(alpha: number[], beta: number[], z: number): number {
  return Math.max(0, z) + alpha.reduce((s, a, m) => s + a * Math.max(0, beta[m]! - z), 0);
}

describe('TAAN activation on the training path', () => {
  it('matches the method.md §4 table to 1e-6, all tasks in one batch', () => {
    const layer = identityLayer(ALPHA, BETA);
    const offsets = new OffsetCache();
    const segments: Segment[] = ALPHA.map((_, t) => ({ local: t, count: XS.length }));
    const y = tf.tidy(() => layerForward(tf.tensor2d(ALPHA.flatMap(() => XS), [18, 1]), layer, segments, offsets).dataSync());
    ALPHA.forEach((_, t) => XS.forEach((x, i) => expect(Math.abs(y[t * 6 + i]! - TABLE[t]![i]!), `F_${t}(${x})`).toBeLessThan(1e-6)));
    offsets.dispose();
  });

  it('matches the table one task at a time (the inference path)', () => {
    const layer = identityLayer(ALPHA, BETA);
    ALPHA.forEach((_, t) => {
      const y = tf.tidy(() => layerForward(tf.tensor2d(XS, [6, 1]), layer, [{ local: t, count: 6 }], new OffsetCache(0)).dataSync());
      XS.forEach((_, i) => expect(Math.abs(y[i]! - TABLE[t]![i]!)).toBeLessThan(1e-6));
    });
  });

  it('equals the naive N x H x M form on random inputs, including inputs exactly at hinges', () => {
    const rng = new Rng(9);
    const T = 5;
    const M = 16;
    const alpha = Array.from({ length: T }, () => Array.from({ length: M }, () => rng.normal()));
    const beta = Array.from({ length: M }, () => rng.uniform(-2, 2));
    const counts = [7, 1, 12, 3, 9];
    const n = counts.reduce((a, b) => a + b, 0);
    const z = Float32Array.from({ length: n }, (_, i) => (i % 5 === 0 ? beta[i % M]! : rng.normal() * 2));
    const layer = identityLayer(alpha, beta);
    const offsets = new OffsetCache();
    const y = tf.tidy(() =>
      layerForward(tf.tensor2d(z, [n, 1]), layer, counts.map((count, local) => ({ local, count })), offsets).dataSync(),
    );
    let r = 0;
    counts.forEach((c, t) => {
      for (let i = 0; i < c; i++, r++) {
        // float32 hinges and inputs: compare against the naive form evaluated on the same float32 values.
        const ref = naive(Array.from(Float32Array.from(alpha[t]!)), Array.from(Float32Array.from(beta)), z[r]!);
        expect(Math.abs(y[r]! - ref)).toBeLessThan(1e-4 * Math.max(1, Math.abs(ref)));
      }
    });
    offsets.dispose();
  });
});
