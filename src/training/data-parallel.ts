/**
 * One training job over two threads, with synchronous gradient averaging (data parallelism).
 *
 * Rank 0 is the thread that runs train() (a job's worker): it owns the sampler, checkpoints, evaluation and
 * progress. For the job's lifetime it keeps ONE extra thread, rank 1 (data-parallel-worker.ts), which starts from a
 * copy of rank 0's parameters, running statistics and Adam state (moments and step count), taken after any resume
 * from a checkpoint. Every step rank 0 samples the full batch as before, copies the second half of every task's
 * rows into shared memory for rank 1, and both replicas run half a step (src/model/train-step.ts): each writes its
 * gradients and loss into its slot of a SharedArrayBuffer, waits for the other, averages the two slots in the same
 * order, and applies the same Adam update. Parameters and optimizer states therefore stay bit-identical without
 * ever being sent again, and the step equals a one-thread step on the full batch up to float32 summation order.
 *
 * Rank 0 waits for rank 1 asynchronously (Atomics.waitAsync), so its event loop sees rank 1's 'error' and 'exit'
 * events: a crashed or killed rank 1 fails the step with DataParallelError instead of hanging. Rank 1 waits with
 * Atomics.wait in one-second slices and gives up when rank 0 closes the partner. close() terminates rank 1 (the
 * trainer calls it in a finally), and a worker thread's own worker threads end with it, so rank 1 never outlives
 * rank 0.
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TaskBatch } from '../domain/batch.js';
import type { ModelConfig } from '../domain/model-spec.js';
import type { Adam, AdamOptions, AdamState } from '../model/adam.js';
import type { BackendName } from '../model/backend.js';
import { loadBlas } from '../model/blas.js';
import type { RegularizerSetting } from '../model/gradients.js';
import type { OffsetCache } from '../model/layer-pass.js';
import type { LayerStats } from '../model/model-metadata.js';
import type { Network } from '../model/network.js';
import { applyAveraged, exchangeExtrasSize, exchangeGradientSize, localGradients, type LocalStep } from '../model/train-step.js';

/** A failure of the second thread (crash, exit, stall); the job fails with it. */
export class DataParallelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataParallelError';
  }
}

export interface DataParallelPlan {
  threads: 1 | 2;
  /** Why, for logs and tests. */
  reason: string;
}

/**
 * Smallest step, in multiply-adds of its forward pass (stepMultiplyAdds), that runs on two threads. Both threads
 * pay every op's fixed cost in full (dispatch, kernel set-up, the TAAN tables) and the exchange adds a few passes
 * over the parameters, so only the arithmetic halves. Two threads over one, measured on the 2-core machine (wasm,
 * 16 tasks, quiet moment; timings there are noisy): 0.2M multiply-adds 0.73x (0.5x while the machine was busy), 8M
 * 0.74x, 80M 1.04x, 160M 1.07x, 320M 1.07x, 640M 1.32x, the paper configuration (1.26G) 1.46-1.64x. Below about
 * 250M a second thread gains nothing worth a second tfjs instance.
 */
export const MIN_SPLIT_MULTIPLY_ADDS = 250e6;

/** Multiply-adds of one training step's forward pass (dense layers and heads; the backward pass is about twice). */
export function stepMultiplyAdds(config: ModelConfig, counts: readonly number[]): number {
  const groups = config.architecture === 'STL' ? config.tasks.map((_, t) => [t]) : [config.tasks.map((_, t) => t)];
  let macs = 0;
  for (const tasks of groups) {
    const rows = tasks.reduce((s, t) => s + (counts[t] ?? 0), 0);
    let fanIn = config.inputDim;
    for (const H of config.hiddenSizes) {
      macs += rows * fanIn * H;
      fanIn = H;
    }
  }
  const last = config.hiddenSizes[config.hiddenSizes.length - 1] ?? config.inputDim;
  config.tasks.forEach((t, i) => (macs += (counts[i] ?? 0) * last * t.labels.length));
  return macs;
}

export interface PlanInput {
  /** Threads asked for: 1 or 2. */
  requested: number;
  /** Rows per task of every step. */
  counts: readonly number[];
  /** The tfjs backend in use. */
  backend: string;
  /** stepMultiplyAdds of the run. */
  multiplyAdds: number;
  /** Default MIN_SPLIT_MULTIPLY_ADDS. */
  minMultiplyAdds?: number;
}

