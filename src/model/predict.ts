/** Inference: sigmoid scores of one task's classes for a block of rows, batched to bound memory. */
import * as tf from '@tensorflow/tfjs';
import { applyNormalization } from '../data/standardize.js';
import { layerForward, OffsetCache } from './layer-pass.js';
import type { Network } from './network.js';

const noOffsets = new OffsetCache(0);

/** x: n x inputDim row-major. Returns n x classes_t scores in [0, 1]. */
export function predictTask(net: Network, raw: Float32Array, n: number, task: number, batchSize = 1024): Float32Array {
  const D = net.config.inputDim;
  const x = net.normalization ? applyNormalization(raw, D, net.normalization) : raw;
  const C = net.config.tasks[task]!.labels.length;
  const tower = net.towerOf(task);
  const local = tower.tasks.indexOf(task);
  const out = new Float32Array(n * C);
  for (let start = 0; start < n; start += batchSize) {
    const m = Math.min(batchSize, n - start);
    const scores = tf.tidy(() => {
      let h = tf.tensor2d(x.subarray(start * D, (start + m) * D), [m, D]);
      for (const layer of tower.layers) h = layerForward(h, layer, [{ local, count: m }], noOffsets);
      const head = net.heads[task]!;
      return tf.sigmoid(tf.add(tf.matMul(h, head.V as tf.Tensor2D), head.c));
    });
    out.set(scores.dataSync(), start * C);
    scores.dispose();
  }
  return out;
}
