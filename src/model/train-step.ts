/** One optimizer step on one batch: the unit the trainer loops over and the benchmark times. */
import * as tf from '@tensorflow/tfjs';
import type { TaskBatch } from '../domain/batch.js';
import type { Adam } from './adam.js';
import { lossAndGradients, type Gradients, type RegularizerSetting } from './gradients.js';
import type { OffsetCache } from './layer-pass.js';
import type { Network } from './network.js';

/**
 * Data-parallel training: replaces `flat` (every gradient of this replica, flattened in namedParams order) by the
 * average over all replicas, in place, before the optimizer step. Replicas that start from the same parameters
 * and apply the same averaged gradients stay identical.
 */
export type AllReduce = (flat: Float32Array) => void;

/** Returns the step's loss (data + regularizer; with `allReduce`, of this replica's rows). */
export function trainStep(
  net: Network,
  adam: Adam,
  batch: TaskBatch,
  reg: RegularizerSetting,
  offsets: OffsetCache,
  allReduce?: AllReduce,
): number {
  const D = net.config.inputDim;
  let loss = 0;
  tf.tidy(() => {
    const x = tf.tensor2d(batch.x, [batch.x.length / D, D]);
    const y = batch.y.map((yt, t) => tf.tensor2d(yt, [batch.counts[t]!, net.config.tasks[t]!.labels.length]));
    const g = lossAndGradients(net, { x, y, counts: batch.counts }, reg, offsets, net.config.measure === 'RUNNING');
    loss = g.dataLoss.dataSync()[0]! + g.regLoss;
    adam.apply(allReduce ? averaged(net, g, allReduce) : g);
  });
  return loss;
}

/** Must run inside tf.tidy. */
function averaged(net: Network, g: Gradients, allReduce: AllReduce): Gradients {
  const p = net.namedParams();
  const size = p.device.reduce((s, d) => s + d.v.size, 0) + p.host.reduce((s, h) => s + h.a.length, 0);
  const flat = new Float32Array(size);
  let o = 0;
  for (const d of p.device) {
    const t = g.device.get(d.name);
    if (t) flat.set(t.dataSync(), o);
    o += d.v.size;
  }
  for (const h of p.host) {
    const a = g.host.get(h.a);
    if (a) flat.set(a, o);
    o += h.a.length;
  }
  allReduce(flat);
  const device = new Map<string, tf.Tensor>();
  const host = new Map<Float32Array, Float64Array>();
  o = 0;
  for (const d of p.device) {
    device.set(d.name, tf.tensor(flat.subarray(o, o + d.v.size), d.v.shape));
    o += d.v.size;
  }
  for (const h of p.host) {
    host.set(h.a, Float64Array.from(flat.subarray(o, o + h.a.length)));
    o += h.a.length;
  }
  return { ...g, device, host };
}
