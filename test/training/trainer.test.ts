/** The epoch loop: progress events, determinism, cancellation, early stopping, bad input. */
import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, FailedPreconditionError, InvalidArgumentError } from '../../src/errors/errors.js';
import { train, type TrainProgress } from '../../src/training/trainer.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useBackend } from '../helpers/backend.js';
import { tinyConfig, tinyData, tinyOptions } from '../helpers/tiny-run.js';

beforeAll(() => useBackend('wasm'));

describe('trainer', () => {
  it('reports step and epoch progress with validation mAP@10 per task', async () => {
    const events: TrainProgress[] = [];
    const ds = tinyData();
    const r = await train(tinyConfig(), ds, { ...tinyOptions, maxEpochs: 3 }, { onProgress: (p) => events.push(p), progressEverySteps: 2 });
    const epochs = events.filter((e) => e.kind === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    for (const e of epochs) {
      expect(Object.keys(e.validMapAt10!)).toEqual(ds.tasks.map((t) => t.name));
      expect(e.totalSteps).toBe(r.steps);
      expect(e.stepSeconds).toBeGreaterThan(0);
      expect(Number.isFinite(e.loss)).toBe(true);
    }
    expect(events.filter((e) => e.kind === 'step').every((e) => e.step % 2 === 0)).toBe(true);
    expect(r.metrics.meanMapAt10).toBeGreaterThan(0);
    expect(Object.keys(r.metrics.mapAt10)).toEqual(ds.tasks.map((t) => t.name));
    r.net.dispose();
  });

  it('is deterministic for a seed on one backend', async () => {
    const a = await train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 2 });
    const b = await train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 2 });
    expect(b.history.map((h) => h.trainLoss)).toEqual(a.history.map((h) => h.trainLoss));
    expect(b.metrics).toEqual(a.metrics);
    a.net.dispose();
    b.net.dispose();
  });

  it('stops at the next step boundary when the signal aborts', async () => {
    const ctl = new AbortController();
    let seen = 0;
    const run = train(tinyConfig(), tinyData(), tinyOptions, {
      signal: ctl.signal,
      progressEverySteps: 1,
      onProgress: (p) => {
        seen = p.step;
        if (p.step === 3) ctl.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(CancelledError);
    expect(seen).toBe(3);
  });

  it('stops early when validation mAP@10 does not improve for `patience` epochs, and keeps the best epoch', async () => {
    // A learning rate this large makes validation wander, so patience 1 ends the run early.
    const r = await train(tinyConfig('HARD_SHARE'), tinyData(), { ...tinyOptions, maxEpochs: 40, learningRate: 0.05, earlyStoppingPatience: 1 });
    expect(r.stoppedEarly).toBe(true);
    expect(r.epochsRun).toBeLessThan(40);
    const best = Math.max(...r.history.map((h) => h.meanValidMapAt10));
    expect(r.history[r.history.length - 1]!.meanValidMapAt10).toBeLessThan(best);
    r.net.dispose();
  });

  it('refuses bad options and a checkpoint of another run', async () => {
    await expect(train(tinyConfig(), tinyData(), { learningRate: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    const dir = await mkdtemp(path.join(tmpdir(), 'taan-ck-'));
    (await train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 1 }, { checkpointDir: dir })).net.dispose();
    await expect(train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 1, seed: 99 }, { checkpointDir: dir })).rejects.toBeInstanceOf(
      FailedPreconditionError,
    );
  });
});

describe('corrupt checkpoint', () => {
  it('is detected by its checksum and reported, never loaded', async () => {
    const { readFile, writeFile } = await import('node:fs/promises');
    const { CorruptDataError } = await import('../../src/errors/errors.js');
    const dir = await mkdtemp(path.join(tmpdir(), 'taan-ck-bad-'));
    (await train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 1 }, { checkpointDir: dir })).net.dispose();
    const file = path.join(dir, 'checkpoint.bin');
    const bytes = await readFile(file);
    bytes[bytes.length - 5] = bytes[bytes.length - 5]! ^ 0x10;
    await writeFile(file, bytes);
    const err = await train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 2 }, { checkpointDir: dir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CorruptDataError);
    expect(String((err as Error).message)).toMatch(/checkpoint\.bin: checksum mismatch/);
  });
});
