/**
 * Adam with L2 weight decay added to the gradient, exactly as torch.optim.Adam(weight_decay=...) does (the authors'
 * optimizer), for both the tfjs variables and the host-side activation parameters. Our own rather than
 * tf.train.adam so that its state can be checkpointed and restored bit for bit.
 */
import * as tf from '@tensorflow/tfjs';
import type { Gradients } from './gradients.js';
import type { Network } from './network.js';

export interface AdamOptions {
  learningRate: number;
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export interface AdamState {
  step: number;
  /** `adam.m.<param>` and `adam.v.<param>`; host moments stay float64 so a resume is exact. */
  arrays: Map<string, Float32Array | Float64Array>;
}

export class Adam {
  step = 0;
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();
  private readonly hm = new Map<string, Float64Array>();
  private readonly hv = new Map<string, Float64Array>();
  private readonly b1: number;
  private readonly b2: number;
  private readonly eps: number;

  constructor(
    private readonly net: Network,
    private readonly opts: AdamOptions,
  ) {
    this.b1 = opts.beta1 ?? 0.9;
    this.b2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    const p = net.namedParams();
    for (const d of p.device) {
      this.m.set(d.name, tf.tidy(() => tf.variable(tf.zerosLike(d.v), false)));
      this.v.set(d.name, tf.tidy(() => tf.variable(tf.zerosLike(d.v), false)));
    }
    for (const h of p.host) {
      this.hm.set(h.name, new Float64Array(h.a.length));
      this.hv.set(h.name, new Float64Array(h.a.length));
    }
  }

  /** One update. Must run inside tf.tidy. */
  apply(g: Gradients): void {
    this.step++;
    const { learningRate: lr, weightDecay: wd } = this.opts;
    const bc1 = 1 - this.b1 ** this.step;
    const bc2 = Math.sqrt(1 - this.b2 ** this.step);
    const p = this.net.namedParams();
    for (const d of p.device) {
      let grad = g.device.get(d.name);
      if (!grad) continue;
      if (wd > 0) grad = tf.add(grad, tf.mul(d.v, wd));
      const m = this.m.get(d.name)!;
      const v = this.v.get(d.name)!;
      m.assign(tf.add(tf.mul(m, this.b1), tf.mul(grad, 1 - this.b1)));
      v.assign(tf.add(tf.mul(v, this.b2), tf.mul(tf.square(grad), 1 - this.b2)));
      const denom = tf.add(tf.div(tf.sqrt(v), bc2), this.eps);
      d.v.assign(tf.sub(d.v, tf.mul(tf.div(m, denom), lr / bc1)));
    }
    for (const h of p.host) {
      const grad = g.host.get(h.a);
      if (!grad) continue;
      const m = this.hm.get(h.name)!;
      const v = this.hv.get(h.name)!;
      for (let i = 0; i < h.a.length; i++) {
        const gi = (grad[i] as number) + wd * (h.a[i] as number);
        const mi = this.b1 * (m[i] as number) + (1 - this.b1) * gi;
        const vi = this.b2 * (v[i] as number) + (1 - this.b2) * gi * gi;
        m[i] = mi;
        v[i] = vi;
        h.a[i] = (h.a[i] as number) - (lr / bc1) * (mi / (Math.sqrt(vi) / bc2 + this.eps));
      }
    }
  }

  /** Moments by parameter name (m and v) plus the step, for checkpoints. */
  getState(): AdamState {
    const arrays = new Map<string, Float32Array | Float64Array>();
    for (const [k, t] of this.m) arrays.set(`adam.m.${k}`, t.dataSync().slice() as Float32Array);
    for (const [k, t] of this.v) arrays.set(`adam.v.${k}`, t.dataSync().slice() as Float32Array);
    for (const [k, a] of this.hm) arrays.set(`adam.m.${k}`, a.slice());
    for (const [k, a] of this.hv) arrays.set(`adam.v.${k}`, a.slice());
    return { step: this.step, arrays };
  }

  setState(state: AdamState): void {
    this.step = state.step;
    const need = (k: string): Float32Array | Float64Array => {
      const a = state.arrays.get(k);
      if (!a) throw new Error(`optimizer state ${k} missing`);
      return a;
    };
    for (const [k, t] of this.m) tf.tidy(() => t.assign(tf.tensor(need(`adam.m.${k}`), t.shape)));
    for (const [k, t] of this.v) tf.tidy(() => t.assign(tf.tensor(need(`adam.v.${k}`), t.shape)));
    for (const [k, a] of this.hm) a.set(need(`adam.m.${k}`));
    for (const [k, a] of this.hv) a.set(need(`adam.v.${k}`));
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
  }
}
