/**
 * Dynamic batching for Predict: concurrent requests for the same model version, tasks, top_k and threshold (or all scores) are
 * coalesced into one forward pass (continuous batching, as in Triton's dynamic batcher).
 *
 * Each kind of request has a lane with at most `concurrency` batches in flight (fewer while workers train: only
 * the workers without a job count). A request that finds its lane idle goes out at once, so a lone client pays no
 * waiting. Otherwise it queues; queued requests leave together, up to `maxBatch` rows, as soon as a batch of the
 * lane returns, or after `maxDelayMs` if the lane has a free slot then. No batch is sent to a worker that is
 * already busy with one of the lane's batches: while every slot is busy the queue just grows, and the next batch
 * takes all of it, which is what keeps batches large (and the cost per example low) under load.
 */
import { CancelledError } from '../errors/errors.js';
import type { WorkerPool } from '../workers/pool.js';
import type { PredictCall, PredictTaskResult } from '../workers/protocol.js';

export interface BatcherOptions {
  /** Largest number of rows in one forward pass (a single larger request still goes alone). */
  maxBatch: number;
  /** Longest a queued request waits for a batch to form while the lane has a free slot, ms. */
  maxDelayMs: number;
  /** Batches of one kind in flight at most (the worker count serves well). */
  concurrency: number;
  /** Called with the rows of each batch sent to a worker (a metric). */
  onBatch?: (rows: number) => void;
}

/**
 * One request as the batcher takes it: a PredictCall whose rows may also be the request's packed little-endian
 * float32 bytes as they arrived (any alignment, a view on gRPC's buffer): they are copied once, into the batch.
 */
export type BatchRequest = Omit<PredictCall, 'kind' | 'x'> & { x: Float32Array | Uint8Array };

/** The part of the pool the batcher needs; `servingWorkers` (workers without a training job) is optional. */
export type BatcherPool = { call(call: PredictCall): Promise<PredictTaskResult[]> } & Partial<Pick<WorkerPool, 'servingWorkers'>>;

interface Pending {
  call: BatchRequest;
  signal: AbortSignal | undefined;
  resolve: (r: PredictTaskResult[]) => void;
  reject: (e: unknown) => void;
}

interface Lane {
  key: string;
  queue: Pending[];
  /** Index of the first request of `queue` still waiting (the queue is consumed from the front without shifting). */
  head: number;
  rows: number;
  inFlight: number;
  timer: NodeJS.Timeout | undefined;
}

