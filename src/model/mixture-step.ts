/**
 * SOFT_ORDER and MMOE (docs/baselines.md): forward pass, loss and hand-written gradients on host arrays, with every
 * dense product an sgemm of `K` (host-kernels.ts: OpenBLAS on the native path, tfjs's matMul on cpu and wasm). Rows
 * come grouped by task in task order, as in every step (one mini-batch from every task).
 */
import type { TaskBatch } from '../domain/batch.js';
import type { HostKernels } from './host-kernels.js';
import { TaskLossWeights } from './loss-weighting.js';
import { valuesOf, type Dense, type Head, type Layer, type MmoeParams, type Network, type SoftOrderParams } from './network.js';

/** Rows [start, start + n) of the stacked input belong to task t. */
interface Seg {
  t: number;
  start: number;
  n: number;
}

/** Where gradients go: dense parameters' (written, never accumulated into) and the small host parameters'. */
export interface GradSink {
  dense(d: Dense): Float32Array;
  host: Map<Float32Array, Float32Array | Float64Array>;
}

/** What the backward pass needs of the forward pass. */
interface Tape {
  /** The representation under the heads, R x width. */
  h: Float32Array;
  width: number;
  backward(dh: Float32Array, sink: GradSink): void;
}

export function isMixture(net: Network): boolean {
  return net.mixture.softOrder !== undefined || net.mixture.mmoe !== undefined;
}

/** Data loss (mean over tasks, weighted per net.logVariance) and every gradient, into `sink`. */
export function mixtureLossAndGradients(net: Network, K: HostKernels, batch: TaskBatch, sink: GradSink): number {
  const segs = segmentsOf(batch.counts);
  const tape = forward(net, K, batch.x, segs);
  const weights = new TaskLossWeights(net, segs.length);
  const F = tape.width;
  const dh = new Float32Array(tape.h.length);
  for (const { t, start, n } of segs) {
    const head = net.heads[t]!;
    const C = head.V.shape[1]!;
    const V = valuesOf(head.V);
    const ht = tape.h.subarray(start * F, (start + n) * F);
    const dl = headLogits(K, head, ht, n, F);
    weights.add(t, K.bce(dl, batch.y[t]!, weights.weight(t) / (n * segs.length), dl) / n);
    K.sgemm(true, false, F, C, n, 1, ht, F, dl, C, 0, sink.dense(head.V), C);
    K.colSums(dl, n, C, sink.dense(head.c));
    K.sgemm(false, true, n, F, C, 1, dl, C, V, C, 0, dh.subarray(start * F, (start + n) * F), F);
  }
  tape.backward(dh, sink);
  weights.addGradient(sink.host);
  return weights.total();
}

/** Most rows one forward pass of Predict stacks (requested tasks x rows), to bound its buffers. */
const MAX_STACKED_ROWS = 4096;

/** Logits (or with `sigmoid` scores) of `tasks` for n rows of x (already normalised), one n x C_t array per task. */
export function mixturePredict(net: Network, K: HostKernels, x: Float32Array, n: number, tasks: readonly number[], sigmoid = true): Float32Array[] {
  const D = net.config.inputDim;
  const out = tasks.map((t) => new Float32Array(n * net.config.tasks[t]!.labels.length));
  const chunk = Math.max(1, Math.min(n, Math.floor(MAX_STACKED_ROWS / Math.max(1, tasks.length))));
  for (let s0 = 0; s0 < n; s0 += chunk) {
    const m = Math.min(chunk, n - s0);
    // Every requested task sees the same rows: stacked once per task, so one pass serves them all.
    const xs = new Float32Array(tasks.length * m * D);
    tasks.forEach((_, j) => xs.set(x.subarray(s0 * D, (s0 + m) * D), j * m * D));
    const segs = tasks.map((t, j) => ({ t, start: j * m, n: m }));
    const tape = forward(net, K, xs, segs);
    segs.forEach(({ t, start }, j) => {
      const logits = headLogits(K, net.heads[t]!, tape.h.subarray(start * tape.width, (start + m) * tape.width), m, tape.width);
      if (sigmoid) K.sigmoid(logits);
      out[j]!.set(logits, s0 * logits.length / m);
    });
  }
  return out;
}

function segmentsOf(counts: readonly number[]): Seg[] {
  const segs: Seg[] = [];
  let start = 0;
  counts.forEach((n, t) => {
    if (n > 0) segs.push({ t, start, n });
    start += n;
  });
  return segs;
}

function forward(net: Network, K: HostKernels, x: Float32Array, segs: Seg[]): Tape {
  if (net.mixture.softOrder) return softOrderForward(net, net.mixture.softOrder, K, x, segs);
  if (net.mixture.mmoe) return mmoeForward(net, net.mixture.mmoe, K, x, segs);
  throw new Error(`${net.config.architecture} is not a mixture network`);
}

function headLogits(K: HostKernels, head: Head, h: Float32Array, n: number, F: number): Float32Array {
  const C = head.V.shape[1]!;
  const logits = new Float32Array(n * C);
  K.fillRows(logits, n, valuesOf(head.c));
  K.sgemm(false, false, n, C, F, 1, h, F, valuesOf(head.V), C, 1, logits, C);
  return logits;
}

