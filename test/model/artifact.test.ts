/** Save, load, predict: a loaded model answers exactly as the one saved; damaged files are refused. */
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CorruptDataError } from '../../src/errors/errors.js';
import { loadModel, saveModel } from '../../src/model/artifact.js';
import { predictTask } from '../../src/model/predict.js';
import { train } from '../../src/training/trainer.js';
import { useBackend } from '../helpers/backend.js';
import { tinyConfig, tinyData, tinyOptions } from '../helpers/tiny-run.js';

beforeAll(() => useBackend('wasm'));

describe('model artifacts', () => {
  it.each(['TAAN', 'HARD_SHARE', 'STL'] as const)('%s: save, load and predict give identical outputs (max abs diff 0)', async (arch) => {
    const ds = tinyData();
    const r = await train(tinyConfig(arch), ds, { ...tinyOptions, maxEpochs: 2 });
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'taan-art-')), 'v1');
    await saveModel(dir, r.net, { metrics: r.metrics, history: r.history });
    const { net, meta } = await loadModel(dir);
    expect(meta.config).toEqual(r.net.config);
    expect(meta.paramCount).toBe(r.net.paramCount());
    expect(meta.metrics).toEqual(r.metrics);
    for (let t = 0; t < ds.tasks.length; t++) {
      const before = predictTask(r.net, ds.test.x, ds.test.n, t);
      const after = predictTask(net, ds.test.x, ds.test.n, t);
      let maxDiff = 0;
      for (let i = 0; i < before.length; i++) maxDiff = Math.max(maxDiff, Math.abs(before[i]! - after[i]!));
      expect(maxDiff).toBe(0);
    }
    expect(await readdir(path.dirname(dir))).toEqual(['v1']);
    net.dispose();
    r.net.dispose();
  });

  it('refuses to overwrite a published version', async () => {
    const ds = tinyData();
    const r = await train(tinyConfig('HARD_SHARE'), ds, { ...tinyOptions, maxEpochs: 1 });
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'taan-art-')), 'v1');
    await saveModel(dir, r.net, {});
    await expect(saveModel(dir, r.net, {})).rejects.toThrow();
    r.net.dispose();
  });

  it('detects a flipped byte in the weights and never loads them', async () => {
    const ds = tinyData();
    const r = await train(tinyConfig('TAAN'), ds, { ...tinyOptions, maxEpochs: 1 });
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'taan-art-')), 'v1');
    await saveModel(dir, r.net, {});
    const file = path.join(dir, 'weights.bin');
    const bytes = await readFile(file);
    bytes[bytes.length - 3] = bytes[bytes.length - 3]! ^ 0x40;
    await writeFile(file, bytes);
    await expect(loadModel(dir)).rejects.toBeInstanceOf(CorruptDataError);
    r.net.dispose();
  });
});
