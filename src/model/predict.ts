/** Inference: sigmoid scores of tasks' classes for a block of rows, batched to bound memory. */
import * as tf from '@tensorflow/tfjs';
import { applyNormalization } from '../data/standardize.js';
import { hostPredict } from './host-step.js';
import { layerForward, OffsetCache } from './layer-pass.js';
import { tv, type Network } from './network.js';

const noOffsets = new OffsetCache(0);

/** x: n x inputDim row-major. Returns n x classes_t scores in [0, 1]. */
export function predictTask(net: Network, raw: Float32Array, n: number, task: number, batchSize = 1024): Float32Array {
  const D = net.config.inputDim;
  const x = net.normalization ? applyNormalization(raw, D, net.normalization) : raw;
  if (net.storage === 'host') return hostPredict(net, x, n, [task])[0]!;
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
      return tf.sigmoid(tf.add(tf.matMul(h, tv(head.V) as tf.Tensor2D), tv(head.c)));
    });
    out.set(scores.dataSync(), start * C);
    scores.dispose();
  }
  return out;
}

/**
 * Scores of several tasks for the same rows (one n x C_t array per task, in order). On the native path one
 * forward pass serves them all (hostPredict: layer 1 once, the later layers as one product over the tasks' stacked
 * rows); on tfjs, task by task.
 */
export function predictTasks(net: Network, raw: Float32Array, n: number, tasks: readonly number[]): Float32Array[] {
  if (net.storage !== 'host') return tasks.map((t) => predictTask(net, raw, n, t));
  const D = net.config.inputDim;
  return hostPredict(net, net.normalization ? applyNormalization(raw, D, net.normalization) : raw, n, tasks);
}
