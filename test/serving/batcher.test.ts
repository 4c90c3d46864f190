/** Dynamic batching of Predict calls, against a stub pool that records the batches it is asked to run. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PIPELINE_LEAD_MS, PredictBatcher } from '../../src/serving/batcher.js';
import type { PredictCall, PredictResult, PredictTaskResult } from '../../src/workers/protocol.js';

/**
 * Answers each row with class index = the row's first feature, so a wrong slice is visible; each batch reports
 * `msPerRow` x its rows of compute time. Records the batches' rows and the worker each was asked to run on.
 */
function stubPool(msPerRow = 0): {
  calls: number[];
  workers: Array<number | undefined>;
  release: () => void;
  pool: { call(c: PredictCall, worker?: number): Promise<PredictResult>; nextWorker(): number };
} {
  const calls: number[] = [];
  const workers: Array<number | undefined> = [];
  let waiting: Array<() => void> = [];
  return {
    calls,
    workers,
    release: () => {
      const w = waiting;
      waiting = [];
      w.forEach((f) => f());
    },
    pool: {
      nextWorker: () => 0,
      call(p: PredictCall, worker?: number): Promise<PredictResult> {
        calls.push(p.n);
        workers.push(worker);
        const D = p.x.length / p.n;
        const result: PredictTaskResult = {
          task: p.tasks[0]!,
          indices: Int32Array.from({ length: p.n }, (_, i) => p.x[i * D]!),
          scores: Float32Array.from({ length: p.n }, () => 0.5),
          counts: Int32Array.from({ length: p.n }, () => 1),
        };
        return new Promise((resolve) => waiting.push(() => resolve({ tasks: [result], computeMs: msPerRow * p.n })));
      },
    },
  };
}

const call = (rows: number[]): PredictCall => ({
  kind: 'predict',
  modelDir: '/m',
  modelKey: 'm/1',
  x: Float32Array.from(rows.flatMap((r) => [r, 0])),
  n: rows.length,
  tasks: [0],
  topK: 1,
  threshold: null,
  allScores: false,
});

