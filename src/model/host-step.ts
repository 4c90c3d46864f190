/**
 * The native BLAS path (TAAN_BACKEND=native): the hand-written training step (loss and gradients) and the forward
 * pass of Predict and evaluation, on host Float32Arrays, with every dense product an OpenBLAS sgemm (one thread per
 * calling worker) and the element-wise work (ReLU, the O(N x H) TAAN activation of piecewise-tables.ts, binary
 * cross-entropy) in the addon's loops (src/model/blas.ts). Same math, same parameter layout and the same
 * regularizer code as the tfjs step (gradients.ts, layer-pass.ts); networks on this path keep their dense weights
 * on the host (Network storage 'host'). Why a host step rather than OpenBLAS as tfjs's matMul kernel:
 * docs/compute.md.
 */
import type { TaskBatch } from '../domain/batch.js';
import { blas, type Blas } from './blas.js';
import { addRegularizer, towerRows, type RegularizerSetting } from './gradients.js';
import { recordMoments } from './layer-pass.js';
import { TaskLossWeights } from './loss-weighting.js';
import { isMixture, mixtureLossAndGradients, mixturePredict } from './mixture-step.js';
import { ha, type Network } from './network.js';
import { buildTables, cachedTables, tableGradients, type Tables } from './piecewise-tables.js';

/** Gradients by parameter array: float32 for dense parameters, float64 for the activation parameters. */
export type HostGradients = Map<Float32Array, Float32Array | Float64Array>;

export interface HostLoss {
  /** Mean over tasks of the per-row summed BCE. */
  dataLoss: number;
  /** c * sum over TAAN layers of R. */
  regLoss: number;
  grads: HostGradients;
}

/** Buffers of one network's steps, reused from step to step (the batch layout of a run never changes). */
class Workspace {
  private readonly f32s = new Map<string, Float32Array>();
  private readonly u16s = new Map<string, Uint16Array>();
  private readonly grads = new Map<Float32Array, Float32Array>();

  f32(key: string, n: number): Float32Array {
    let a = this.f32s.get(key);
    if (!a || a.length < n) this.f32s.set(key, (a = new Float32Array(n)));
    return a.length === n ? a : a.subarray(0, n);
  }

  u16(key: string, n: number): Uint16Array {
    let a = this.u16s.get(key);
    if (!a || a.length < n) this.u16s.set(key, (a = new Uint16Array(n)));
    return a.length === n ? a : a.subarray(0, n);
  }

  grad(param: Float32Array): Float32Array {
    let g = this.grads.get(param);
    if (!g) this.grads.set(param, (g = new Float32Array(param.length)));
    return g;
  }
}

const workspaces = new WeakMap<Network, Workspace>();

function workspace(net: Network): Workspace {
  let ws = workspaces.get(net);
  if (!ws) workspaces.set(net, (ws = new Workspace()));
  return ws;
}

interface Tape {
  input: Float32Array;
  z: Float32Array;
  y: Float32Array;
  taan?: { bins: Uint16Array; tables: Tables; localTasks: number };
}

/**
 * Loss and gradients of one step on `batch` (rows grouped by task in task order). `gradOut` may name where the
 * gradient of a dense parameter goes (a data-parallel exchange slot); otherwise it goes to a buffer of the
 * network's workspace, valid until the next step. With `updateStats`, feeds the running pre-activation statistics.
 */
