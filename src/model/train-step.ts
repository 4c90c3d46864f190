/**
 * One optimizer step on one batch: the unit the trainer loops over and the benchmark times; and the two halves of a
 * data-parallel step (src/training/data-parallel.ts), between which the replicas exchange their gradients.
 */
import * as tf from '@tensorflow/tfjs';
import type { TaskBatch } from '../domain/batch.js';
import type { Adam } from './adam.js';
import { addRegularizer, lossAndGradients, type RegularizerSetting } from './gradients.js';
import { readInto } from './host-copy.js';
import { hostLossAndGradients } from './host-step.js';
import { STAT_MOMENTUM, type OffsetCache } from './layer-pass.js';
import type { LayerStats } from './model-metadata.js';
import type { Network } from './network.js';

/** Returns the step's loss (data + regularizer). Runs on the network's storage: tfjs kernels or the host step. */
export function trainStep(net: Network, adam: Adam, batch: TaskBatch, reg: RegularizerSetting, offsets: OffsetCache): number {
  if (net.storage === 'host') {
    const g = hostLossAndGradients(net, batch, reg, net.config.measure === 'RUNNING');
    adam.apply({ device: new Map(), host: g.grads });
    return g.dataLoss + g.regLoss;
  }
  let loss = 0;
  tf.tidy(() => {
    const g = lossAndGradients(net, stepData(net, batch), reg, offsets, net.config.measure === 'RUNNING');
    loss = g.dataLoss.dataSync()[0]! + g.regLoss;
    const device = new Map<string, Float32Array>();
    for (const [name, t] of g.device) device.set(name, t.dataSync() as Float32Array);
    adam.apply({ device, host: g.host });
  });
  return loss;
}

/*
 * Data-parallel step. Every replica holds the same parameters and optimizer state and takes an equal share of
 * every task's rows. `localGradients` writes the replica's gradients (every parameter flattened in namedParams
 * order, float32) and its extras (float64: the data loss, then per TAAN layer the mean and mean square of z when
 * the measure is RUNNING) into buffers; the replicas average those buffers element by element in the same order
 * (so the averages are bit-identical everywhere), and `applyAveraged` finishes the step from the averages. With
 * equal shares, the average of the shard gradients is the full-batch gradient and the average of the shard
 * losses the full-batch loss, up to float32 rounding. The regularizer depends only on the parameters (and the
 * running statistics), which are identical on every replica, so it is added once, after the exchange.
 */

/** Floats of one replica's gradient buffer. */
export function exchangeGradientSize(net: Network): number {
  return net.paramCount();
}

/** Float64 values of one replica's extras buffer. */
export function exchangeExtrasSize(net: Network): number {
  return 1 + (net.config.measure === 'RUNNING' ? 2 * net.getStats().length : 0);
}

/** What `applyAveraged` needs to know about this replica's half step. */
export interface LocalStep {
  /** Per parameter (namedParams order, device then host): whether this batch gave it a gradient. */
  present: boolean[];
  /** Running statistics before the step (RUNNING measure), and which layers the forward pass fed. */
  prevStats: LayerStats[] | null;
  fed: boolean[];
}

