/**
 * Dynamic batching for Predict: concurrent requests for the same model version, tasks, top_k and threshold (or all scores) are
 * coalesced into one forward pass (continuous batching, as in Triton's dynamic batcher).
 *
 * Each kind of request has a lane that uses at most `concurrency` workers at once (fewer while workers train: only
 * the workers without a job count). A request that finds its lane idle goes out at once, so a lone client pays no
 * waiting. Otherwise it queues; queued requests leave together, up to `maxBatch` rows, when a batch of the lane
 * returns, or after `maxDelayMs` if the lane has a worker to spare then. While every worker of the lane is busy the
 * queue grows, and the next batch takes all of it, which keeps batches large (and the cost per example low) under
 * load; that batch is sent shortly before the worker is expected to finish (PIPELINE_LEAD_MS ahead, from the lane's
 * measured time per row) and waits in the worker's queue, so the worker starts it without the round trip through the
 * event loop. Measured with 64 clients on 2 cores, that round trip (the result's message, a busy event loop, the next
 * batch's message, the worker thread's wake-up) left the worker idle ~1.2 ms of every ~8 ms batch.
 */
import { CancelledError } from '../errors/errors.js';
import type { WorkerPool } from '../workers/pool.js';
import type { PredictCall, PredictResult, PredictTaskResult } from '../workers/protocol.js';

export interface BatcherOptions {
  /** Largest number of rows in one forward pass (a single larger request still goes alone). */
  maxBatch: number;
  /** Longest a queued request waits for a batch to form while the lane has a free slot, ms. */
  maxDelayMs: number;
  /** Workers one kind of batch uses at once at most (the worker count serves well). */
  concurrency: number;
  /** Called with the rows of each batch sent to a worker (a metric). */
  onBatch?: (rows: number) => void;
}

/**
 * One request as the batcher takes it: a PredictCall whose rows may also be the request's packed little-endian
 * float32 bytes as they arrived (any alignment, a view on gRPC's buffer): they are copied once, into the batch.
 */
export type BatchRequest = Omit<PredictCall, 'kind' | 'x'> & { x: Float32Array | Uint8Array };

/**
 * The part of the pool the batcher needs: `call` on a given worker (its index, or the pool's choice), and optionally
 * `nextWorker` (the pool's choice for a new batch) and `servingWorkers` (workers without a training job).
 */
export type BatcherPool = { call(call: PredictCall, worker?: number): Promise<PredictResult> } & Partial<Pick<WorkerPool, 'servingWorkers' | 'nextWorker'>>;

/**
 * How long before a worker is expected to finish its batch the next one is sent to it: covers the messages between
 * the event loop and the worker (~0.5 ms each way under the 64-client load on 2 cores), a busy event loop's late
 * timer and the estimate's error. Measured there (bench/predict-load.ts, two runs each): 1 ms 2,983-3,246 ex/s,
 * 2 ms 3,237-3,329, 3 ms 3,369-3,406, 4 ms 3,153-3,340 (earlier sends make smaller batches).
 */
export const PIPELINE_LEAD_MS = 3;

interface Pending {
  call: BatchRequest;
  /** When it was queued (performance.now() ms). */
  at: number;
  signal: AbortSignal | undefined;
  resolve: (r: PredictTaskResult[]) => void;
  reject: (e: unknown) => void;
}

/** A worker's share of a lane: the batch it computes and at most one sent to wait behind it. */
interface Track {
  /** The pool's index of the worker (undefined when the pool does not say). */
  worker: number | undefined;
  /** Rows of the track's batches in flight, the running one first. */
  batches: number[];
  /** When the worker is expected to finish them (performance.now() ms). */
  busyUntil: number;
}

interface Lane {
  key: string;
  queue: Pending[];
  /** Index of the first request of `queue` still waiting (the queue is consumed from the front without shifting). */
  head: number;
  rows: number;
  tracks: Track[];
  timer: NodeJS.Timeout | undefined;
  /** When `timer` fires (performance.now() ms). */
  timerAt: number;
}

/** Lanes whose compute time per row is remembered after they empty (the most recently measured ones). */
const REMEMBERED_LANES = 256;

