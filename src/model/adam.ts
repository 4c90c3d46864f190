/**
 * Adam with L2 weight decay added to the gradient, exactly as torch.optim.Adam(weight_decay=...) does (the authors'
 * optimizer), for both the tfjs variables and the host-side activation parameters. Our own rather than
 * tf.train.adam so that its state can be checkpointed and restored bit for bit.
 *
 * The update is one loop per parameter, with the moments kept on the host and, on wasm, the weights read from and
 * written to the module's heap (host-copy.ts): the same update as tensor ops is ~13 kernel launches and passes over
 * every parameter (~39 ms a step at the paper configuration), the loop one pass (~20 ms). Dense parameters on host
 * storage (the native BLAS path) are updated in place by the addon's copy of the same loop (same double-precision
 * arithmetic, so the same float32 results), ~4x faster than the JavaScript loop.
 */
import { loadBlas } from './blas.js';
import { replaceValues } from './host-copy.js';
import type { Network } from './network.js';

export interface AdamOptions {
  learningRate: number;
  weightDecay: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

type Floats = Float32Array | Float64Array;

export interface AdamState {
  step: number;
  /** `adam.m.<param>` and `adam.v.<param>`: float32 for tfjs variables, float64 for host parameters. */
  arrays: Map<string, Floats>;
}

/** Gradients of one step for Adam: tfjs variables' by name, host parameters' by their array. */
export interface AdamGradients {
  device: Map<string, Float32Array>;
  host: Map<Float32Array, Floats>;
}

export class Adam {
  step = 0;
  private readonly m = new Map<string, Floats>();
  private readonly v = new Map<string, Floats>();
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
      this.m.set(d.name, new Float32Array(d.v.size));
      this.v.set(d.name, new Float32Array(d.v.size));
    }
    for (const h of p.host) {
      // Activation moments stay float64 so a resume of the host parameters is exact; dense ones are float32 on
      // both storages, so checkpoints move between the tfjs and the native path.
      this.m.set(h.name, h.dense ? new Float32Array(h.a.length) : new Float64Array(h.a.length));
      this.v.set(h.name, h.dense ? new Float32Array(h.a.length) : new Float64Array(h.a.length));
    }
  }

  /** One update; parameters without a gradient are left alone (and their moments too). */
  apply(g: AdamGradients): void {
    this.step++;
    const p = this.net.namedParams();
    for (const d of p.device) {
      const grad = g.device.get(d.name);
      if (!grad) continue;
      const m = this.m.get(d.name)!;
      const v = this.v.get(d.name)!;
      replaceValues(d.v, (w, out) => this.update(w, out, grad, m, v));
    }
    const native = loadBlas();
    for (const h of p.host) {
      const grad = g.host.get(h.a);
      if (!grad) continue;
      const m = this.m.get(h.name)!;
      const v = this.v.get(h.name)!;
      if (native && grad instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array) {
        const { b1, b2, eps } = this;
        const bc2 = Math.sqrt(1 - b2 ** this.step);
        const stepSize = this.opts.learningRate / (1 - b1 ** this.step);
        native.adam(h.a, grad, m, v, this.opts.weightDecay, b1, b2, eps, stepSize, bc2);
      } else {
        this.update(h.a, h.a, grad, m, v);
      }
    }
  }

  /** Reads the weights from `w` and writes the updated ones to `out` (which may be `w` itself). */
  private update(w: Float32Array, out: Float32Array, grad: Floats, m: Floats, v: Floats): void {
    const { b1, b2, eps } = this;
    const wd = this.opts.weightDecay;
    const bc2 = Math.sqrt(1 - b2 ** this.step);
    const stepSize = this.opts.learningRate / (1 - b1 ** this.step);
    for (let i = 0; i < w.length; i++) {
      const wi = w[i]!;
      const gi = grad[i]! + wd * wi;
      const mi = b1 * m[i]! + (1 - b1) * gi;
      const vi = b2 * v[i]! + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      out[i] = wi - stepSize * (mi / (Math.sqrt(vi) / bc2 + eps));
    }
  }

  /** Moments by parameter name (m and v) plus the step, for checkpoints. */
  getState(): AdamState {
    const arrays = new Map<string, Floats>();
    for (const [k, a] of this.m) arrays.set(`adam.m.${k}`, a.slice());
    for (const [k, a] of this.v) arrays.set(`adam.v.${k}`, a.slice());
    return { step: this.step, arrays };
  }

  setState(state: AdamState): void {
    const load = (prefix: string, own: Map<string, Floats>): void => {
      for (const [k, a] of own) {
        const src = state.arrays.get(`${prefix}${k}`);
        if (!src || src.length !== a.length) throw new Error(`optimizer state ${prefix}${k} missing or of the wrong size`);
        a.set(src);
      }
    };
    load('adam.m.', this.m);
    load('adam.v.', this.v);
    this.step = state.step;
  }

  /** Nothing to free: the state lives on the host. Kept so callers need not know. */
  dispose(): void {}
}
