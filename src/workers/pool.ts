/**
 * A fixed set of worker threads, each with its own tfjs instance. Training jobs take one worker each; Predict and
 * activation metrics go to the least-loaded worker, preferring workers without a job (a training worker only
 * answers between steps). When the pool has two or more workers, one is never given a job, so serving keeps a
 * worker. A worker that dies fails only its own job and calls, and is replaced.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { UnavailableError } from '../errors/errors.js';
import { fromWire } from '../errors/wire.js';
import type { Logger } from '../observability/logger.js';
import type {
  BackendChoice,
  CallKind,
  FromWorker,
  JobReport,
  StopReason,
  ToWorker,
  TrainJobPayload,
  WorkerCall,
  WorkerResult,
  WorkerResults,
  WorkerStats,
} from './protocol.js';

export interface WorkerPoolOptions {
  /** Number of threads (>= 1). */
  size: number;
  backend: BackendChoice;
  /** Models each worker keeps loaded. */
  modelCacheSize: number;
  logger: Logger;
  /** Called whenever the number of workers running a job changes. */
  onBusyChange?: (busy: number) => void;
}

export interface JobListener {
  onMessage(msg: JobReport): void;
}

/** What a worker computes with (its 'ready' message). */
export interface ComputeInfo {
  path: string;
  provider: string;
  reason: string;
  skipped: Array<{ provider: string; error: string }>;
}

interface Slot {
  index: number;
  worker: Worker;
  backend: string;
  compute: ComputeInfo | null;
  jobId: string | null;
  inflight: number;
}

interface Pending {
  resolve: (r: WorkerResult) => void;
  reject: (e: Error) => void;
  slot: Slot;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly jobs = new Map<string, { slot: Slot; listener: JobListener }>();
  private nextId = 1;
  private closing = false;

  private constructor(private readonly opts: WorkerPoolOptions) {}

  static async create(opts: WorkerPoolOptions): Promise<WorkerPool> {
    const pool = new WorkerPool(opts);
    await Promise.all(Array.from({ length: Math.max(1, opts.size) }, (_, i) => pool.spawn(i)));
    return pool;
  }

  get size(): number {
    return this.slots.length;
  }

  /** Backend each worker loaded (the same everywhere unless a native backend failed in one). */
  get backends(): string[] {
    return this.slots.map((s) => s.backend);
  }

  /** Compute path of each worker (the same everywhere unless a worker failed to load what the others did). */
  get compute(): ComputeInfo[] {
    return this.slots.flatMap((s) => (s.compute ? [s.compute] : []));
  }

  /** How many more jobs may start now. */
  freeJobSlots(): number {
    const maxJobs = this.slots.length > 1 ? this.slots.length - 1 : 1;
    return Math.max(0, maxJobs - this.jobs.size);
  }

  busyCount(): number {
    return this.jobs.size;
  }

  /** The worker the next runJob will use (names the job's `runner` before it starts). */
  nextJobWorker(): number {
    return this.pickJobSlot().index;
  }

  /** Starts a job on a free worker; returns the worker's index. */
  runJob(job: TrainJobPayload, listener: JobListener): number {
    if (this.freeJobSlots() === 0) throw new UnavailableError('no free worker');
    const slot = this.pickJobSlot();
    slot.jobId = job.jobId;
    this.jobs.set(job.jobId, { slot, listener });
    this.opts.onBusyChange?.(this.jobs.size);
    this.post(slot, { type: 'train', job });
    return slot.index;
  }

  private pickJobSlot(): Slot {
    // Lowest index among idle workers: deterministic, so nextJobWorker() and runJob() agree.
    const slot = this.slots.find((s) => !s.jobId);
    if (!slot) throw new UnavailableError('no free worker');
    return slot;
  }

  /** Asks the job's worker to stop it at the next step boundary; the listener then gets jobFailed with stoppedBy. */
  stopJob(jobId: string, reason: StopReason): boolean {
    const entry = this.jobs.get(jobId);
    if (!entry) return false;
    this.post(entry.slot, { type: 'stop', jobId, reason });
    return true;
  }

