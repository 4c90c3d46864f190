/** Inference: sigmoid scores of tasks' classes for a block of rows, batched to bound memory. */
import * as tf from '@tensorflow/tfjs';
import { applyNormalization } from '../data/standardize.js';
import type { TaskTopClasses } from '../domain/top-classes.js';
import { topKIndices } from '../eval/ranking.js';
import { blas } from './blas.js';
import { hostPredict } from './host-step.js';
import { kernelsFor } from './host-kernels.js';
import { isMixture, mixturePredict } from './mixture-step.js';
import { layerForward, OffsetCache } from './layer-pass.js';
import { tv, type Network } from './network.js';

const noOffsets = new OffsetCache(0);

/** x: n x inputDim row-major. Returns n x classes_t scores in [0, 1]. */
export function predictTask(net: Network, raw: Float32Array, n: number, task: number, batchSize = 1024): Float32Array {
  const D = net.config.inputDim;
  const x = net.normalization ? applyNormalization(raw, D, net.normalization) : raw;
  if (net.storage === 'host') return hostPredict(net, x, n, [task])[0]!;
  if (isMixture(net)) return mixturePredict(net, kernelsFor(net.storage), x, n, [task])[0]!;
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

/**
 * Every class's probability, per task, as one n x C_t block (the Open Inference Protocol's score tensors). The same
 * float32 sigmoid of the same logits as predictTopK's kept classes: the addon's sigmoid and topK share one function,
 * and tfjs ranks predictTasks' own scores.
 */
export function predictAllScores(net: Network, raw: Float32Array, n: number, tasks: readonly number[]): TaskTopClasses[] {
  const none = new Int32Array(0);
  return predictTasks(net, raw, n, tasks).map((scores, j) => ({ task: tasks[j]!, indices: none, scores, counts: none }));
}

/**
 * Predict's answer: per task, the min(topK, C) best classes of each row (order of eval/ranking.ts), cut at
 * `threshold` (null = none). On the native path the addon ranks the logits and turns only the kept ones into
 * probabilities (a tenth of the per-row cost of ranking all 3557 YouTube-8M scores in JS, plus every sigmoid).
 */
export function predictTopK(net: Network, raw: Float32Array, n: number, tasks: readonly number[], topK: number, threshold: number | null): TaskTopClasses[] {
  const classes = (t: number): number => net.config.tasks[t]!.labels.length;
  if (net.storage === 'host') {
    const B = blas();
    const D = net.config.inputDim;
    const logits = hostPredict(net, net.normalization ? applyNormalization(raw, D, net.normalization) : raw, n, tasks, false);
    // Every task's answer in one buffer: a Predict worker transfers one buffer to the event loop, not three a task.
    const ks = tasks.map((task) => Math.min(topK, classes(task)));
    const buffer = new ArrayBuffer(4 * n * (2 * ks.reduce((a, k) => a + k, 0) + tasks.length));
    let offset = 0;
    const view = <A>(Kind: new (b: ArrayBuffer, o: number, len: number) => A, len: number): A => {
      const a = new Kind(buffer, offset, len);
      offset += 4 * len;
      return a;
    };
    return tasks.map((task, j) => {
      const k = ks[j]!;
      const out = {
        task,
        indices: view(Int32Array, n * k),
        scores: view(Float32Array, n * k),
        counts: view(Int32Array, n),
      };
      B.topK(logits[j]!, n, classes(task), k, threshold ?? Number.NaN, true, out.indices, out.scores, out.counts);
      return out;
    });
  }
  const all = predictTasks(net, raw, n, tasks);
  return tasks.map((task, j) => {
    const C = classes(task);
    const k = Math.min(topK, C);
    const scores = all[j]!;
    const out = { task, indices: new Int32Array(n * k), scores: new Float32Array(n * k), counts: new Int32Array(n) };
    for (let i = 0; i < n; i++) {
      let c = 0;
      for (const cls of topKIndices(scores, i * C, C, k)) {
        const s = scores[i * C + cls]!;
        if (threshold !== null && s < threshold) break;
        out.indices[i * k + c] = cls;
        out.scores[i * k + c] = s;
        c++;
      }
      out.counts[i] = c;
    }
    return out;
  });
}
