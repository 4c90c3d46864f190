/**
 * Crash and resume: a child process trains with checkpoints and is killed with SIGKILL right after its first
 * checkpoint; training resumed from that checkpoint ends with a valid model, identical to an uninterrupted run.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadModel, saveModel } from '../../src/model/artifact.js';
import { predictTask } from '../../src/model/predict.js';
import { train } from '../../src/training/trainer.js';
import { useBackend } from '../helpers/backend.js';
import { tinyConfig, tinyData, tinyOptions } from '../helpers/tiny-run.js';

beforeAll(() => useBackend('wasm'));

const here = path.dirname(fileURLToPath(import.meta.url));

/** Starts the child and SIGKILLs it once it reports its first checkpoint; resolves with what it printed. */
function runAndKill(checkpointDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '../fixtures/train-child.ts'), checkpointDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('checkpoint 1')) child.kill('SIGKILL');
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out);
      else reject(new Error(`child ended without being killed (code ${code}): ${out} ${err}`));
    });
  });
}

describe('crash and resume', () => {
  it('resumes after kill -9 from the last checkpoint and ends with a valid model equal to an uninterrupted run', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'taan-resume-'));
    const printed = await runAndKill(dir);
    expect(printed).toContain('checkpoint 1');
    expect(printed).not.toContain('done');

    const ds = tinyData();
    const resumed = await train(tinyConfig(), ds, tinyOptions, { checkpointDir: dir });
    expect(resumed.resumedFromEpoch).toBeGreaterThanOrEqual(1);
    expect(resumed.history).toHaveLength(tinyOptions.maxEpochs!);
    expect(resumed.history.map((h) => h.step)).toEqual([...resumed.history.map((h) => h.step)].sort((a, b) => a - b));

    const modelDir = path.join(dir, 'model');
    await saveModel(modelDir, resumed.net, { metrics: resumed.metrics, history: resumed.history });
    const { net, meta } = await loadModel(modelDir);
    const scores = predictTask(net, ds.test.x, ds.test.n, 0);
    expect(scores.every((s) => Number.isFinite(s) && s >= 0 && s <= 1)).toBe(true);
    expect(meta.metrics!.meanMapAt10).toBeGreaterThan(0);

    const straight = await train(tinyConfig(), ds, tinyOptions);
    expect(resumed.metrics).toEqual(straight.metrics);
    expect(resumed.history.map((h) => h.trainLoss)).toEqual(straight.history.map((h) => h.trainLoss));
    for (const n of [net, resumed.net, straight.net]) n.dispose();
    expect((await readdir(dir)).filter((f) => f.startsWith('.tmp-'))).toEqual([]);
  });
});
