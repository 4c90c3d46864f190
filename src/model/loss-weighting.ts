/**
 * How the per-task losses of a step become one loss (docs/baselines.md). EQUAL: the mean over the step's tasks of
 * L_t (method.md). UNCERTAINTY (Kendall, Gal and Cipolla, CVPR 2018, in the form without the 0.5 factors): the mean
 * over the step's tasks of L_t exp(-s_t) + s_t, with s_t the learned log-variance of task t (net.logVariance). Every
 * compute path scales a task's output gradient by weight(t) and lets this class sum the loss and the gradient of s.
 */
import type { Network } from './network.js';

export class TaskLossWeights {
  private loss = 0;
  private readonly dS: Float64Array | null;

  /** `active` = tasks with rows in this step (the mean's denominator). */
  constructor(
    private readonly net: Network,
    private readonly active: number,
  ) {
    this.dS = net.logVariance ? new Float64Array(net.logVariance.length) : null;
  }

  /** exp(-s_t) under UNCERTAINTY, 1 under EQUAL. */
  weight(t: number): number {
    const s = this.net.logVariance;
    return s ? Math.exp(-(s[t] as number)) : 1;
  }

  /** Records task t's unweighted loss L_t. */
  add(t: number, taskLoss: number): void {
    const s = this.net.logVariance;
    if (!s || !this.dS) {
      this.loss += taskLoss / this.active;
      return;
    }
    const w = this.weight(t);
    this.loss += (w * taskLoss + (s[t] as number)) / this.active;
    this.dS[t] = (1 - w * taskLoss) / this.active;
  }

  /** The step's data loss. */
  total(): number {
    return this.loss;
  }

  /** Adds the gradient of the log-variances to `host` (UNCERTAINTY only). */
  addGradient(host: Map<Float32Array, Float32Array | Float64Array>): void {
    if (this.net.logVariance && this.dS) host.set(this.net.logVariance, this.dS);
  }
}