describe('PredictBatcher', () => {
  it('sends a lone request at once and coalesces the ones that arrive while it runs', async () => {
    const stub = stubPool();
    const b = new PredictBatcher(stub.pool, { maxBatch: 64, maxDelayMs: 1000, concurrency: 1 });
    const first = b.predict(call([1]));
    const rest = [b.predict(call([2])), b.predict(call([3, 4])), b.predict(call([5]))];
    expect(stub.calls).toEqual([1]);
    stub.release();
    await first;
    await new Promise((r) => setImmediate(r)); // the next batch leaves when the first has settled
    expect(stub.calls).toEqual([1, 4]);
    stub.release();
    const answers = await Promise.all(rest);
    expect(answers.map((a) => Array.from(a[0]!.indices))).toEqual([[2], [3, 4], [5]]);
    expect(answers.map((a) => Array.from(a[0]!.counts))).toEqual([[1], [1, 1], [1]]);
  });

  it('queues while every slot is busy, then sends the queue in batches of at most maxBatch rows', async () => {
    const stub = stubPool();
    const b = new PredictBatcher(stub.pool, { maxBatch: 3, maxDelayMs: 5, concurrency: 1 });
    const all = [1, 2, 3, 4, 5].map((r) => b.predict(call([r])));
    expect(stub.calls).toEqual([1]); // the first alone; nothing else while it runs, even past maxBatch rows
    await new Promise((r) => setTimeout(r, 20));
    expect(stub.calls).toEqual([1]); // nor after maxDelayMs: with no batch measured yet, nothing is sent behind it
    stub.release();
    await all[0];
    await new Promise((r) => setImmediate(r));
    // 3 rows, then (a batch costs nothing here, so it ends well within PIPELINE_LEAD_MS) the rest behind them.
    expect(stub.calls).toEqual([1, 3, 1]);
    expect(stub.workers).toEqual([0, 0, 0]);
    stub.release();
    expect((await Promise.all(all)).map((a) => a[0]!.indices[0])).toEqual([1, 2, 3, 4, 5]);
  });

  describe('with a measured compute time', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('holds the next batch back until PIPELINE_LEAD_MS before the running one should end, then sends it to the same worker', async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] });
      const stub = stubPool(2); // 2 ms of compute a row
      const b = new PredictBatcher(stub.pool, { maxBatch: 64, maxDelayMs: 1, concurrency: 1 });
      const warm = b.predict(call([0]));
      stub.release();
      await warm; // measured: 2 ms a row (remembered after the lane empties)
      const running = b.predict(call([1, 2, 3, 4, 5])); // an idle lane: at once; expected to end in 10 ms
      const early = b.predict(call([6]));
      expect(stub.calls).toEqual([1, 5]);
      await vi.advanceTimersByTimeAsync(10 - PIPELINE_LEAD_MS - 1);
      expect(stub.calls).toEqual([1, 5]); // too early: more requests may still join
      const joining = b.predict(call([7]));
      await vi.advanceTimersByTimeAsync(1);
      expect(stub.calls).toEqual([1, 5, 2]); // queued behind the running batch, on its worker
      const late = b.predict(call([8]));
      await vi.advanceTimersByTimeAsync(50);
      expect(stub.calls).toEqual([1, 5, 2]); // one batch waits on the worker at most: this one waits for a return
      stub.release();
      await Promise.all([running, early, joining]);
      expect(stub.calls).toEqual([1, 5, 2, 1]);
      expect(stub.workers).toEqual([0, 0, 0, 0]);
      stub.release();
      expect((await Promise.all([running, early, joining, late])).map((a) => Array.from(a[0]!.indices))).toEqual([[1, 2, 3, 4, 5], [6], [7], [8]]);
    });
  });

  it('uses a second slot after maxDelayMs, or at once when maxBatch rows wait', async () => {
    const stub = stubPool();
    const b = new PredictBatcher(stub.pool, { maxBatch: 3, maxDelayMs: 5, concurrency: 2 });
    const first = b.predict(call([1]));
    const second = b.predict(call([2]));
    expect(stub.calls).toEqual([1]);
    await new Promise((r) => setTimeout(r, 20));
    expect(stub.calls).toEqual([1, 1]); // the delay passed with a slot free
    stub.release();
    await Promise.all([first, second]);
    const big = [b.predict(call([3])), b.predict(call([4, 5, 6]))];
    expect(stub.calls).toEqual([1, 1, 1, 3]); // the first on an idle lane, then 3 rows = maxBatch at once
    stub.release();
    expect((await Promise.all(big)).map((a) => Array.from(a[0]!.indices))).toEqual([[3], [4, 5, 6]]);
  });

  it('counts only the workers without a training job as slots', async () => {
    const stub = stubPool();
    let serving = 1;
    const pool = { call: stub.pool.call, nextWorker: stub.pool.nextWorker, servingWorkers: () => serving };
    const b = new PredictBatcher(pool, { maxBatch: 64, maxDelayMs: 1, concurrency: 2 });
    const a = [b.predict(call([1])), b.predict(call([2]))];
    await new Promise((r) => setTimeout(r, 10));
    expect(stub.calls).toEqual([1]); // one worker trains: the second request waits for the first batch
    serving = 2;
    const c = b.predict(call([3]));
    await new Promise((r) => setTimeout(r, 10));
    expect(stub.calls).toEqual([1, 2]); // both queued requests go together to the second slot
    stub.release();
    expect((await Promise.all([...a, c])).map((x) => x[0]!.indices[0])).toEqual([1, 2, 3]);
  });

  it('copies packed little-endian rows of any alignment into the batch', async () => {
    const stub = stubPool();
    const b = new PredictBatcher(stub.pool, { maxBatch: 64, maxDelayMs: 1000, concurrency: 1 });
    const packed = (rows: number[], offset: number): Uint8Array => {
      const f = Float32Array.from(rows.flatMap((r) => [r, 0]));
      const buf = new Uint8Array(f.byteLength + offset);
      buf.set(new Uint8Array(f.buffer), offset);
      return buf.subarray(offset);
    };
    const first = b.predict({ ...call([1]), x: packed([1], 3) });
    const rest = [b.predict({ ...call([2]), x: packed([2], 1) }), b.predict({ ...call([7, 8]), x: packed([7, 8], 2) })];
    stub.release();
    await first;
    await new Promise((r) => setImmediate(r));
    stub.release();
    const answers = await Promise.all([first, ...rest]);
    expect(answers.map((a) => Array.from(a[0]!.indices))).toEqual([[1], [2], [7, 8]]);
  });

  it('keeps different tasks and top_k apart and rejects every request of a failed batch', async () => {
    const calls: number[] = [];
    const pool = {
      call(c: PredictCall): Promise<PredictResult> {
        calls.push(c.n);
        return Promise.reject(new Error('worker gone'));
      },
    };
    const b = new PredictBatcher(pool, { maxBatch: 64, maxDelayMs: 1, concurrency: 4 });
    const r = await Promise.allSettled([b.predict(call([1])), b.predict({ ...call([2]), topK: 5 })]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'rejected']);
    expect(calls).toEqual([1, 1]);
  });
});