  isRunning(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  /** Workers not running a job (at least 1): how many Predict batches can run side by side without waiting on a training step. */
  servingWorkers(): number {
    return Math.max(1, this.slots.length - this.jobs.size);
  }

  /**
   * Runs a call on `worker` (an index from nextWorker: Predict's batcher queues a batch behind another on the same
   * worker) unless that worker has since taken a training job, else on the pool's choice.
   */
  call<C extends WorkerCall>(call: C, worker?: number): Promise<WorkerResults[C['kind']]> {
    if (this.closing) return Promise.reject(new UnavailableError('worker pool is shutting down'));
    const asked = worker === undefined ? undefined : this.slots[worker];
    return this.callOn(asked && !asked.jobId ? asked : this.pickCallSlot(), call);
  }

  /** The worker a call without one named would go to now. */
  nextWorker(): number {
    return this.pickCallSlot().index;
  }

  private callOn<C extends WorkerCall>(slot: Slot, call: C): Promise<WorkerResults[C['kind']]> {
    const id = this.nextId++;
    slot.inflight++;
    const asked: WorkerCall = call;
    return new Promise<WorkerResults[C['kind']]>((resolve, reject) => {
      const settle = (r: WorkerResult): void => {
        const value = valueFor<C['kind']>(r, call.kind);
        if (value !== undefined) resolve(value);
        else reject(new Error(`worker ${slot.index} answered a ${call.kind} call with a ${r.kind} result`));
      };
      this.pending.set(id, { resolve: settle, reject, slot });
      const transfer = asked.kind === 'predict' ? [asked.x.buffer as ArrayBuffer] : [];
      slot.worker.postMessage({ type: 'call', id, call } satisfies ToWorker, transfer);
    });
  }

  /** The same kind of call on every worker (`make` gives each its own, since predict rows are transferred). */
  callEach<C extends WorkerCall>(make: () => C): Promise<Array<PromiseSettledResult<WorkerResults[C['kind']]>>> {
    if (this.closing) return Promise.resolve([]);
    return Promise.allSettled(this.slots.map((slot) => this.callOn(slot, make())));
  }

  /**
   * Tensor counts and memory of every worker that answers within `timeoutMs` (a worker in a training step answers
   * when the step ends; one that does not answer in time is left out).
   */
  async stats(timeoutMs = 1000): Promise<WorkerStats[]> {
    if (this.closing) return [];
    const answers = await Promise.all(
      this.slots.map((slot) => {
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
        const asked = this.callOn(slot, { kind: 'stats' }).catch(() => null);
        return Promise.race([asked, late]).finally(() => clearTimeout(timer));
      }),
    );
    return answers.filter((a): a is WorkerStats => a !== null);
  }

  /** The least-loaded worker, preferring workers without a job (a training worker answers only between steps). */
  private pickCallSlot(): Slot {
    let best = this.slots[0]!;
    for (const s of this.slots) {
      const d = Number(!!s.jobId) - Number(!!best.jobId) || s.inflight - best.inflight;
      if (d < 0) best = s;
    }
    return best;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private post(slot: Slot, msg: ToWorker): void {
    slot.worker.postMessage(msg);
  }

  private spawn(index: number): Promise<void> {
    const { file, execArgv } = workerEntry();
    const worker = new Worker(file, { execArgv });
    const slot: Slot = { index, worker, backend: '', compute: null, jobId: null, inflight: 0 };
    this.slots[index] = slot;
    return new Promise<void>((resolve, reject) => {
      let ready = false;
      worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') {
          ready = true;
          slot.backend = msg.backend;
          slot.compute = { path: msg.path, provider: msg.provider, reason: msg.reason, skipped: msg.skipped };
          this.opts.logger.debug({ worker: index, backend: msg.backend, path: msg.path, provider: msg.provider, why: msg.reason }, 'worker ready');
          resolve();
        } else if (msg.type === 'initFailed') {
          reject(fromWire(msg.error));
        } else {
          this.onMessage(slot, msg);
        }
      });
      worker.on('error', (err) => {
        this.opts.logger.error({ err, worker: index }, 'worker error');
        if (!ready) reject(err);
      });
      worker.on('exit', (code) => {
        if (!ready) return reject(new Error(`worker ${index} exited during start-up (code ${code})`));
        this.onExit(slot, code);
      });
      this.post(slot, { type: 'init', backend: this.opts.backend, modelCacheSize: this.opts.modelCacheSize, workerIndex: index });
    });
  }

  private onMessage(slot: Slot, msg: FromWorker): void {
    if (msg.type === 'result' || msg.type === 'callFailed') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      slot.inflight--;
      if (msg.type === 'result') p.resolve(msg.result);
      else p.reject(fromWire(msg.error));
      return;
    }
    if (msg.type === 'progress' || msg.type === 'trained' || msg.type === 'jobFailed') {
      const entry = this.jobs.get(msg.jobId);
      if (!entry) return;
      if (msg.type !== 'progress') this.releaseJob(msg.jobId);
      entry.listener.onMessage(msg);
    }
  }

  private releaseJob(jobId: string): void {
    const entry = this.jobs.get(jobId);
    if (!entry) return;
    entry.slot.jobId = null;
    this.jobs.delete(jobId);
    this.opts.onBusyChange?.(this.jobs.size);
  }

  /** A dead worker fails its own calls and job, and is replaced (unless the pool is closing). */
  private onExit(slot: Slot, code: number): void {
    if (this.closing) return;
    this.opts.logger.error({ worker: slot.index, code }, 'worker exited; replacing it');
    for (const [id, p] of this.pending) {
      if (p.slot !== slot) continue;
      this.pending.delete(id);
      p.reject(new UnavailableError(`worker ${slot.index} exited`));
    }
    if (slot.jobId) {
      const jobId = slot.jobId;
      const entry = this.jobs.get(jobId);
      this.releaseJob(jobId);
      entry?.listener.onMessage({ type: 'jobFailed', jobId, error: { name: 'Error', message: `worker ${slot.index} exited (code ${code})` } });
    }
    this.spawn(slot.index).catch((err: unknown) => this.opts.logger.error({ err, worker: slot.index }, 'could not replace worker'));
  }
}

/** The answer's value when it answers a call of `kind` (checked here, once, so no caller casts a result). */
function valueFor<K extends CallKind>(r: WorkerResult, kind: K): WorkerResults[K] | undefined {
  return r.kind === kind ? (r.value as WorkerResults[K]) : undefined;
}

/** The compiled worker (dist/) or, when running from sources, worker-main.ts through tsx (worker-boot.mjs). */
function workerEntry(): { file: URL; execArgv: string[] } {
  const js = new URL('./worker-main.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { file: js, execArgv: [] };
  return { file: new URL('./worker-boot.mjs', import.meta.url), execArgv: [] };
}
