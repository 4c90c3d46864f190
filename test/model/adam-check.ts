/**
 * Our Adam (host loop, weights rewritten in backend memory) against torch.optim.Adam's update written out in
 * float64, and the weights the next matMul sees after a step. Run once per backend by adam.<backend>.test.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { Adam, type AdamGradients } from '../../src/model/adam.js';
import { Network, tv } from '../../src/model/network.js';
import { Rng } from '../../src/util/rng.js';

const CONFIG = {
  architecture: 'TAAN' as const,
  inputDim: 5,
  hiddenSizes: [6, 4],
  numBasis: 3,
  tasks: [2, 3].map((c, t) => ({ name: `t${t}`, labels: Array.from({ length: c }, (_, i) => `c${i}`) })),
  measure: 'STANDARD' as const,
};
const OPTS = { learningRate: 0.01, weightDecay: 0.05, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

/** torch.optim.Adam with weight_decay, in float64, over `steps` gradient arrays. */
function reference(w0: Float32Array, grads: Float64Array[]): Float64Array {
  const w = Float64Array.from(w0);
  const m = new Float64Array(w.length);
  const v = new Float64Array(w.length);
  grads.forEach((g, k) => {
    const step = k + 1;
    for (let i = 0; i < w.length; i++) {
      const gi = g[i]! + OPTS.weightDecay * w[i]!;
      m[i] = OPTS.beta1 * m[i]! + (1 - OPTS.beta1) * gi;
      v[i] = OPTS.beta2 * v[i]! + (1 - OPTS.beta2) * gi * gi;
      const denom = Math.sqrt(v[i]!) / Math.sqrt(1 - OPTS.beta2 ** step) + OPTS.eps;
      w[i] = w[i]! - (OPTS.learningRate / (1 - OPTS.beta1 ** step)) * (m[i]! / denom);
    }
  });
  return w;
}

function randomGradients(net: Network, rng: Rng): { adam: AdamGradients; byName: Map<string, Float64Array> } {
  const p = net.namedParams();
  const byName = new Map<string, Float64Array>();
  const device = new Map<string, Float32Array>();
  const host = new Map<Float32Array, Float32Array | Float64Array>();
  for (const d of p.device) {
    const g = Float32Array.from({ length: d.v.size }, () => rng.normal());
    device.set(d.name, g);
    byName.set(d.name, Float64Array.from(g));
  }
  for (const h of p.host) {
    // Dense parameters on host storage (native path) get float32 gradients, as the host step gives them.
    const g = h.dense ? Float32Array.from({ length: h.a.length }, () => rng.normal()) : Float64Array.from({ length: h.a.length }, () => rng.normal());
    host.set(h.a, g);
    byName.set(h.name, Float64Array.from(g));
  }
  return { adam: { device, host }, byName };
}

export function describeAdamChecks(backend: string): void {
  describe(`Adam (${backend})`, () => {
    it('matches torch.optim.Adam with weight decay over three steps, for tfjs and host parameters', () => {
      const net = Network.create(CONFIG, 1);
      const before = net.getArrays();
      const adam = new Adam(net, OPTS);
      const rng = new Rng(7);
      const steps = [0, 1, 2].map(() => randomGradients(net, rng));
      for (const s of steps) adam.apply(s.adam);
      const after = net.getArrays();
      for (const [name, w0] of before) {
        const want = reference(w0, steps.map((s) => s.byName.get(name)!));
        const got = after.get(name)!;
        for (let i = 0; i < want.length; i++) expect(Math.abs(got[i]! - want[i]!), `${name}[${i}]`).toBeLessThan(1e-6);
      }
      expect(adam.step).toBe(3);
      net.dispose();
    });

    // tfjs backends only: the native path keeps no tfjs copy of the weights that could go stale.
    if (backend !== 'native') {
      it('a matMul after a step multiplies by the new weights (no stale cached copy of the old ones)', () => {
        const net = Network.create(CONFIG, 2);
        const W = tv(net.towers[0]!.layers[0]!.W);
        const x = tf.tensor2d(Float32Array.from({ length: 3 * CONFIG.inputDim }, (_, i) => (i % 7) - 3), [3, CONFIG.inputDim]);
        tf.matMul(x, W).dispose(); // lets the backend cache whatever it keeps per weight tensor
        const adam = new Adam(net, OPTS);
        adam.apply(randomGradients(net, new Rng(3)).adam);
        const got = tf.matMul(x, W).arraySync() as number[][];
        const w = W.arraySync() as number[][];
        const xs = x.arraySync();
        got.forEach((row, r) =>
          row.forEach((value, c) => {
            const want = xs[r]!.reduce((s, xi, k) => s + xi * w[k]![c]!, 0);
            expect(Math.abs(value - want)).toBeLessThan(1e-5);
          }),
        );
        x.dispose();
        net.dispose();
      });
    }

    it('state round-trips through getState/setState and a resumed optimizer takes the same next step', () => {
      const rng = new Rng(11);
      const a = Network.create(CONFIG, 3);
      const b = Network.create(CONFIG, 3);
      const adamA = new Adam(a, OPTS);
      const g1 = randomGradients(a, rng);
      adamA.apply(g1.adam);
      b.setArrays(a.getArrays());
      const adamB = new Adam(b, OPTS);
      adamB.setState(adamA.getState());
      const g2 = randomGradients(a, rng);
      adamA.apply(g2.adam);
      const pb = b.namedParams();
      const hostB = new Map([...g2.adam.host.values()].map((g, i) => [pb.host[i]!.a, g]));
      adamB.apply({ device: g2.adam.device, host: hostB });
      const wa = a.getArrays();
      for (const [name, w] of b.getArrays()) expect(Array.from(w), name).toEqual(Array.from(wa.get(name)!));
      a.dispose();
      b.dispose();
    });
  });
}