describe('PredictBatcher and cancelled calls', () => {
  it('drops a queued request whose caller cancelled before its batch left', async () => {
    const stub = stubPool();
    const b = new PredictBatcher(stub.pool, { maxBatch: 64, maxDelayMs: 1000, concurrency: 1 });
    const first = b.predict(call([1]));
    const ctl = new AbortController();
    const cancelled = b.predict(call([2]), ctl.signal).then(
      () => 'answered',
      (e: unknown) => String(e),
    );
    const kept = b.predict(call([3]));
    ctl.abort();
    stub.release();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(stub.calls).toEqual([1, 1]); // only the request still wanted went out
    expect(await cancelled).toMatch(/cancelled/);
    stub.release();
    expect((await kept)[0]!.indices[0]).toBe(3);
  });
});

describe('PredictBatcher, all-scores calls (Open Inference Protocol)', () => {
  it('keeps them in their own lane and hands each request its rows of C scores', async () => {
    const C = 3;
    const seen: PredictCall[] = [];
    let waiting: Array<() => void> = [];
    const pool = {
      call(p: PredictCall): Promise<PredictResult> {
        seen.push(p);
        const D = p.x.length / p.n;
        // Row i's scores are its first feature + 0, 0.25, 0.5; indices and counts empty, as the worker answers.
        const result: PredictTaskResult = p.allScores
          ? { task: 0, indices: new Int32Array(0), scores: Float32Array.from({ length: p.n * C }, (_, j) => p.x[Math.floor(j / C) * D]! + (j % C) / 4), counts: new Int32Array(0) }
          : { task: 0, indices: new Int32Array(p.n), scores: new Float32Array(p.n), counts: new Int32Array(p.n).fill(1) };
        return new Promise((resolve) => waiting.push(() => resolve({ tasks: [result], computeMs: 0 })));
      },
    };
    const release = (): void => {
      const w = waiting;
      waiting = [];
      w.forEach((f) => f());
    };
    const b = new PredictBatcher(pool, { maxBatch: 64, maxDelayMs: 1000, concurrency: 1 });
    const all = (rows: number[]): PredictCall => ({ ...call(rows), allScores: true, topK: 0 });
    const first = b.predict(all([1]));
    const top = b.predict(call([9])); // another lane: leaves at once beside the all-scores batch
    const queued = [b.predict(all([2, 3])), b.predict(all([4]))];
    expect(seen.map((p) => [p.allScores, p.n])).toEqual([[true, 1], [false, 1]]);
    release();
    await Promise.all([first, top]);
    await new Promise((r) => setImmediate(r));
    expect(seen.map((p) => [p.allScores, p.n])).toEqual([[true, 1], [false, 1], [true, 3]]);
    release();
    const [a, c] = await Promise.all(queued);
    expect(Array.from(a![0]!.scores)).toEqual([2, 2.25, 2.5, 3, 3.25, 3.5]);
    expect(Array.from(c![0]!.scores)).toEqual([4, 4.25, 4.5]);
    expect([a![0]!.indices.length, a![0]!.counts.length]).toEqual([0, 0]);
  });
});