/** relu(h W + b) for `rows` rows of width din. */
function denseRelu(K: HostKernels, h: Float32Array, rows: number, din: number, layer: Layer): Float32Array {
  const H = layer.W.shape[1]!;
  const z = new Float32Array(rows * H);
  K.fillRows(z, rows, valuesOf(layer.b));
  K.sgemm(false, false, rows, H, din, 1, h, din, valuesOf(layer.W), H, 1, z, H);
  K.relu(z, z);
  return z;
}

/** A ReLU MLP's forward pass, keeping every layer's input and output. */
function mlpForward(K: HostKernels, layers: Layer[], x: Float32Array, rows: number, din: number): { ins: Float32Array[]; outs: Float32Array[]; h: Float32Array; width: number } {
  const ins: Float32Array[] = [];
  const outs: Float32Array[] = [];
  let h = x;
  let width = din;
  for (const layer of layers) {
    ins.push(h);
    h = denseRelu(K, h, rows, width, layer);
    outs.push(h);
    width = layer.W.shape[1]!;
  }
  return { ins, outs, h, width };
}

/** Backward of mlpForward from dy (overwritten); returns the gradient of its input when asked. */
function mlpBackward(
  K: HostKernels,
  layers: Layer[],
  tape: { ins: Float32Array[]; outs: Float32Array[] },
  rows: number,
  dy: Float32Array,
  sink: GradSink,
  needInput: boolean,
): Float32Array | null {
  for (let i = layers.length - 1; i >= 0; i--) {
    const layer = layers[i]!;
    const [Din, H] = layer.W.shape as [number, number];
    K.reluBackward(dy, tape.outs[i]!, dy);
    K.sgemm(true, false, Din, H, rows, 1, tape.ins[i]!, Din, dy, H, 0, sink.dense(layer.W), H);
    K.colSums(dy, rows, H, sink.dense(layer.b));
    if (i === 0 && !needInput) return null;
    const prev = new Float32Array(rows * Din);
    K.sgemm(false, true, rows, Din, H, 1, dy, H, valuesOf(layer.W), H, 0, prev, Din);
    dy = prev;
  }
  return dy;
}

/** Softmax of `n` logits at a[o..o+n) into out[o..o+n) (float64). */
function softmaxInto(a: ArrayLike<number>, o: number, n: number, out: Float64Array | Float32Array, oo: number): void {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, a[o + i]!);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += (out[oo + i] = Math.exp(a[o + i]! - max));
  for (let i = 0; i < n; i++) out[oo + i] = out[oo + i]! / sum;
}

/*
 * SOFT_ORDER: h^0 = x, or relu(x P + p) when the input's width is not the layers' H; for depth d = 1..D and the
 * rows of task t, h^d = sum_k softmax(s_t^d)_k relu(h^(d-1) W_k + b_k); the head of t on h^D.
 */
function softOrderForward(net: Network, so: SoftOrderParams, K: HostKernels, x: Float32Array, segs: Seg[]): Tape {
  const D = so.layers.length;
  const H = so.layers[0]!.W.shape[1]!;
  const Din = net.config.inputDim;
  const R = segs.reduce((s, g) => s + g.n, 0);
  const T = net.config.tasks.length;
  const mixW = new Float64Array(T * D * D);
  for (let i = 0; i < T * D; i++) softmaxInto(so.mix, i * D, D, mixW, i * D);
  const h0 = so.proj ? denseRelu(K, x, R, Din, so.proj) : x;
  const hs = [h0];
  const acts: Float32Array[][] = [];
  for (let d = 0; d < D; d++) {
    const h = hs[d]!;
    const next = new Float32Array(R * H);
    const at = so.layers.map((layer, k) => {
      const a = denseRelu(K, h, R, H, layer);
      for (const { t, start, n } of segs) {
        const w = mixW[(t * D + d) * D + k]!;
        for (let i = start * H; i < (start + n) * H; i++) next[i] = next[i]! + w * a[i]!;
      }
      return a;
    });
    acts.push(at);
    hs.push(next);
  }
  return {
    h: hs[D]!,
    width: H,
    backward(dhTop, sink) {
      const dW = so.layers.map((l) => sink.dense(l.W).fill(0));
      const db = so.layers.map((l) => sink.dense(l.b).fill(0));
      const dbStep = new Float32Array(H);
      const dMix = new Float64Array(T * D * D);
      const dz = new Float32Array(R * H);
      let dh = dhTop;
      for (let d = D - 1; d >= 0; d--) {
        const h = hs[d]!;
        const dPrev = d > 0 || so.proj ? new Float32Array(R * H) : null;
        const dMixRaw = new Float64Array(T * D);
        so.layers.forEach((layer, k) => {
          const a = acts[d]![k]!;
          for (const { t, start, n } of segs) {
            const w = mixW[(t * D + d) * D + k]!;
            let dot = 0;
            for (let i = start * H; i < (start + n) * H; i++) {
              dot += dh[i]! * a[i]!;
              dz[i] = w * dh[i]!;
            }
            dMixRaw[t * D + k] = dot;
          }
          K.reluBackward(dz, a, dz);
          K.sgemm(true, false, H, H, R, 1, h, H, dz, H, 1, dW[k]!, H);
          K.colSums(dz, R, H, dbStep);
          const bk = db[k]!;
          for (let j = 0; j < H; j++) bk[j] = bk[j]! + dbStep[j]!;
          if (dPrev) K.sgemm(false, true, R, H, H, 1, dz, H, valuesOf(layer.W), H, 1, dPrev, H);
        });
        // Softmax backward per task: ds_j = w_j (g_j - sum_k w_k g_k).
        for (const { t } of segs) {
          const o = (t * D + d) * D;
          let mean = 0;
          for (let k = 0; k < D; k++) mean += mixW[o + k]! * dMixRaw[t * D + k]!;
          for (let k = 0; k < D; k++) dMix[o + k] = mixW[o + k]! * (dMixRaw[t * D + k]! - mean);
        }
        if (dPrev) dh = dPrev;
      }
      sink.host.set(so.mix, dMix);
      if (so.proj) mlpBackward(K, [so.proj], { ins: [x], outs: [h0] }, R, dh, sink, false);
    },
  };
}