/**
 * Two threads only when asked for; when every task's rows per step split into equal halves (the mean of two
 * unequal shards' mean gradients is not the full batch's); on the single-threaded backends (wasm, cpu: the native
 * TensorFlow backend already spreads one step over every core); and for steps big enough to gain from it.
 */
export function dataParallelPlan(p: PlanInput): DataParallelPlan {
  const { requested, counts, backend } = p;
  if (requested !== 1 && requested !== 2) throw new RangeError(`threads must be 1 or 2, got ${requested}`);
  if (requested === 1) return { threads: 1, reason: 'one thread requested' };
  const odd = counts.findIndex((n) => n % 2 !== 0 || n < 2);
  if (odd >= 0) return { threads: 1, reason: `task ${odd} has ${counts[odd]} rows per step, which do not split into two equal halves` };
  if (backend !== 'wasm' && backend !== 'cpu' && backend !== 'native') return { threads: 1, reason: `the ${backend} backend already uses every core in one step` };
  const min = p.minMultiplyAdds ?? MIN_SPLIT_MULTIPLY_ADDS;
  if (p.multiplyAdds < min) {
    return { threads: 1, reason: `a step of ${p.multiplyAdds.toExponential(2)} multiply-adds is too small to gain from a second thread (< ${min.toExponential(2)})` };
  }
  return { threads: 2, reason: "two threads, half of every task's rows each" };
}

/** Control words: steps whose half each rank has written (index = rank), and rank 0's "closed" flag. */
const CLOSED = 2;

/** The memory both replicas share. */
export interface SharedStepState {
  /** Int32 x 3: [steps written by rank 0, steps written by rank 1, closed]. */
  ctrl: SharedArrayBuffer;
  /** Float32, 2 step parities x 2 ranks x gradSize: a replica may write step k + 1 while the other reads step k. */
  grads: SharedArrayBuffer;
  /** Float64, 2 parities x 2 ranks x extrasSize (loss, moments; see train-step.ts). */
  extras: SharedArrayBuffer;
  /** Float32: rank 1's rows of the current step, x (task-major) then every task's y. */
  rows: SharedArrayBuffer;
  gradSize: number;
  extrasSize: number;
  /** Rows per task of each half. */
  halfCounts: number[];
  classes: number[];
  inputDim: number;
}

export function createSharedStepState(net: Network, counts: readonly number[]): SharedStepState {
  const gradSize = exchangeGradientSize(net);
  const extrasSize = exchangeExtrasSize(net);
  const halfCounts = counts.map((n) => n / 2);
  const classes = net.config.tasks.map((t) => t.labels.length);
  const inputDim = net.config.inputDim;
  const rows = halfCounts.reduce((s, n, t) => s + n * (inputDim + classes[t]!), 0);
  return {
    ctrl: new SharedArrayBuffer(3 * 4),
    grads: new SharedArrayBuffer(4 * gradSize * 4),
    extras: new SharedArrayBuffer(4 * extrasSize * 8),
    rows: new SharedArrayBuffer(rows * 4),
    gradSize,
    extrasSize,
    halfCounts,
    classes,
    inputDim,
  };
}

/** Rank 0: copies the second half of every task's rows of `batch` into shared memory. */
export function writeRank1Rows(s: SharedStepState, batch: TaskBatch): void {
  checkCounts(s, batch);
  const D = s.inputDim;
  const out = new Float32Array(s.rows);
  let src = 0;
  let dst = 0;
  s.halfCounts.forEach((h) => {
    out.set(batch.x.subarray((src + h) * D, (src + 2 * h) * D), dst * D);
    src += 2 * h;
    dst += h;
  });
  let o = dst * D;
  s.halfCounts.forEach((h, t) => {
    const C = s.classes[t]!;
    out.set(batch.y[t]!.subarray(h * C, 2 * h * C), o);
    o += h * C;
  });
}

