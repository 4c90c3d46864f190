/** Dynamic batching of Predict calls, against a stub pool that records the batches it is asked to run. */
import { describe, expect, it } from 'vitest';
import { PredictBatcher } from '../../src/serving/batcher.js';
import type { PredictCall, PredictTaskResult, WorkerCall } from '../../src/workers/protocol.js';

/** Answers each row with class index = the row's first feature, so a wrong slice is visible. */
function stubPool(): { calls: number[]; release: () => void; pool: { call<T>(c: WorkerCall): Promise<T> } } {
  const calls: number[] = [];
  let waiting: Array<() => void> = [];
  return {
    calls,
    release: () => {
      const w = waiting;
      waiting = [];
      w.forEach((f) => f());
    },
    pool: {
      call<T>(c: WorkerCall): Promise<T> {
        const p = c as PredictCall;
        calls.push(p.n);
        const D = p.x.length / p.n;
        const result: PredictTaskResult = {
          task: p.tasks[0]!,
          indices: Int32Array.from({ length: p.n }, (_, i) => p.x[i * D]!),
          scores: Float32Array.from({ length: p.n }, () => 0.5),
          counts: Int32Array.from({ length: p.n }, () => 1),
        };
        return new Promise<T>((resolve) => waiting.push(() => resolve([result] as T)));
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

  it('never exceeds maxBatch rows and flushes after maxDelayMs when nothing returns', async () => {
    const stub = stubPool();
    const b = new PredictBatcher(stub.pool, { maxBatch: 3, maxDelayMs: 5, concurrency: 1 });
    const all = [1, 2, 3, 4, 5].map((r) => b.predict(call([r])));
    expect(stub.calls).toEqual([1, 3]); // the first alone, then a full batch of 3 at once
    await new Promise((r) => setTimeout(r, 20));
    expect(stub.calls).toEqual([1, 3, 1]); // the last one after the delay
    stub.release();
    expect((await Promise.all(all)).map((a) => a[0]!.indices[0])).toEqual([1, 2, 3, 4, 5]);
  });

  it('keeps different tasks and top_k apart and rejects every request of a failed batch', async () => {
    const calls: number[] = [];
    const pool = {
      call<T>(c: WorkerCall): Promise<T> {
        calls.push((c as PredictCall).n);
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