export class PredictBatcher {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly pool: BatcherPool,
    private readonly o: BatcherOptions,
  ) {}

  /** `signal`: the caller's cancellation or deadline; a request cancelled while queued never reaches a worker. */
  predict(call: BatchRequest, signal?: AbortSignal): Promise<PredictTaskResult[]> {
    if (signal?.aborted) return Promise.reject(new CancelledError('Predict cancelled by the caller'));
    const key = laneKey(call);
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { key, queue: [], head: 0, rows: 0, inFlight: 0, timer: undefined };
      this.lanes.set(key, lane);
    }
    const l = lane;
    return new Promise((resolve, reject) => {
      l.queue.push({ call, signal, resolve, reject });
      l.rows += call.n;
      this.schedule(l);
    });
  }

  /** Decides when the lane's queue leaves: now, after maxDelayMs, or when a batch returns. */
  private schedule(l: Lane): void {
    if (l.head >= l.queue.length) return;
    if (l.inFlight === 0) return this.flush(l);
    if (l.inFlight >= this.slots()) return; // every slot is busy: the next returning batch takes the queue
    if (l.rows >= this.o.maxBatch || this.o.maxDelayMs <= 0) return this.flush(l);
    l.timer ??= setTimeout(() => this.onTimer(l), this.o.maxDelayMs);
  }

  private slots(): number {
    const serving = this.pool.servingWorkers?.() ?? this.o.concurrency;
    return Math.max(1, Math.min(this.o.concurrency, serving));
  }

  private onTimer(lane: Lane): void {
    lane.timer = undefined;
    if (lane.head < lane.queue.length && lane.inFlight < this.slots()) this.flush(lane);
  }

  private flush(lane: Lane): void {
    clearTimeout(lane.timer);
    lane.timer = undefined;
    // Take whole requests up to maxBatch rows (a single larger request still goes alone).
    const q = lane.queue;
    const batch: Pending[] = [];
    let rows = 0;
    while (lane.head < q.length && (batch.length === 0 || rows + q[lane.head]!.call.n <= this.o.maxBatch)) {
      const p = q[lane.head]!;
      q[lane.head++] = undefined as unknown as Pending;
      lane.rows -= p.call.n;
      if (p.signal?.aborted) {
        p.reject(new CancelledError('Predict cancelled by the caller'));
        continue;
      }
      batch.push(p);
      rows += p.call.n;
    }
    if (lane.head === q.length) {
      q.length = 0;
      lane.head = 0;
    } else if (lane.head > 1024 && lane.head * 2 > q.length) {
      q.splice(0, lane.head);
      lane.head = 0;
    }
    if (!batch.length) {
      if (lane.inFlight === 0) this.lanes.delete(lane.key);
      return;
    }
    lane.inFlight++;
    this.o.onBatch?.(rows);
    const first = batch[0]!.call;
    const fx = first.x;
    let x: Float32Array;
    if (batch.length === 1 && fx instanceof Float32Array && fx.byteOffset === 0 && fx.byteLength === fx.buffer.byteLength && !(fx.buffer instanceof SharedArrayBuffer)) {
      x = fx; // owns its whole buffer: transferred as it is
    } else {
      // The one copy of the rows on the way to the worker (this buffer is transferred, not copied again).
      x = new Float32Array((fx.byteLength / 4 / first.n) * rows);
      const bytes = new Uint8Array(x.buffer);
      let o = 0;
      for (const p of batch) {
        const src = p.call.x;
        bytes.set(src instanceof Uint8Array ? src : new Uint8Array(src.buffer, src.byteOffset, src.byteLength), o);
        o += src.byteLength;
      }
    }
    const call: PredictCall = { kind: 'predict', modelDir: first.modelDir, modelKey: first.modelKey, x, n: rows, tasks: first.tasks, topK: first.topK, threshold: first.threshold, allScores: first.allScores };
    this.schedule(lane); // what is left (more than maxBatch rows were queued) may use another free slot
    this.pool.call(call).then(
      (results) => {
        this.done(lane);
        if (batch.length === 1) return batch[0]!.resolve(results);
        let offset = 0;
        for (const p of batch) {
          p.resolve(results.map((r) => slice(r, offset, p.call.n, rows)));
          offset += p.call.n;
        }
      },
      (err: unknown) => {
        this.done(lane);
        for (const p of batch) p.reject(err);
      },
    );
  }

  /**
   * A batch of the lane came back: the next one leaves before the answers of this one are handed out, so the worker
   * computes while the event loop encodes and sends them.
   */
  private done(lane: Lane): void {
    lane.inFlight--;
    if (lane.head < lane.queue.length) this.flush(lane);
    else if (lane.inFlight === 0) this.lanes.delete(lane.key);
  }
}

function laneKey(call: BatchRequest): string {
  const tasks = call.tasks.length === 1 ? String(call.tasks[0]) : call.tasks.join(',');
  return `${call.modelKey}|${tasks}|${call.allScores ? 'all' : `${call.topK}|${call.threshold}`}`;
}

/** A request's rows of a batch's result: each array holds the same number of values per row (0 for unused ones). */
function slice(r: PredictTaskResult, offset: number, n: number, total: number): PredictTaskResult {
  const rows = <A extends Int32Array | Float32Array>(a: A): A => {
    const per = a.length / total;
    return a.subarray(offset * per, (offset + n) * per) as A;
  };
  return { task: r.task, indices: rows(r.indices), scores: rows(r.scores), counts: rows(r.counts) };
}