/** Rank 1: its rows of the current step, copied out of shared memory (tensors are made from private arrays). */
export function readRank1Rows(s: SharedStepState): TaskBatch {
  const D = s.inputDim;
  const rows = new Float32Array(s.rows);
  const total = s.halfCounts.reduce((a, b) => a + b, 0);
  const x = rows.slice(0, total * D);
  let o = total * D;
  const y = s.halfCounts.map((h, t) => {
    const n = h * s.classes[t]!;
    o += n;
    return rows.slice(o - n, o);
  });
  return { x, y, counts: s.halfCounts };
}

/** Rank 0: the first half of every task's rows. */
export function rank0Rows(s: SharedStepState, batch: TaskBatch): TaskBatch {
  checkCounts(s, batch);
  const D = s.inputDim;
  const x = new Float32Array(s.halfCounts.reduce((a, b) => a + b, 0) * D);
  let src = 0;
  let dst = 0;
  const y = s.halfCounts.map((h, t) => {
    x.set(batch.x.subarray(src * D, (src + h) * D), dst * D);
    src += 2 * h;
    dst += h;
    return batch.y[t]!.slice(0, h * s.classes[t]!);
  });
  return { x, y, counts: s.halfCounts };
}

function checkCounts(s: SharedStepState, batch: TaskBatch): void {
  if (batch.counts.length !== s.halfCounts.length || batch.counts.some((n, t) => n !== 2 * s.halfCounts[t]!)) {
    throw new DataParallelError(`batch of ${batch.counts.join(',')} rows per task; the partner was set up for ${s.halfCounts.map((h) => 2 * h).join(',')}`);
  }
}

/** One replica's side of the exchange; the same code on both ranks, so both compute the same averages. */
export class Replica {
  private stepsDone = 0;
  private readonly ctrl: Int32Array;
  private readonly gradSlots: Float32Array[];
  private readonly extraSlots: Float64Array[];
  private readonly avg: Float32Array;
  private readonly avgExtras: Float64Array;

  constructor(
    readonly net: Network,
    readonly adam: Adam,
    private readonly offsets: OffsetCache,
    private readonly reg: RegularizerSetting,
    readonly shared: SharedStepState,
    readonly rank: 0 | 1,
  ) {
    const { gradSize: G, extrasSize: E } = shared;
    if (exchangeGradientSize(net) !== G || exchangeExtrasSize(net) !== E) throw new DataParallelError('replicas of different shapes');
    this.ctrl = new Int32Array(shared.ctrl);
    // Slot index = parity * 2 + rank.
    this.gradSlots = [0, 1, 2, 3].map((i) => new Float32Array(shared.grads, i * G * 4, G));
    this.extraSlots = [0, 1, 2, 3].map((i) => new Float64Array(shared.extras, i * E * 8, E));
    this.avg = new Float32Array(G);
    this.avgExtras = new Float64Array(E);
  }

  get steps(): number {
    return this.stepsDone;
  }

  get closed(): boolean {
    return Atomics.load(this.ctrl, CLOSED) !== 0;
  }

  /** First half of the next step: this replica's gradients into its slot, then tells the other replica. */
  begin(rows: TaskBatch): LocalStep {
    const k = this.stepsDone + 1;
    const slot = (k & 1) * 2 + this.rank;
    const local = localGradients(this.net, rows, this.offsets, this.gradSlots[slot]!, this.extraSlots[slot]!);
    this.stepsDone = k;
    Atomics.store(this.ctrl, this.rank, k);
    Atomics.notify(this.ctrl, this.rank);
    return local;
  }

  /** Whether the other replica has written its half of the current step. */
  peerDone(): boolean {
    return Atomics.load(this.ctrl, 1 - this.rank) >= this.stepsDone;
  }

  /** The other replica's progress counter (for Atomics.wait on it). */
  peerCounter(): { ctrl: Int32Array; index: number; value: number } {
    return { ctrl: this.ctrl, index: 1 - this.rank, value: Atomics.load(this.ctrl, 1 - this.rank) };
  }