/*
 * MMOE: experts f_e = ReLU MLPs on x (shared); for the rows of task t, gate g = softmax(x G_t + g_t) over the E
 * experts, u = sum_e g_e f_e(x), then task t's ReLU tower on u and its head.
 */
function mmoeForward(net: Network, mm: MmoeParams, K: HostKernels, x: Float32Array, segs: Seg[]): Tape {
  const Din = net.config.inputDim;
  const E = mm.experts.length;
  const R = segs.reduce((s, g) => s + g.n, 0);
  const experts = mm.experts.map((layers) => mlpForward(K, layers, x, R, Din));
  const F = experts[0]!.width;
  const gates = new Float32Array(R * E);
  for (const { t, start, n } of segs) {
    const gate = mm.gates[t]!;
    const gl = gates.subarray(start * E, (start + n) * E);
    K.fillRows(gl, n, valuesOf(gate.b));
    K.sgemm(false, false, n, E, Din, 1, x.subarray(start * Din, (start + n) * Din), Din, valuesOf(gate.W), E, 1, gl, E);
    for (let r = 0; r < n; r++) softmaxInto(gl, r * E, E, gl, r * E);
  }
  const u = new Float32Array(R * F);
  for (let r = 0; r < R; r++) {
    for (let e = 0; e < E; e++) {
      const g = gates[r * E + e]!;
      const f = experts[e]!.h;
      for (let j = r * F; j < (r + 1) * F; j++) u[j] = u[j]! + g * f[j]!;
    }
  }
  const towerSizes = net.config.towerHiddenSizes ?? [];
  const W = towerSizes.length ? towerSizes[towerSizes.length - 1]! : F;
  const towers = segs.map(({ t, start, n }) => mlpForward(K, mm.towers[t]!, u.subarray(start * F, (start + n) * F), n, F));
  let h = u;
  if (towerSizes.length) {
    h = new Float32Array(R * W);
    segs.forEach(({ start }, i) => h.set(towers[i]!.h, start * W));
  }
  return {
    h,
    width: W,
    backward(dh, sink) {
      let du = dh;
      if (towerSizes.length) {
        du = new Float32Array(R * F);
        segs.forEach(({ t, start, n }, i) => {
          const dIn = mlpBackward(K, mm.towers[t]!, towers[i]!, n, dh.slice(start * W, (start + n) * W), sink, true);
          du.set(dIn!, start * F);
        });
      }
      // Gates: dL/dg_e = <du, f_e> per row, then the softmax; experts: df_e = g_e du.
      const dGl = new Float32Array(R * E);
      const df = experts.map(() => new Float32Array(R * F));
      for (let r = 0; r < R; r++) {
        let mean = 0;
        for (let e = 0; e < E; e++) {
          const f = experts[e]!.h;
          const dfe = df[e]!;
          const g = gates[r * E + e]!;
          let dot = 0;
          for (let j = r * F; j < (r + 1) * F; j++) {
            dot += du[j]! * f[j]!;
            dfe[j] = g * du[j]!;
          }
          dGl[r * E + e] = dot;
          mean += g * dot;
        }
        for (let e = 0; e < E; e++) dGl[r * E + e] = gates[r * E + e]! * (dGl[r * E + e]! - mean);
      }
      for (const { t, start, n } of segs) {
        const gate = mm.gates[t]!;
        const dgl = dGl.subarray(start * E, (start + n) * E);
        K.sgemm(true, false, Din, E, n, 1, x.subarray(start * Din, (start + n) * Din), Din, dgl, E, 0, sink.dense(gate.W), E);
        K.colSums(dgl, n, E, sink.dense(gate.b));
      }
      mm.experts.forEach((layers, e) => mlpBackward(K, layers, experts[e]!, R, df[e]!, sink, false));
    },
  };
}
