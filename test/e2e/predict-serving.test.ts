/**
 * Predict's serving path over real gRPC against the real server process: many concurrent calls (coalesced by the
 * dynamic batcher into shared forward passes) each get exactly their own rows' answer, as computed locally from the
 * same saved model; /metrics shows the batches, the model loaded on every worker, and tensor counts that do not grow
 * under load; successful Predict calls write no per-call info line, failed ones do.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../src/domain/model-spec.js';
import type { PredictResponse__Output } from '../../src/grpc/generated/taan/v1/PredictResponse.js';
import type { TaanServiceClient } from '../../src/grpc/generated/taan/v1/TaanService.js';
import { loadModel, saveModel } from '../../src/model/artifact.js';
import { Network } from '../../src/model/network.js';
import { loadBlas } from '../../src/model/blas.js';
import { predictTask } from '../../src/model/predict.js';
import { useBackend } from '../helpers/backend.js';
import { call, startServer, type ServerProcess } from '../helpers/server-process.js';

const D = 32;
const CLASSES = [7, 5, 9];
const config: ModelConfig = {
  architecture: 'TAAN',
  inputDim: D,
  hiddenSizes: [16, 16],
  numBasis: 8,
  tasks: CLASSES.map((c, t) => ({ name: `t${t}`, labels: Array.from({ length: c }, (_, i) => `t${t}-c${i}`) })),
  measure: 'STANDARD',
};

let server: ServerProcess;
let client: TaanServiceClient;
let local: Network;

beforeAll(async () => {
  await useBackend('wasm');
  const stateDir = await mkdtemp(path.join(tmpdir(), 'taan-e2e-predict-'));
  const dir = path.join(stateDir, 'models', 'm', '1');
  const net = Network.create(config, 5);
  await saveModel(dir, net, {});
  net.dispose();
  local = (await loadModel(dir)).net;
  server = await startServer({ stateDir });
  client = server.client();
});
afterAll(async () => {
  local?.dispose();
  expect(await server.stop()).toBe(0);
});

function row(seed: number): number[] {
  return Array.from({ length: D }, (_, j) => Math.sin(seed * 1.7 + j * 0.31) * 2);
}

/** Top-k of one task for one row, computed here from the same model the server loaded. */
function expected(x: number[], task: number, k: number): Array<{ index: number; score: number }> {
  const s = predictTask(local, Float32Array.from(x), 1, task);
  return Array.from(s, (score, index) => ({ index, score }))
    .sort((a, b) => b.score - a.score || a.index - b.index)
    .slice(0, k);
}

function expectAnswer(got: Array<{ index: number; label: string; score: number }>, want: Array<{ index: number; score: number }>, task: number): void {
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => {
    expect(g.score).toBeCloseTo(want[i]!.score, 5);
    // Equal scores may come in either order; otherwise the same class at the same place.
    if (Math.abs(want[i]!.score - (want[i + 1]?.score ?? -1)) > 1e-5 && Math.abs(want[i]!.score - (want[i - 1]?.score ?? -1)) > 1e-5) expect(g.index).toBe(want[i]!.index);
    expect(g.label).toBe(`t${task}-c${g.index}`);
  });
}

async function scrape(): Promise<string> {
  for (let i = 0; ; i++) {
    try {
      return await (await fetch(server.metricsUrl)).text();
    } catch (err) {
      if (i > 3) throw err;
    }
  }
}