  /** Second half, once both have written: the averages (rank 0's slot + rank 1's, on both ranks) and the update. */
  finish(local: LocalStep): number {
    const parity = this.stepsDone & 1;
    const g0 = this.gradSlots[parity * 2]!;
    const g1 = this.gradSlots[parity * 2 + 1]!;
    const avg = this.avg;
    const native = this.net.storage === 'host' ? loadBlas() : null;
    if (native) native.mean2(avg, g0, g1);
    else for (let i = 0; i < avg.length; i++) avg[i] = (g0[i]! + g1[i]!) * 0.5;
    const e0 = this.extraSlots[parity * 2]!;
    const e1 = this.extraSlots[parity * 2 + 1]!;
    for (let i = 0; i < this.avgExtras.length; i++) this.avgExtras[i] = (e0[i]! + e1[i]!) * 0.5;
    return applyAveraged(this.net, this.adam, avg, this.avgExtras, local, this.reg);
  }

  /** Rank 0 closing: wakes rank 1 if it waits. */
  markClosed(): void {
    Atomics.store(this.ctrl, CLOSED, 1);
    Atomics.notify(this.ctrl, 0);
  }
}

/** Everything rank 1 starts from (its workerData). */
export interface PartnerInit {
  config: ModelConfig;
  backend: BackendName;
  arrays: Map<string, Float32Array>;
  stats: LayerStats[];
  adamOptions: AdamOptions;
  adamState: AdamState;
  reg: RegularizerSetting;
  shared: SharedStepState;
  stallTimeoutMs: number;
}

/** Rank 1's parameters, running statistics and Adam state (tests compare them with rank 0's). */
export interface ReplicaState {
  arrays: Map<string, Float32Array>;
  stats: LayerStats[];
  adam: AdamState;
}

export type ToPartner = { type: 'step' } | { type: 'state'; id: number };
export type FromPartner =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'state'; id: number; state: ReplicaState };

export interface StepPartnerOptions {
  net: Network;
  adam: Adam;
  /** The options `adam` was made with. */
  adamOptions: AdamOptions;
  reg: RegularizerSetting;
  offsets: OffsetCache;
  /** Rows per task of every step (all even). */
  counts: readonly number[];
  /** Longest wait for the other replica within one step before the step fails. Default 10 minutes. */
  stallTimeoutMs?: number;
  /** Longest start-up of rank 1 (tfjs backend, model). Default 2 minutes. */
  startTimeoutMs?: number;
}

/**
 * Rank 0's handle on rank 1. `step` replaces trainStep(); `close` must be called (in a finally) when the job ends
 * in any way. Not reusable after a failure: every later call throws the first error.
 */