export function hostLossAndGradients(
  net: Network,
  batch: TaskBatch,
  reg: RegularizerSetting,
  updateStats: boolean,
  gradOut?: Map<Float32Array, Float32Array>,
): HostLoss {
  const B = blas();
  const ws = workspace(net);
  const grads: HostGradients = new Map();
  const gradOf = (param: Float32Array): Float32Array => {
    const g = gradOut?.get(param) ?? ws.grad(param);
    grads.set(param, g);
    return g;
  };
  if (isMixture(net)) {
    const dataLoss = mixtureLossAndGradients(net, B, batch, { dense: (d) => gradOf(ha(d)), host: grads });
    return { dataLoss, regLoss: 0, grads };
  }
  const D = net.config.inputDim;
  const counts = batch.counts;
  const active = counts.filter((c) => c > 0).length;
  const weights = new TaskLossWeights(net, active);
  const starts: number[] = [];
  counts.reduce((s, c) => (starts.push(s), s + c), 0);

  net.towers.forEach((tower, k) => {
    const { rowStart, rowCount: R, segments } = towerRows(tower, counts, starts);
    if (R === 0) return;
    const segs = Int32Array.from(segments.flatMap((s) => [s.local, s.count]));
    const tapes: Tape[] = [];
    let h = batch.x.subarray(rowStart * D, (rowStart + R) * D);
    let din = D;
    tower.layers.forEach((layer, i) => {
      const H = layer.W.shape[1]!;
      const z = ws.f32(`z${k}.${i}`, R * H);
      B.fillRows(z, R, ha(layer.b));
      B.sgemm(false, false, R, H, din, 1, h, din, ha(layer.W), H, 1, z, H);
      const act = layer.act;
      if (act) {
        const M = act.beta.length;
        const localTasks = act.alpha.length / M;
        const tables = buildTables(act.alpha, act.beta, localTasks);
        const y = ws.f32(`y${k}.${i}`, R * H);
        const bins = ws.u16(`bins${k}.${i}`, R * H);
        const moments = updateStats ? new Float64Array(2) : null;
        B.taanForward(z, y, bins, H, tables.sorted, tables.S, tables.P, segs, moments);
        if (moments) {
          const mean = moments[0]! / (R * H);
          recordMoments(act, mean, moments[1]! / (R * H) - mean * mean);
        }
        tapes.push({ input: h, z, y, taan: { bins, tables, localTasks } });
        h = y;
      } else {
        B.relu(z, z);
        tapes.push({ input: h, z, y: z });
        h = z;
      }
      din = H;
    });

    // Heads: each task's rows of the last hidden layer are a contiguous block, so every product works in place.
    const H = din;
    let dy = ws.f32(`dh${k}.${tower.layers.length - 1}`, R * H);
    let local = 0;
    for (const t of tower.tasks) {
      const n = counts[t] ?? 0;
      if (n === 0) continue;
      const head = net.heads[t]!;
      const C = head.V.shape[1]!;
      const V = ha(head.V);
      const ht = h.subarray(local * H, (local + n) * H);
      const logits = ws.f32('logits', n * C);
      B.fillRows(logits, n, ha(head.c));
      B.sgemm(false, false, n, C, H, 1, ht, H, V, C, 1, logits, C);
      // The logits become dl = weight (sigmoid - y) / (n * active) in place.
      weights.add(t, B.bce(logits, batch.y[t]!, weights.weight(t) / (n * active), logits) / n);
      B.sgemm(true, false, H, C, n, 1, ht, H, logits, C, 0, gradOf(V), C);
      B.colSums(logits, n, C, gradOf(ha(head.c)));
      B.sgemm(false, true, n, H, C, 1, logits, C, V, C, 0, dy.subarray(local * H, (local + n) * H), H);
      local += n;
    }

    for (let i = tower.layers.length - 1; i >= 0; i--) {
      const layer = tower.layers[i]!;
      const tape = tapes[i]!;
      const [Din, Hi] = layer.W.shape as [number, number];
      const act = layer.act;
      // dy becomes dz in place.
      if (act && tape.taan) {
        const M = act.beta.length;
        const { bins, tables, localTasks } = tape.taan;
        const G0 = new Float64Array(localTasks * (M + 1));
        const G1 = new Float64Array(localTasks * (M + 1));
        B.taanBackward(dy, tape.z, bins, Hi, tables.S, M + 1, segs, dy, G0, G1);
        const dAlpha = new Float64Array(act.alpha.length);
        const dBeta = new Float64Array(M);
        tableGradients(G0, G1, act.alpha, tables, localTasks, dAlpha, dBeta);
        grads.set(act.alpha, dAlpha);
        grads.set(act.beta, dBeta);
      } else {
        B.reluBackward(dy, tape.y, dy);
      }
      B.sgemm(true, false, Din, Hi, R, 1, tape.input, Din, dy, Hi, 0, gradOf(ha(layer.W)), Hi);
      B.colSums(dy, R, Hi, gradOf(ha(layer.b)));
      if (i > 0) {
        const prev = ws.f32(`dh${k}.${i - 1}`, R * Din);
        B.sgemm(false, true, R, Din, Hi, 1, dy, Hi, ha(layer.W), Hi, 0, prev, Din);
        dy = prev;
      }
    }
  });

  const regLoss = addRegularizer(net, reg, grads);
  weights.addGradient(grads);
  return { dataLoss: weights.total(), regLoss, grads };
}

/** Packed copies of served models' weight matrices (Network.frozen), made on first use. */
const packedWeights = new WeakMap<Float32Array, Float32Array>();
let packedGemm: boolean | undefined;