function perWorker(text: string, name: string): Record<string, number> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`))
      .map((l) => [/worker="(\d+)"/.exec(l)![1]!, Number(l.split(' ').pop())]),
  );
}

describe('Predict under concurrency', () => {
  it('answers each of 96 concurrent calls with its own rows, as computed locally', async () => {
    const calls = Array.from({ length: 96 }, (_, i) => {
      const rows = [row(i), ...(i % 5 === 0 ? [row(i + 1000)] : [])];
      const task = i % 3;
      const topK = i % 2 ? 3 : 4;
      const packed = i % 4 !== 0;
      const req = packed
        ? { model: { name: 'm' }, features_f32: Buffer.from(new Float32Array(rows.flat()).buffer), num_examples: rows.length, tasks: [`t${task}`], top_k: topK }
        : { model: { name: 'm' }, examples: rows.map((f, j) => ({ id: `r${i}-${j}`, features: f })), tasks: [`t${task}`], top_k: topK };
      return { rows, task, topK, packed, i, answer: call<PredictResponse__Output>(client, 'Predict', req) };
    });
    for (const c of calls) {
      const res = await c.answer;
      expect(res.model!.name).toBe('m');
      expect(res.model!.version).toBe(1);
      expect(res.results).toHaveLength(c.rows.length);
      res.results.forEach((r, j) => {
        expect(r.id).toBe(c.packed ? String(j) : `r${c.i}-${j}`);
        expect(r.tasks.map((t) => t.task)).toEqual([`t${c.task}`]);
        expectAnswer(r.tasks[0]!.classes, expected(c.rows[j]!, c.task, c.topK), c.task);
      });
    }
    const text = await scrape();
    const count = Number(/^taan_predict_batch_rows_count (\S+)/m.exec(text)![1]);
    const sum = Number(/^taan_predict_batch_rows_sum (\S+)/m.exec(text)![1]);
    expect(sum).toBeGreaterThanOrEqual(96 + 20); // every row went through a forward pass (plus the warm-up rows)
    expect(count).toBeLessThan(96); // and concurrent calls shared passes
  });

  it('answers every task when none is named, and a threshold cuts classes', async () => {
    const x = row(7);
    const res = await call<PredictResponse__Output>(client, 'Predict', { model: { name: 'm' }, examples: [{ features: x }], top_k: 100 });
    expect(res.results[0]!.tasks.map((t) => t.task)).toEqual(['t0', 't1', 't2']);
    res.results[0]!.tasks.forEach((t, task) => expectAnswer(t.classes, expected(x, task, CLASSES[task]!), task));
    const cut = await call<PredictResponse__Output>(client, 'Predict', { model: { name: 'm' }, examples: [{ features: x }], tasks: ['t2'], top_k: 9, threshold: 0.5 });
    const want = expected(x, 2, 9).filter((c) => c.score >= 0.5);
    expectAnswer(cut.results[0]!.tasks[0]!.classes, want, 2);
  });

  it('loads the model on every worker, and tensor counts stay flat under repeated load', async () => {
    const features = Buffer.from(new Float32Array(row(1)).buffer);
    const burst = (): Promise<unknown> =>
      Promise.all(Array.from({ length: 64 }, () => call(client, 'Predict', { model: { name: 'm' }, features_f32: features, num_examples: 1, tasks: ['t1'] })));
    await burst();
    const before = perWorker(await scrape(), 'taan_worker_tensors');
    expect(Object.keys(before).sort()).toEqual(['0', '1']);
    // On tfjs a loaded model holds tensors; the server's native BLAS path (auto, where the addon is built) holds none.
    if (!loadBlas()) for (const n of Object.values(before)) expect(n).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) await burst();
    const text = await scrape();
    expect(perWorker(text, 'taan_worker_tensors')).toEqual(before);
    for (const b of Object.values(perWorker(text, 'taan_worker_wasm_heap_bytes'))) expect(b).toBeGreaterThan(0);
  });

  it('logs failed Predict calls, not successful ones', async () => {
    const lines = (): Array<Record<string, unknown>> => server.logs.filter((l) => l['msg'] === 'rpc done' && l['rpc'] === 'Predict');
    const before = lines().length;
    await call(client, 'Predict', { model: { name: 'm' }, examples: [{ features: row(2) }] });
    await call(client, 'Predict', { model: { name: 'm' }, examples: [{ features: [1] }] }).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    const added = lines().slice(before);
    expect(added.map((l) => l['code'])).toEqual(['INVALID_ARGUMENT']);
  });
});