export class StepPartner {
  private error: Error | null = null;
  private closing = false;
  private wake: (() => void) | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (s: ReplicaState) => void; reject: (e: Error) => void; answered: Promise<void> }>();
  private readyResolve: (() => void) | null = null;
  /** Resolves when rank 1's thread has ended. */
  readonly exited: Promise<number>;

  private constructor(
    private readonly worker: Worker,
    private readonly replica: Replica,
    private readonly stallTimeoutMs: number,
  ) {
    this.exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.on('message', (m: FromPartner) => {
      if (m.type === 'ready') this.readyResolve?.();
      else if (m.type === 'failed') this.fail(new DataParallelError(`data-parallel partner thread (rank 1) failed: ${m.message}`));
      else if (m.type === 'state') {
        this.pending.get(m.id)?.resolve(m.state);
        this.pending.delete(m.id);
      }
    });
    worker.on('error', (err) => this.fail(new DataParallelError(`data-parallel partner thread (rank 1) crashed: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!this.closing) this.fail(new DataParallelError(`data-parallel partner thread (rank 1) exited unexpectedly (exit code ${code})`));
    });
  }

  /** Starts rank 1 from the current state of `net` and `adam`; resolves once it is ready to step. */
  static async start(o: StepPartnerOptions): Promise<StepPartner> {
    const shared = createSharedStepState(o.net, o.counts);
    const replica = new Replica(o.net, o.adam, o.offsets, o.reg, shared, 0);
    const stallTimeoutMs = o.stallTimeoutMs ?? 600_000;
    const init: PartnerInit = {
      config: o.net.config,
      // The partner computes on the same path: the native one for a network on host storage.
      backend: (o.net.storage === 'host' ? 'native' : tf.getBackend()) as BackendName,
      arrays: o.net.getArrays(),
      stats: o.net.getStats(),
      adamOptions: o.adamOptions,
      adamState: o.adam.getState(),
      reg: o.reg,
      shared,
      stallTimeoutMs,
    };
    const partner = new StepPartner(new Worker(partnerEntry(), { workerData: init }), replica, stallTimeoutMs);
    const startTimeoutMs = o.startTimeoutMs ?? 120_000;
    const timer = setTimeout(() => partner.fail(new DataParallelError(`data-parallel partner thread (rank 1) not ready after ${startTimeoutMs} ms`)), startTimeoutMs);
    try {
      await new Promise<void>((resolve, reject) => {
        partner.readyResolve = resolve;
        partner.wake = () => reject(partner.error);
      });
    } catch (err) {
      await partner.close();
      throw err;
    } finally {
      clearTimeout(timer);
      partner.readyResolve = null;
      partner.wake = null;
    }
    return partner;
  }

  /** Optimizer steps taken together. */
  get steps(): number {
    return this.replica.steps;
  }

  /** One data-parallel step on the full batch `batch`; returns its loss (data + regularizer), as trainStep() does. */
  async step(batch: TaskBatch): Promise<number> {
    this.check();
    try {
      writeRank1Rows(this.replica.shared, batch);
      this.worker.postMessage({ type: 'step' } satisfies ToPartner);
      const local = this.replica.begin(rank0Rows(this.replica.shared, batch));
      await this.waitForPeer();
      return this.replica.finish(local);
    } catch (err) {
      // A step that failed half-way leaves the replicas out of step: this partner is done.
      this.error ??= err instanceof Error ? err : new Error(String(err));
      throw err;
    }
  }

  /** Rank 1's state, read between steps (tests compare it with rank 0's). */
  peerState(): Promise<ReplicaState> {
    this.check();
    const id = this.nextId++;
    let settle: { resolve: (s: ReplicaState) => void; reject: (e: Error) => void } | undefined;
    const state = new Promise<ReplicaState>((resolve, reject) => (settle = { resolve, reject }));
    this.pending.set(id, { ...settle!, answered: state.then(() => undefined, () => undefined) });
    this.worker.postMessage({ type: 'state', id } satisfies ToPartner);
    return state;
  }

  /** Test hook: kills rank 1 as a crash would (the next step fails). */
  async terminatePeer(): Promise<void> {
    await this.worker.terminate();
  }

  /** Ends rank 1 (idempotent). State requests already sent are answered first (rank 1 is idle between steps). */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (this.pending.size > 0 && !this.error) {
      const answered = Promise.all([...this.pending.values()].map((p) => p.answered));
      await Promise.race([answered, new Promise((r) => setTimeout(r, 5000).unref())]);
    }
    this.replica.markClosed();
    const err = this.error ?? new DataParallelError('data-parallel partner closed');
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    await this.worker.terminate();
  }

  private check(): void {
    if (this.error) throw this.error;
    if (this.closing) throw new DataParallelError('data-parallel partner closed');
  }

  private fail(err: Error): void {
    if (this.error) return;
    this.error = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    this.wake?.();
  }

  /** Awaits rank 1's half of the current step without blocking this thread's event loop. */
  private async waitForPeer(): Promise<void> {
    const deadline = Date.now() + this.stallTimeoutMs;
    for (;;) {
      if (this.error) throw this.error;
      if (this.replica.peerDone()) return;
      if (Date.now() > deadline) {
        throw new DataParallelError(`data-parallel partner thread (rank 1) did not finish step ${this.replica.steps} within ${this.stallTimeoutMs} ms`);
      }
      const { ctrl, index, value } = this.replica.peerCounter();
      if (value >= this.replica.steps) continue;
      const w = (Atomics as unknown as AtomicsWaitAsync).waitAsync(ctrl, index, value, 1000);
      if (!w.async) continue;
      await new Promise<void>((resolve) => {
        this.wake = resolve;
        void w.value.then(() => resolve());
      });
      this.wake = null;
    }
  }
}

/** Atomics.waitAsync (Node >= 16) is missing from TypeScript's ES2022 lib. */
interface AtomicsWaitAsync {
  waitAsync(
    a: Int32Array,
    index: number,
    value: number,
    timeoutMs: number,
  ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}

/** The compiled rank-1 entry (dist/), or, when running from sources, the .ts one through tsx. */
function partnerEntry(): URL {
  const js = new URL('./data-parallel-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  return new URL('./data-parallel-boot.mjs', import.meta.url);
}
