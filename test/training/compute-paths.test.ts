/**
 * The native BLAS path (host storage: the host step, OpenBLAS sgemm) and the tfjs path (wasm kernels) compute the
 * same thing: in one process, the same seeds give the same training run (losses, validation and test metrics), the
 * same Predict scores for every task at once (a served model's packed weights included), and the same run over two
 * threads, within float32 tolerance.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Architecture } from '../../src/domain/model-spec.js';
import { Network } from '../../src/model/network.js';
import { predictTask, predictTasks } from '../../src/model/predict.js';
import { train, type TrainResult } from '../../src/training/trainer.js';
import { useBackend } from '../helpers/backend.js';
import { tinyConfig, tinyData, tinyOptions } from '../helpers/tiny-run.js';

function relDiff(a: number, b: number): number {
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);
}

function maxAbs(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function lossesOf(r: TrainResult): number[] {
  return r.history.map((h) => h.trainLoss);
}

describe('compute paths: native BLAS against tfjs-wasm', () => {
  beforeAll(() => useBackend('native'));

  it.each<[Architecture]>([['TAAN'], ['HARD_SHARE'], ['STL']])('%s: the same training run on both paths', async (arch) => {
    const config = tinyConfig(arch);
    const ds = tinyData();
    const opts = { ...tinyOptions, regularizer: arch === 'TAAN' ? tinyOptions.regularizer! : 'NONE' as const };
    const wasm = await train(config, ds, opts, { storage: 'tfjs' });
    const native = await train(config, ds, opts, { storage: 'host' });
    expect(wasm.net.storage).toBe('tfjs');
    expect(native.net.storage).toBe('host');
    const lw = lossesOf(wasm);
    const ln = lossesOf(native);
    expect(ln.length).toBe(lw.length);
    ln.forEach((l, i) => expect(relDiff(l, lw[i]!), `epoch ${i + 1} loss`).toBeLessThan(1e-4));
    expect(Math.abs(native.metrics.meanMapAt10 - wasm.metrics.meanMapAt10)).toBeLessThan(1e-3);
    const pw = wasm.net.getArrays();
    for (const [name, a] of native.net.getArrays()) expect(maxAbs(a, pw.get(name)!), name).toBeLessThan(1e-3);
    wasm.net.dispose();
  });

  it('Predict: every task in one forward pass on the native path equals task-by-task tfjs', async () => {
    const config = tinyConfig('TAAN');
    const ds = tinyData();
    const trained = await train(config, ds, { ...tinyOptions, maxEpochs: 2 }, { storage: 'host' });
    const arrays = trained.net.getArrays();
    const stats = trained.net.getStats();
    const host = Network.fromArrays(config, arrays, stats, 'host');
    const tfjs = Network.fromArrays(config, arrays, stats, 'tfjs');
    const n = 37;
    const x = ds.test.x.subarray(0, n * ds.inputDim);
    const tasks = config.tasks.map((_, t) => t);
    const all = predictTasks(host, x, n, [...tasks].reverse());
    // A served model (frozen: its weights packed once for the addon's kernel where the CPU has it).
    const served = Network.fromArrays(config, arrays, stats, 'host');
    served.frozen = true;
    const packed = predictTasks(served, x, n, [...tasks].reverse());
    tasks.forEach((t) => {
      const want = predictTask(tfjs, x, n, t);
      expect(maxAbs(all[tasks.length - 1 - t]!, want), `task ${t}`).toBeLessThan(1e-5);
      expect(maxAbs(packed[tasks.length - 1 - t]!, want), `task ${t} served`).toBeLessThan(1e-5);
      expect(maxAbs(predictTask(host, x, n, t), want), `task ${t} alone`).toBeLessThan(1e-5);
    });
    tfjs.dispose();
  });

  it('two threads on the native path follow one thread', async () => {
    const config = tinyConfig('TAAN');
    const ds = tinyData();
    const one = await train(config, ds, tinyOptions, { storage: 'host' });
    const two = await train(config, ds, tinyOptions, { storage: 'host', threads: 2, minSplitMultiplyAdds: 0 });
    expect(two.threads).toBe(2);
    lossesOf(two).forEach((l, i) => expect(relDiff(l, lossesOf(one)[i]!), `epoch ${i + 1}`).toBeLessThan(1e-4));
    expect(Math.abs(two.metrics.meanMapAt10 - one.metrics.meanMapAt10)).toBeLessThan(1e-3);
  });
});
