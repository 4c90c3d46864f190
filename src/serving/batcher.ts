/**
 * Dynamic batching for Predict: concurrent requests for the same model version, tasks, top_k and threshold are
 * coalesced into one forward pass. A request goes out at once while fewer than `concurrency` batches of its kind
 * are in flight (so a lone client pays no waiting); beyond that, requests queue and leave together when a batch
 * returns, when `maxBatch` rows are waiting, or after `maxDelayMs` at the latest.
 */
import { CancelledError } from '../errors/errors.js';
import type { WorkerPool } from '../workers/pool.js';
import type { PredictCall, PredictTaskResult } from '../workers/protocol.js';

export interface BatcherOptions {
  /** Largest number of rows in one forward pass. */
  maxBatch: number;
  /** Longest a queued request waits for a batch to form, ms. */
  maxDelayMs: number;
  /** Batches of one kind in flight before requests start to queue (the worker count serves well). */
  concurrency: number;
}

interface Pending {
  call: PredictCall;
  signal: AbortSignal | undefined;
  resolve: (r: PredictTaskResult[]) => void;
  reject: (e: unknown) => void;
}

interface Lane {
  queue: Pending[];
  rows: number;
  inFlight: number;
  timer: NodeJS.Timeout | undefined;
}

export class PredictBatcher {
  private readonly lanes = new Map<string, Lane>();

  constructor(
    private readonly pool: Pick<WorkerPool, 'call'>,
    private readonly o: BatcherOptions,
  ) {}

  /** `signal`: the caller's cancellation or deadline; a request cancelled while queued never reaches a worker. */
  predict(call: PredictCall, signal?: AbortSignal): Promise<PredictTaskResult[]> {
    const key = `${call.modelKey}|${call.tasks.join(',')}|${call.topK}|${call.threshold}`;
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { queue: [], rows: 0, inFlight: 0, timer: undefined };
      this.lanes.set(key, lane);
    }
    const l = lane;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(new CancelledError('Predict cancelled by the caller'));
      l.queue.push({ call, signal, resolve, reject });
      l.rows += call.n;
      if (l.inFlight < this.o.concurrency || l.rows >= this.o.maxBatch) this.flush(key, l);
      else l.timer ??= setTimeout(() => this.flush(key, l), this.o.maxDelayMs);
    });
  }

  private flush(key: string, lane: Lane): void {
    clearTimeout(lane.timer);
    lane.timer = undefined;
    // Take whole requests up to maxBatch rows (a single larger request still goes alone).
    const batch: Pending[] = [];
    let rows = 0;
    let taken = 0;
    while (lane.queue.length && (batch.length === 0 || rows + lane.queue[0]!.call.n <= this.o.maxBatch)) {
      const p = lane.queue.shift()!;
      taken += p.call.n;
      if (p.signal?.aborted) {
        p.reject(new CancelledError('Predict cancelled by the caller'));
        continue;
      }
      batch.push(p);
      rows += p.call.n;
    }
    lane.rows -= taken;
    if (!batch.length) return;
    lane.inFlight++;
    const first = batch[0]!.call;
    const D = first.x.length / first.n;
    const x = batch.length === 1 ? first.x : new Float32Array(rows * D);
    if (batch.length > 1) {
      let o = 0;
      for (const p of batch) {
        x.set(p.call.x, o);
        o += p.call.x.length;
      }
    }
    this.pool.call<PredictTaskResult[]>({ ...first, x, n: rows }).then(
      (results) => {
        let offset = 0;
        for (const p of batch) {
          p.resolve(results.map((r) => slice(r, offset, p.call.n, rows)));
          offset += p.call.n;
        }
      },
      (err: unknown) => batch.forEach((p) => p.reject(err)),
    ).finally(() => {
      lane.inFlight--;
      if (lane.queue.length) this.flush(key, lane);
      else if (lane.inFlight === 0) this.lanes.delete(key);
    });
  }
}

function slice(r: PredictTaskResult, offset: number, n: number, total: number): PredictTaskResult {
  const k = r.indices.length / total;
  return {
    task: r.task,
    indices: r.indices.subarray(offset * k, (offset + n) * k),
    scores: r.scores.subarray(offset * k, (offset + n) * k),
    counts: r.counts.subarray(offset, offset + n),
  };
}
