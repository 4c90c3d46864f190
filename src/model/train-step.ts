/** One optimizer step on one batch: the unit the trainer loops over and the benchmark times. */
import * as tf from '@tensorflow/tfjs';
import type { TaskBatch } from '../domain/batch.js';
import type { Adam } from './adam.js';
import { lossAndGradients, type RegularizerSetting } from './gradients.js';
import type { OffsetCache } from './layer-pass.js';
import type { Network } from './network.js';

/** Returns the step's loss (data + regularizer). */
export function trainStep(net: Network, adam: Adam, batch: TaskBatch, reg: RegularizerSetting, offsets: OffsetCache): number {
  const D = net.config.inputDim;
  let loss = 0;
  tf.tidy(() => {
    const x = tf.tensor2d(batch.x, [batch.x.length / D, D]);
    const y = batch.y.map((yt, t) => tf.tensor2d(yt, [batch.counts[t]!, net.config.tasks[t]!.labels.length]));
    const g = lossAndGradients(net, { x, y, counts: batch.counts }, reg, offsets, net.config.measure === 'RUNNING');
    loss = g.dataLoss.dataSync()[0]! + g.regLoss;
    adam.apply(g);
  });
  return loss;
}
