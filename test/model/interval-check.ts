/**
 * The two ways of finding a value's interval among the sorted hinges (searchSorted, and the compare-and-count form
 * used on the TensorFlow backend, which has no SearchSorted kernel) give the same layer outputs and the same
 * gradients, equal to the naive N x H x M form. Run per backend by intervals.<backend>.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { layerBackward, layerForward, OffsetCache, type LayerTape } from '../../src/model/layer-pass.js';
import { tfDense, tv, type Layer } from '../../src/model/network.js';
import { Rng } from '../../src/util/rng.js';

export function describeIntervalMethods(backend: string): void {
  describe(`interval methods on ${backend}`, () => {
    it('searchSorted and compare agree with each other and with the naive form, forward and backward', () => {
      const rng = new Rng(21);
      const T = 3;
      const M = 12;
      const H = 5;
      const D = 4;
      const counts = [6, 4, 7];
      const n = counts.reduce((a, b) => a + b, 0);
      const beta = Float32Array.from({ length: M }, () => rng.uniform(-1.5, 1.5));
      const alpha = Float32Array.from({ length: T * M }, () => rng.normal());
      const W = Float32Array.from({ length: D * H }, () => rng.normal());
      const x = Float32Array.from({ length: n * D }, () => rng.normal());
      // Put some pre-activations exactly on hinges: with W's first column and x's first feature chosen so.
      for (let i = 0; i < n; i += 3) {
        for (let d = 0; d < D; d++) x[i * D + d] = d === 0 ? beta[i % M]! : 0;
      }
      for (let h = 0; h < H; h++) W[h] = 1;
      const layer: Layer = {
        W: tfDense(tf.variable(tf.tensor2d(W, [D, H]))),
        b: tfDense(tf.variable(tf.zeros([H]))),
        act: { alpha, beta, mu: 0, sigma: 1, statSteps: 0 },
      };
      const segments = counts.map((count, local) => ({ local, count }));
      const run = (intervals: 'searchSorted' | 'compare'): { y: Float32Array; dW: Float32Array; dAlpha: Float64Array; dBeta: Float64Array } => {
        const offsets = new OffsetCache();
        let out: { y: Float32Array; dW: Float32Array; dAlpha: Float64Array; dBeta: Float64Array } | undefined;
        // Typed arrays leave tidy through a variable, not as its return value (tidy would walk them).
        tf.tidy(() => {
          const tape: LayerTape[] = [];
          const y = layerForward(tf.tensor2d(x, [n, D]), layer, segments, offsets, { tape, intervals });
          const g = layerBackward(tf.onesLike(y) as tf.Tensor2D, layer, tape[0]!, false);
          out = { y: y.dataSync() as Float32Array, dW: g.dW.dataSync() as Float32Array, dAlpha: g.dAlpha!, dBeta: g.dBeta! };
        });
        offsets.dispose();
        return out!;
      };
      const a = run('searchSorted');
      const b = run('compare');
      expect(b.y).toEqual(a.y);
      expect(b.dW).toEqual(a.dW);
      expect(b.dAlpha).toEqual(a.dAlpha);
      expect(b.dBeta).toEqual(a.dBeta);
      // Against the naive form on the same float32 pre-activations.
      let r = 0;
      counts.forEach((c, t) => {
        for (let i = 0; i < c; i++, r++) {
          for (let h = 0; h < H; h++) {
            let z = 0;
            for (let d = 0; d < D; d++) z = Math.fround(z + x[r * D + d]! * W[d * H + h]!);
            let f = Math.max(0, z);
            for (let m = 0; m < M; m++) f += alpha[t * M + m]! * Math.max(0, beta[m]! - z);
            expect(Math.abs(a.y[r * H + h]! - f)).toBeLessThan(1e-4 * Math.max(1, Math.abs(f)));
          }
        }
      });
      tv(layer.W).dispose();
      tv(layer.b).dispose();
    });
  });
}