/** First half: this replica's gradients and extras (see above), no regularizer, parameters untouched. */
export function localGradients(
  net: Network,
  batch: TaskBatch,
  offsets: OffsetCache,
  grads: Float32Array,
  extras: Float64Array,
): LocalStep {
  const running = net.config.measure === 'RUNNING';
  const prevStats = running ? net.getStats() : null;
  // With statSteps = 0 the forward pass stores the raw moments of this shard's z instead of updating the average.
  if (prevStats) net.setStats(prevStats.map((s) => ({ ...s, statSteps: 0 })));
  const present: boolean[] = [];
  if (net.storage === 'host') {
    // Dense gradients are written straight into this replica's exchange slot.
    const p = net.namedParams();
    const slots = new Map<Float32Array, Float32Array>();
    let o = exchangeDeviceSize(p);
    for (const h of p.host) {
      if (h.dense) slots.set(h.a, grads.subarray(o, o + h.a.length));
      o += h.a.length;
    }
    const g = hostLossAndGradients(net, batch, { kind: 'NONE', coefficient: 0 }, running, slots);
    extras[0] = g.dataLoss;
    o = 0;
    for (const h of p.host) {
      const a = g.grads.get(h.a);
      if (!a) grads.fill(0, o, o + h.a.length);
      else if (a !== slots.get(h.a)) grads.set(a, o);
      present.push(a !== undefined);
      o += h.a.length;
    }
  } else tf.tidy(() => {
    const g = lossAndGradients(net, stepData(net, batch), { kind: 'NONE', coefficient: 0 }, offsets, running);
    extras[0] = g.dataLoss.dataSync()[0]!;
    const p = net.namedParams();
    let o = 0;
    for (const d of p.device) {
      const t = g.device.get(d.name);
      if (t) readInto(t, grads, o);
      else grads.fill(0, o, o + d.v.size);
      present.push(t !== undefined);
      o += d.v.size;
    }
    for (const h of p.host) {
      const a = g.host.get(h.a);
      if (a) grads.set(a, o);
      else grads.fill(0, o, o + h.a.length);
      present.push(a !== undefined);
      o += h.a.length;
    }
  });
  const fed: boolean[] = [];
  if (prevStats) {
    net.getStats().forEach((raw, i) => {
      fed.push(raw.statSteps > 0);
      extras[1 + 2 * i] = raw.mu;
      extras[2 + 2 * i] = raw.sigma * raw.sigma + raw.mu * raw.mu;
    });
    net.setStats(prevStats);
  }
  return { present, prevStats, fed };
}

/**
 * Second half, from the replicas' averaged gradients and extras: updates the running statistics from the whole
 * batch's moments, adds the regularizer, takes the Adam step. Returns the full batch's loss (data + regularizer).
 */
export function applyAveraged(
  net: Network,
  adam: Adam,
  grads: Float32Array,
  extras: Float64Array,
  local: LocalStep,
  reg: RegularizerSetting,
): number {
  if (local.prevStats) {
    net.setStats(
      local.prevStats.map((prev, i) => {
        if (!local.fed[i]) return prev;
        const m = extras[1 + 2 * i]!;
        // Population variance of the whole batch from the shards' moments (equal shares).
        const s = Math.sqrt(Math.max(extras[2 + 2 * i]! - m * m, 1e-12));
        if (prev.statSteps === 0) return { mu: m, sigma: s, statSteps: 1 };
        return {
          mu: STAT_MOMENTUM * prev.mu + (1 - STAT_MOMENTUM) * m,
          sigma: STAT_MOMENTUM * prev.sigma + (1 - STAT_MOMENTUM) * s,
          statSteps: prev.statSteps + 1,
        };
      }),
    );
  }
  const p = net.namedParams();
  const device = new Map<string, Float32Array>();
  const host = new Map<Float32Array, Float32Array | Float64Array>();
  let o = 0;
  let k = 0;
  for (const d of p.device) {
    if (local.present[k++]) device.set(d.name, grads.subarray(o, o + d.v.size));
    o += d.v.size;
  }
  for (const h of p.host) {
    // Dense gradients are used where they lie; the activation parameters' (few) go back to float64.
    if (local.present[k++]) host.set(h.a, h.dense ? grads.subarray(o, o + h.a.length) : Float64Array.from(grads.subarray(o, o + h.a.length)));
    o += h.a.length;
  }
  const regLoss = addRegularizer(net, reg, host);
  adam.apply({ device, host });
  return extras[0]! + regLoss;
}

/** Floats of the tfjs variables' part of the exchange buffer (it comes first). */
function exchangeDeviceSize(p: ReturnType<Network['namedParams']>): number {
  return p.device.reduce((s, d) => s + d.v.size, 0);
}

/** Must run inside tf.tidy. */
function stepData(net: Network, batch: TaskBatch): { x: tf.Tensor2D; y: tf.Tensor2D[]; counts: number[] } {
  const D = net.config.inputDim;
  const x = tf.tensor2d(batch.x, [batch.x.length / D, D]);
  const y = batch.y.map((yt, t) => tf.tensor2d(yt, [batch.counts[t]!, net.config.tasks[t]!.labels.length]));
  return { x, y, counts: batch.counts };
}
