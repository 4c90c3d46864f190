/** Checkpoint headers are checked, not cast: a header that is not a checkpoint's is refused, naming the field. */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CorruptDataError } from '../../src/errors/errors.js';
import { encodeTensorFile } from '../../src/model/tensor-file.js';
import { CHECKPOINT_FILE, loadCheckpoint, saveCheckpoint, type CheckpointState } from '../../src/training/checkpoint.js';

const STATE: CheckpointState = {
  fingerprint: 'f',
  nextEpoch: 2,
  stepInEpoch: 0,
  epochLossSum: 0,
  epochSecSum: 0,
  step: 20,
  adamStep: 20,
  stats: [{ mu: 0.1, sigma: 0.9, statSteps: 20 }],
  best: { score: 0.4, epoch: 1, stats: [{ mu: 0, sigma: 1, statSteps: 10 }] },
  badEpochs: 0,
  history: [{ epoch: 1, step: 10, trainLoss: Number.NaN, validMapAt10: { t: 0.4 }, meanValidMapAt10: 0.4, seconds: 2 }],
  arrays: new Map([['w', new Float32Array([1, 2, 3])]]),
};

describe('loadCheckpoint', () => {
  it('reads back what saveCheckpoint wrote (a diverged NaN loss included)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'taan-ck-'));
    await saveCheckpoint(dir, STATE);
    expect(await loadCheckpoint(dir)).toEqual(STATE);
  });

  it('refuses a checksummed file whose header is not a checkpoint', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'taan-ck-'));
    const { arrays: _arrays, ...meta } = STATE;
    await writeFile(path.join(dir, CHECKPOINT_FILE), encodeTensorFile(STATE.arrays, { ...meta, nextEpoch: 'two' }));
    const err = await loadCheckpoint(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CorruptDataError);
    expect((err as Error).message).toMatch(/corrupt checkpoint .*checkpoint\.bin: nextEpoch must be an integer, not string/);
  });

  it('has nothing to resume from in an empty folder', async () => {
    expect(await loadCheckpoint(await mkdtemp(path.join(tmpdir(), 'taan-ck-')))).toBeUndefined();
  });
});
