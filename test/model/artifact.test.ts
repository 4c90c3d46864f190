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
  it.each([
    ['TAAN', tinyConfig('TAAN')],
    ['HARD_SHARE', tinyConfig('HARD_SHARE')],
    ['STL', tinyConfig('STL')],
    ['SOFT_ORDER', { ...tinyConfig('SOFT_ORDER'), hiddenSizes: [12, 12] }],
    ['MMOE + UNCERTAINTY', { ...tinyConfig('MMOE'), numExperts: 3, towerHiddenSizes: [6], lossWeighting: 'UNCERTAINTY' as const }],
  ])('%s: save, load and predict give identical outputs (max abs diff 0)', async (_, config) => {
    const ds = tinyData();
    const r = await train(config, ds, { ...tinyOptions, maxEpochs: 2 });
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

describe('feature standardisation', () => {
  it('travels with the model: a loaded model standardises raw Predict input as the trained one did', async () => {
    const { standardize } = await import('../../src/data/standardize.js');
    const raw = tinyData();
    // Put the features on a scale far from N(0, 1), as ARFF data comes.
    const scaled = { ...raw, train: { ...raw.train, x: raw.train.x.map((v) => 40 * v - 70) }, valid: { ...raw.valid, x: raw.valid.x.map((v) => 40 * v - 70) }, test: { ...raw.test, x: raw.test.x.map((v) => 40 * v - 70) } };
    const { dataset, normalization } = standardize(scaled);
    const r = await train(tinyConfig('TAAN'), dataset, { ...tinyOptions, maxEpochs: 1 });
    const onStandardized = predictTask(r.net, dataset.test.x, dataset.test.n, 0);
    r.net.normalization = normalization;
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'taan-norm-')), 'v1');
    await saveModel(dir, r.net, {});
    const { net } = await loadModel(dir);
    const onRaw = predictTask(net, scaled.test.x, scaled.test.n, 0);
    let maxDiff = 0;
    for (let i = 0; i < onRaw.length; i++) maxDiff = Math.max(maxDiff, Math.abs(onRaw[i]! - onStandardized[i]!));
    expect(maxDiff).toBeLessThan(1e-5);
    net.dispose();
    r.net.dispose();
  });
});
