/**
 * One training job over two threads (src/training/data-parallel.ts) through train(): the replicas stay
 * bit-identical, the run follows the one-thread run of the same seed up to float32 summation order, a resume
 * hands the restored optimizer state to the second thread, odd batches stay on one thread, and a dead second
 * thread fails the run instead of hanging it.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CancelledError, InvalidArgumentError } from '../../src/errors/errors.js';
import { Network } from '../../src/model/network.js';
import { decodeTensorFile } from '../../src/model/tensor-file.js';
import { CHECKPOINT_FILE, type CheckpointState } from '../../src/training/checkpoint.js';
import {
  DataParallelError,
  dataParallelPlan,
  MIN_SPLIT_MULTIPLY_ADDS,
  stepMultiplyAdds,
  type ReplicaState,
  type StepPartner,
} from '../../src/training/data-parallel.js';
import { train, type TrainRunOptions } from '../../src/training/trainer.js';
import { useBackend } from '../helpers/backend.js';
import { tinyConfig, tinyData, tinyOptions } from '../helpers/tiny-run.js';

beforeAll(() => useBackend('wasm'));

const tmp = (): Promise<string> => mkdtemp(path.join(tmpdir(), 'taan-dp-'));

/** The checkpoint as it is on disk right now (read synchronously inside onCheckpoint). */
function readCheckpoint(dir: string): CheckpointState {
  const file = path.join(dir, CHECKPOINT_FILE);
  const { arrays, meta } = decodeTensorFile(readFileSync(file), file);
  return { ...(meta as Omit<CheckpointState, 'arrays'>), arrays };
}

/** Rank 1's state must equal rank 0's checkpoint of the same moment bit for bit. */
function expectSameState(peer: ReplicaState, ck: CheckpointState): void {
  expect(peer.arrays.size).toBeGreaterThan(0);
  for (const [name, a] of peer.arrays) expect(a, name).toEqual(ck.arrays.get(name));
  for (const [name, a] of peer.adam.arrays) expect(a, name).toEqual(ck.arrays.get(name));
  expect(peer.adam.step).toBe(ck.adamStep);
  expect(peer.stats).toEqual(ck.stats);
}

/** Relative L2 distance of two vectors. */
function rel(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / Math.max(den, 1e-30));
}

interface Recorded {
  losses: number[];
  partner: StepPartner | undefined;
}

function recorder(extra: TrainRunOptions = {}): { rec: Recorded; run: TrainRunOptions } {
  const rec: Recorded = { losses: [], partner: undefined };
  return {
    rec,
    run: {
      progressEverySteps: 1,
      onProgress: (p) => {
        if (p.kind === 'step') rec.losses.push(p.loss);
      },
      onDataParallel: (p) => (rec.partner = p),
      ...extra,
    },
  };
}

