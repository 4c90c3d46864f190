/**
 * The Open Inference Protocol's score tensors (predictAllScores: every class's probability) hold, at Predict's kept
 * classes, exactly Predict's probabilities (predictTopK): the same float32 bits, on the native path (the addon's
 * sigmoid against its topK) and on tfjs. OIP ModelInfer and Predict of the same rows must agree bit for bit.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { blas } from '../../src/model/blas.js';
import { Network } from '../../src/model/network.js';
import { predictAllScores, predictTopK } from '../../src/model/predict.js';
import { train } from '../../src/training/trainer.js';
import { requireNative, useBackend } from '../helpers/backend.js';
import { tinyConfig, tinyData, tinyOptions } from '../helpers/tiny-run.js';

requireNative();

/** Every kept class's top-k score is the all-scores value of that class, bit for bit. */
function expectSameBits(all: Float32Array, C: number, top: { indices: Int32Array; scores: Float32Array; counts: Int32Array }, n: number): number {
  const k = top.indices.length / n;
  let checked = 0;
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < top.counts[i]!; c++) {
      const cls = top.indices[i * k + c]!;
      const want = new Uint32Array(Float32Array.of(all[i * C + cls]!).buffer)[0];
      const got = new Uint32Array(Float32Array.of(top.scores[i * k + c]!).buffer)[0];
      if (got !== want) expect.fail(`row ${i} class ${cls}: top-k ${top.scores[i * k + c]} vs all-scores ${all[i * C + cls]}`);
      checked++;
    }
  }
  return checked;
}

describe('all scores against top-k', () => {
  beforeAll(() => useBackend('native'));

  it("the addon's sigmoid and topK give the same float32 for every logit, extremes included", () => {
    const C = 257;
    const rows = 9;
    const logits = Float32Array.from({ length: rows * C }, (_, i) => Math.sin(i * 12.9898) * (i % 7 === 0 ? 120 : 9) + (i % 11 === 0 ? -1e-7 : 0));
    logits.set([0, -0, 88.7, -88.7, 103.9, -103.9, 1e-30, -1e-30, 16.6355, -16.6355], 0);
    const all = logits.slice();
    blas().sigmoid(all);
    const top = { indices: new Int32Array(rows * C), scores: new Float32Array(rows * C), counts: new Int32Array(rows) };
    blas().topK(logits, rows, C, C, Number.NaN, true, top.indices, top.scores, top.counts);
    expect(expectSameBits(all, C, top, rows)).toBe(rows * C);
  });

  it('a trained network: Predict top-k probabilities equal the all-scores tensors on both compute paths', async () => {
    const config = tinyConfig('TAAN');
    const ds = tinyData();
    const trained = await train(config, ds, { ...tinyOptions, maxEpochs: 1 }, { storage: 'host' });
    const arrays = trained.net.getArrays();
    const stats = trained.net.getStats();
    const n = 23;
    const x = ds.test.x.subarray(0, n * ds.inputDim);
    const tasks = config.tasks.map((_, t) => t).reverse();
    for (const storage of ['host', 'tfjs'] as const) {
      const net = Network.fromArrays(config, arrays, stats, storage);
      const all = predictAllScores(net, x, n, tasks);
      expect(all.map((r) => r.task)).toEqual(tasks);
      for (const [topK, threshold] of [[1000, null], [3, null], [5, 0.4]] as const) {
        const top = predictTopK(net, x, n, tasks, topK, threshold);
        tasks.forEach((t, j) => {
          const C = config.tasks[t]!.labels.length;
          expect(all[j]!.scores.length).toBe(n * C);
          expect(expectSameBits(all[j]!.scores, C, top[j]!, n), `${storage} task ${t} top ${topK}`).toBeGreaterThan(0);
        });
      }
      net.dispose();
    }
  });
});