export class PredictBatcher {
  private readonly lanes = new Map<string, Lane>();
  /** Compute time per row in the worker by lane key (ms, a moving average), kept when a lane empties. */
  private readonly msPerRow = new Map<string, number>();

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
      lane = { key, queue: [], head: 0, rows: 0, tracks: [], timer: undefined, timerAt: 0 };
      this.lanes.set(key, lane);
    }
    const l = lane;
    return new Promise((resolve, reject) => {
      l.queue.push({ call, at: performance.now(), signal, resolve, reject });
      l.rows += call.n;
      this.schedule(l);
    });
  }

  /** Decides when the lane's queue leaves, and for which worker: now, after a while, or when a batch returns. */
  private schedule(l: Lane): void {
    if (l.head >= l.queue.length) return;
    if (l.tracks.length === 0) return this.flush(l, undefined);
    const full = l.rows >= this.o.maxBatch;
    if (l.tracks.length < this.slots()) {
      // A worker to spare: batch for up to maxDelayMs first.
      const left = this.o.maxDelayMs - (performance.now() - l.queue[l.head]!.at);
      if (full || left <= 0) return this.flush(l, undefined);
      return this.wake(l, left);
    }
    // Every worker of the lane is busy: queue the next batch behind the one that ends first, shortly before it ends.
    let next: Track | undefined;
    for (const t of l.tracks) if (t.batches.length === 1 && (!next || t.busyUntil < next.busyUntil)) next = t;
    const perRow = this.msPerRow.get(l.key);
    if (!next || perRow === undefined) return; // a returning batch takes the queue
    const wait = next.busyUntil - PIPELINE_LEAD_MS - performance.now();
    if (full || wait <= 0) return this.flush(l, next);
    this.wake(l, wait);
  }

  /** Runs schedule again in `ms` (or sooner, if it already is to). */
  private wake(l: Lane, ms: number): void {
    const at = performance.now() + ms;
    if (l.timer && l.timerAt <= at) return;
    clearTimeout(l.timer);
    l.timerAt = at;
    l.timer = setTimeout(() => {
      l.timer = undefined;
      this.schedule(l);
      if (l.head >= l.queue.length && l.tracks.length === 0 && !l.timer) this.lanes.delete(l.key);
    }, ms);
  }

  private slots(): number {
    const serving = this.pool.servingWorkers?.() ?? this.o.concurrency;
    return Math.max(1, Math.min(this.o.concurrency, serving));
  }

  /** Sends the queue's first requests (up to maxBatch rows) as one batch: behind `track`'s batch, or to a new worker. */
  private flush(lane: Lane, track: Track | undefined): void {
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
      if (lane.tracks.length === 0) this.lanes.delete(lane.key);
      return;
    }
    const sentAt = performance.now();
    const t = track ?? { worker: this.pool.nextWorker?.(), batches: [], busyUntil: sentAt };
    if (!track) lane.tracks.push(t);
    t.batches.push(rows);
    t.busyUntil = Math.max(t.busyUntil, sentAt) + (this.msPerRow.get(lane.key) ?? 0) * rows;
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
    this.pool.call(call, t.worker).then(
      ({ tasks: results, computeMs }) => {
        this.done(lane, t, computeMs);
        if (batch.length === 1) return batch[0]!.resolve(results);
        let offset = 0;
        for (const p of batch) {
          p.resolve(results.map((r) => slice(r, offset, p.call.n, rows)));
          offset += p.call.n;
        }
      },
      (err: unknown) => {
        this.done(lane, t, Number.NaN);
        for (const p of batch) p.reject(err);
      },
    );
    this.schedule(lane); // what is left (more than maxBatch rows were queued) may go to another worker, or behind this batch
  }

  /**
   * A batch of the lane came back: the next one leaves (or is timed) before the answers of this one are handed out,
   * so the worker computes while the event loop encodes and sends them.
   */
  private done(lane: Lane, t: Track, computeMs: number): void {
    const rows = t.batches.shift()!;
    if (computeMs >= 0) this.measured(lane.key, computeMs / rows);
    // A batch waiting behind this one starts now.
    if (t.batches.length) t.busyUntil = performance.now() + (this.msPerRow.get(lane.key) ?? 0) * t.batches[0]!;
    else lane.tracks.splice(lane.tracks.indexOf(t), 1);
    if (lane.head < lane.queue.length) this.schedule(lane);
    else if (lane.tracks.length === 0 && !lane.timer) this.lanes.delete(lane.key);
  }

  private measured(key: string, perRow: number): void {
    const before = this.msPerRow.get(key);
    this.msPerRow.delete(key); // re-inserted last: the map's order is that of the latest measurement
    this.msPerRow.set(key, before === undefined ? perRow : 0.8 * before + 0.2 * perRow);
    if (this.msPerRow.size > REMEMBERED_LANES) this.msPerRow.delete(this.msPerRow.keys().next().value!);
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