describe('data-parallel training (two threads)', () => {
  it('keeps both replicas bit-identical (parameters, running statistics, Adam moments and step) at every epoch', async () => {
    const dir = await tmp();
    const peers: Array<Promise<ReplicaState>> = [];
    const checkpoints: CheckpointState[] = [];
    const { rec, run } = recorder({
      checkpointDir: dir,
      threads: 2,
      minSplitMultiplyAdds: 0,
      onCheckpoint: () => {
        // Asked between steps: rank 1 answers before it takes the next step's message.
        checkpoints.push(readCheckpoint(dir));
        peers.push(rec.partner!.peerState());
      },
    });
    const r = await train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 3 }, run);
    expect(r.threads).toBe(2);
    expect(rec.partner).toBeDefined();
    expect(checkpoints).toHaveLength(3);
    const states = await Promise.all(peers);
    states.forEach((s, i) => expectSameState(s, checkpoints[i]!));
    // Rank 1 is gone once train() returns.
    await rec.partner!.exited;
    r.net.dispose();
  });

  it('follows the one-thread run of the same seed (losses and final parameters within float32 reduction error)', async () => {
    const opts = { ...tinyOptions, maxEpochs: 2 };
    const oneDir = await tmp();
    const one = recorder({ checkpointDir: oneDir, threads: 1 });
    const r1 = await train(tinyConfig(), tinyData(), opts, one.run);
    const twoDir = await tmp();
    const tensors: number[] = [];
    const two = recorder({ checkpointDir: twoDir, threads: 2, minSplitMultiplyAdds: 0 });
    const onProgress = two.run.onProgress!;
    two.run.onProgress = (p) => {
      onProgress(p);
      if (p.kind === 'step') tensors.push(tf.memory().numTensors);
    };
    const r2 = await train(tinyConfig(), tinyData(), opts, two.run);
    expect([r1.threads, r2.threads]).toEqual([1, 2]);
    expect(two.rec.losses.length).toBe(one.rec.losses.length);
    expect(two.rec.losses.length).toBeGreaterThanOrEqual(20);

    const lossDiff = Math.max(...one.rec.losses.map((l, i) => Math.abs(two.rec.losses[i]! - l) / Math.abs(l)));
    const ck1 = readCheckpoint(oneDir);
    const ck2 = readCheckpoint(twoDir);
    const paramDiff: Record<string, number> = {};
    const start = Network.create(tinyConfig(), opts.seed!);
    const init = start.getArrays();
    start.dispose();
    for (const [name, a] of init) {
      // Relative difference of the two runs' total updates (final - initial), per parameter array.
      const u1 = Float64Array.from(ck1.arrays.get(name) as Float32Array, (v, i) => v - a[i]!);
      const u2 = Float64Array.from(ck2.arrays.get(name) as Float32Array, (v, i) => v - a[i]!);
      paramDiff[name] = rel(u2, u1);
    }
    const statDiff = Math.max(...ck1.stats.map((s, i) => Math.max(Math.abs(ck2.stats[i]!.mu - s.mu) / Math.abs(s.sigma), Math.abs(ck2.stats[i]!.sigma - s.sigma) / s.sigma)));
    // Measured on wasm (20 steps): losses 2.4e-7, parameter updates <= 2.9e-7, running statistics 4e-8 apart, i.e. a
    // few float32 ulps from summing the batch in two halves (and the gradients once more in the exchange). The bounds
    // leave ~30x margin. Faults measured against them: each replica applying its own shard's gradient moves the
    // parameters 0.49 apart; each keeping its own shard's running statistics, parameters 3e-3 and statistics 6e-2.
    expect(lossDiff).toBeLessThan(1e-5);
    for (const [name, d] of Object.entries(paramDiff)) expect(d, name).toBeLessThan(1e-5);
    expect(statDiff).toBeLessThan(1e-6);
    expect(ck2.stats.map((s) => s.statSteps)).toEqual(ck1.stats.map((s) => s.statSteps));
    // Every step inside tidy on rank 0 too: the tensor count does not move after the first step.
    expect(Math.max(...tensors.slice(1))).toBe(tensors[1]);
    for (const r of [r1, r2]) r.net.dispose();
  });

  it.each([
    ['SOFT_ORDER', { ...tinyConfig('SOFT_ORDER'), hiddenSizes: [12, 12] }],
    ['MMOE + UNCERTAINTY', { ...tinyConfig('MMOE'), numExperts: 3, towerHiddenSizes: [6], lossWeighting: 'UNCERTAINTY' as const }],
  ])('%s on two threads follows its one-thread run', async (_, config) => {
    const opts = { ...tinyOptions, maxEpochs: 1 };
    const one = recorder({ threads: 1 });
    const r1 = await train(config, tinyData(), opts, one.run);
    const two = recorder({ threads: 2, minSplitMultiplyAdds: 0 });
    const r2 = await train(config, tinyData(), opts, two.run);
    expect([r1.threads, r2.threads]).toEqual([1, 2]);
    expect(two.rec.losses.length).toBe(one.rec.losses.length);
    expect(two.rec.losses.length).toBeGreaterThanOrEqual(10);
    const lossDiff = Math.max(...one.rec.losses.map((l, i) => Math.abs(two.rec.losses[i]! - l) / Math.abs(l)));
    expect(lossDiff).toBeLessThan(1e-5);
    const a1 = r1.net.getArrays();
    for (const [name, a] of r2.net.getArrays()) expect(rel(a, a1.get(name)!), name).toBeLessThan(1e-4);
    for (const r of [r1, r2]) r.net.dispose();
  });

  it('resumes from a checkpoint on two threads: rank 1 starts from the restored Adam state', async () => {
    const opts = { ...tinyOptions, maxEpochs: 3 };
    const straightDir = await tmp();
    const straight = recorder({ checkpointDir: straightDir, threads: 2, minSplitMultiplyAdds: 0 });
    const rs = await train(tinyConfig(), tinyData(), opts, straight.run);

    // Stopped mid-epoch as a server shutdown does (checkpoint of the current step), then resumed.
    const dir = await tmp();
    const ctl = new AbortController();
    const stopAt = Math.round(straight.rec.losses.length / 2) + 1;
    const first = recorder({
      checkpointDir: dir,
      threads: 2,
      minSplitMultiplyAdds: 0,
      signal: ctl.signal,
      checkpointOnAbortReason: 'shutdown',
    });
    const onProgress = first.run.onProgress!;
    first.run.onProgress = (p) => {
      onProgress(p);
      if (p.kind === 'step' && p.step === stopAt) ctl.abort('shutdown');
    };
    await expect(train(tinyConfig(), tinyData(), opts, first.run)).rejects.toBeInstanceOf(CancelledError);
    expect(first.rec.losses).toHaveLength(stopAt);
    expect(readCheckpoint(dir).stepInEpoch).toBeGreaterThan(0);

    const peers: Array<Promise<ReplicaState>> = [];
    const checkpoints: CheckpointState[] = [];
    const resumed = recorder({
      checkpointDir: dir,
      threads: 2,
      minSplitMultiplyAdds: 0,
      onCheckpoint: () => {
        checkpoints.push(readCheckpoint(dir));
        peers.push(resumed.rec.partner!.peerState());
      },
    });
    const rr = await train(tinyConfig(), tinyData(), opts, resumed.run);
    expect(rr.threads).toBe(2);
    expect(rr.resumedFromEpoch).not.toBeNull();
    // A rank 1 with fresh moments would take different steps from the first resumed step on.
    expect([...first.rec.losses, ...resumed.rec.losses]).toEqual(straight.rec.losses);
    expect(rr.history.map((h) => h.trainLoss)).toEqual(rs.history.map((h) => h.trainLoss));
    const states = await Promise.all(peers);
    expect(states.length).toBeGreaterThan(0);
    states.forEach((s, i) => expectSameState(s, checkpoints[i]!));
    const end = readCheckpoint(dir);
    for (const [name, a] of readCheckpoint(straightDir).arrays) expect(end.arrays.get(name), name).toEqual(a);
    for (const r of [rs, rr]) r.net.dispose();
  });

  it('stays on one thread when a task\'s rows per step are odd', async () => {
    const { rec, run } = recorder({ threads: 2, minSplitMultiplyAdds: 0 });
    const r = await train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 1, batchSizePerTask: 15 }, run);
    expect(r.threads).toBe(1);
    expect(rec.partner).toBeUndefined();
    expect(rec.losses.length).toBe(r.steps);
    r.net.dispose();

    const plan = (requested: number, counts: number[], backend = 'wasm', multiplyAdds = 1e9) => dataParallelPlan({ requested, counts, backend, multiplyAdds });
    expect(plan(2, [16, 16, 8]).threads).toBe(2);
    expect(plan(2, [16, 16, 8], 'cpu').threads).toBe(2);
    // A task smaller than the batch size gives its own (odd) count.
    expect(plan(2, [16, 7, 16])).toMatchObject({ threads: 1, reason: expect.stringContaining('task 1 has 7 rows') });
    expect(plan(2, [16, 16], 'tensorflow').threads).toBe(1);
    expect(plan(1, [16, 16]).threads).toBe(1);
    // Small steps stay on one thread: both threads would pay every op's fixed cost for half the arithmetic.
    expect(plan(2, [16, 16], 'wasm', MIN_SPLIT_MULTIPLY_ADDS - 1)).toMatchObject({ threads: 1, reason: expect.stringContaining('too small') });
    const small = await train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 1 }, { threads: 2 });
    expect(small.threads).toBe(1);
    small.net.dispose();
    // The paper's speed configuration (input 1152, 3 x 512, 16 tasks, 3557 classes, 64 rows per task) is split.
    const paper = { ...tinyConfig(), inputDim: 1152, hiddenSizes: [512, 512, 512], tasks: Array.from({ length: 16 }, (_, t) => ({ name: `t${t}`, labels: Array.from({ length: t === 0 ? 3557 - 15 * 222 : 222 }, () => '') })) };
    expect(stepMultiplyAdds(paper, Array.from({ length: 16 }, () => 64))).toBe(1024 * (1152 * 512 + 2 * 512 * 512) + 64 * 512 * 3557);
    expect(stepMultiplyAdds(paper, Array.from({ length: 16 }, () => 64))).toBeGreaterThan(MIN_SPLIT_MULTIPLY_ADDS);
    await expect(train(tinyConfig(), tinyData(), { ...tinyOptions, maxEpochs: 1 }, { threads: 3 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it('fails the run with a clear error, without hanging, when the second thread dies', async () => {
    const started = Date.now();
    const { rec, run } = recorder({ threads: 2, minSplitMultiplyAdds: 0 });
    const onProgress = run.onProgress!;
    run.onProgress = (p) => {
      onProgress(p);
      if (p.kind === 'step' && p.step === 3) void rec.partner!.terminatePeer();
    };
    const err = await train(tinyConfig(), tinyData(), tinyOptions, run).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(DataParallelError);
    expect((err as Error).message).toMatch(/rank 1\) exited unexpectedly/);
    expect(rec.losses.length).toBeGreaterThanOrEqual(3);
    expect(rec.losses.length).toBeLessThan(6);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('ends the second thread when the run is cancelled', async () => {
    const ctl = new AbortController();
    const { rec, run } = recorder({ threads: 2, minSplitMultiplyAdds: 0, signal: ctl.signal });
    const onProgress = run.onProgress!;
    run.onProgress = (p) => {
      onProgress(p);
      if (p.kind === 'step' && p.step === 2) ctl.abort('cancel');
    };
    await expect(train(tinyConfig(), tinyData(), tinyOptions, run)).rejects.toBeInstanceOf(CancelledError);
    expect(typeof (await rec.partner!.exited)).toBe('number');
    await expect(rec.partner!.step({ x: new Float32Array(0), y: [], counts: [] })).rejects.toBeInstanceOf(DataParallelError);
  });
});