/**
 * C (m x n) += A (m x k) W (k x n). A served model's weights are packed once for the addon's kernel (blas.ts
 * sgemmPacked: OpenBLAS repacks W on every call, as costly as the arithmetic at Predict's few rows); weights that
 * training still changes, or a CPU without the kernel, go through sgemm.
 */
function addProduct(B: Blas, frozen: boolean, m: number, n: number, k: number, A: Float32Array, W: Float32Array, C: Float32Array): void {
  packedGemm ??= B.info().packedGemm;
  if (!frozen || !packedGemm) return B.sgemm(false, false, m, n, k, 1, A, k, W, n, 1, C, n);
  let packed = packedWeights.get(W);
  if (!packed) {
    packed = new Float32Array(Math.ceil(n / 16) * 16 * k);
    B.packB(W, k, n, n, packed);
    packedWeights.set(W, packed);
  }
  B.sgemmPacked(m, n, k, A, k, packed, C, n);
}

/** Most rows (requested tasks x rows of a chunk) one forward pass stacks, to bound its buffers (~16 MB at H = 1024). */
const MAX_STACKED_ROWS = 4096;

/**
 * Sigmoid scores of `tasks` (global indices) for n rows of x (n x inputDim, already normalised): one n x C_t array
 * per requested task, in request order. Layer 1 is one product for every task of a tower. After it, each task's
 * rows differ (per-task activations), so the requested tasks' rows are stacked and every later layer is one
 * product over the stack; the heads are one product per task. With `sigmoid` false the scores stay logits (Predict's
 * top-k ranks logits and turns only the kept ones into probabilities).
 */
export function hostPredict(net: Network, x: Float32Array, n: number, tasks: readonly number[], sigmoid = true): Float32Array[] {
  const B = blas();
  if (isMixture(net)) return mixturePredict(net, B, x, n, tasks, sigmoid);
  const ws = workspace(net);
  const D = net.config.inputDim;
  const out = tasks.map((t) => new Float32Array(n * net.config.tasks[t]!.labels.length));
  net.towers.forEach((tower) => {
    const asked = tasks.map((t, j) => ({ t, j, local: tower.tasks.indexOf(t) })).filter((a) => a.local >= 0);
    if (!asked.length) return;
    const first = tower.layers[0]!;
    // Without per-task activations (HARD_SHARE) every task shares the whole trunk: no stacking.
    const k = first.act ? asked.length : 1;
    const chunk = Math.max(1, Math.min(n, Math.floor(MAX_STACKED_ROWS / k)));
    const tables = tower.layers.map((l) => (l.act ? cachedTables(l.act.alpha, l.act.beta, l.act.alpha.length / l.act.beta.length) : null));
    for (let start = 0; start < n; start += chunk) {
      const m = Math.min(chunk, n - start);
      const xs = x.subarray(start * D, (start + m) * D);
      const segs = Int32Array.from(asked.flatMap((a) => [a.local, m]));
      let h: Float32Array = xs;
      let din = D;
      tower.layers.forEach((layer, i) => {
        const H = layer.W.shape[1]!;
        const rows = i === 0 ? m : k * m;
        const z = ws.f32(`pz${i & 1}`, rows * H);
        B.fillRows(z, rows, ha(layer.b));
        addProduct(B, net.frozen, rows, H, din, h, ha(layer.W), z);
        const tb = tables[i];
        if (!tb) {
          B.relu(z, z);
          h = z;
        } else if (i === 0) {
          // One product for all tasks; each task's activation of it goes to its block of the stack.
          const y = ws.f32('pstack', k * m * H);
          asked.forEach((a, j) => {
            B.taanForward(z, y.subarray(j * m * H, (j + 1) * m * H), null, H, tb.sorted, tb.S, tb.P, Int32Array.of(a.local, m), null);
          });
          h = y;
        } else {
          B.taanForward(z, z, null, H, tb.sorted, tb.S, tb.P, segs, null);
          h = z;
        }
        din = H;
      });
      asked.forEach((a, j) => {
        const head = net.heads[a.t]!;
        const C = head.V.shape[1]!;
        const hb = k === 1 ? h : h.subarray(j * m * din, (j + 1) * m * din);
        const scores = out[a.j]!.subarray(start * C, (start + m) * C);
        B.fillRows(scores, m, ha(head.c));
        addProduct(B, net.frozen, m, C, din, hb, ha(head.V), scores);
        if (sigmoid) B.sigmoid(scores);
      });
    }
  });
  return out;
}
