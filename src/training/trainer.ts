/**
 * The epoch loop: one mini-batch from every task per step (the authors' sampling), Adam, early stopping on the
 * validation mean mAP@10, a checkpoint after every epoch, cancellation at step boundaries, progress callbacks.
 * Runs on whichever tfjs backend was initialised; deterministic for a given seed and backend.
 */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import type { MultiTaskDataset } from '../data/dataset.js';
import { EpochSampler } from '../data/sampler.js';
import {
  DEFAULT_TRAIN_OPTIONS,
  validateTrainOptions,
  type ModelConfig,
  type TrainOptions,
} from '../domain/model-spec.js';
import { CancelledError, FailedPreconditionError, InvalidArgumentError } from '../errors/errors.js';
import type { TaskMetrics } from '../eval/task-metrics.js';
import { Adam } from '../model/adam.js';
import type { EpochRecord, TestMetrics } from '../model/model-metadata.js';
import { OffsetCache } from '../model/layer-pass.js';
import { Network, type Storage } from '../model/network.js';
import type { NamedArrays } from '../model/tensor-file.js';
import { trainStep } from '../model/train-step.js';
import { loadCheckpoint, saveCheckpoint, type CheckpointState } from './checkpoint.js';
import { dataParallelPlan, stepMultiplyAdds, StepPartner } from './data-parallel.js';
import { evaluateSplit } from './evaluate.js';

export interface TrainProgress {
  /** 'step' events come every `progressEverySteps`; an 'epoch' event ends every epoch, with validation mAP. */
  kind: 'step' | 'epoch';
  /** 1-based epoch in progress. */
  epoch: number;
  /** Optimizer steps since the run started (continues across resumes). */
  step: number;
  totalSteps: number;
  /** Training loss (data + regularizer) of the last step, or the epoch mean for 'epoch'. */
  loss: number;
  /** Seconds of the last step, or the epoch's mean step time for 'epoch'. */
  stepSeconds: number;
  /** Per task name; 'epoch' events only. */
  validMapAt10?: Record<string, number>;
}

export interface TrainRunOptions {
  /** Where checkpoints go; when it already holds one of the same run, training resumes from it. */
  checkpointDir?: string;
  /** Checked at every step boundary; when aborted, train() rejects with CancelledError. */
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Default 10. */
  progressEverySteps?: number;
  /** Called after every completed epoch's checkpoint is on disk (tests use it to kill at a known point). */
  onCheckpoint?: (epoch: number) => void;
  /**
   * When the signal aborts with this reason, a checkpoint of the current step is written before CancelledError is
   * thrown, so a server shutting down loses no step (the job resumes mid-epoch after restart).
   */
  checkpointOnAbortReason?: string;
  /**
   * Threads the steps run on: 1 (default) or 2 (data-parallel: a second thread takes half of every task's rows and
   * gradients are averaged through shared memory; see data-parallel.ts). Two fall back to one when a task's rows
   * per step are odd, on the native tensorflow backend, and for steps too small to gain from it.
   */
  threads?: number;
  /** Smallest step (forward multiply-adds) run on two threads; default MIN_SPLIT_MULTIPLY_ADDS (tests use 0). */
  minSplitMultiplyAdds?: number;
  /** Tests: called once the second thread is running, with rank 0's handle on it. */
  onDataParallel?: (partner: StepPartner) => void;
  /**
   * Where the network keeps its weights, which decides the compute path: 'host' = the native BLAS step, 'tfjs' =
   * tfjs kernels. Default: the path initBackend chose (defaultStorage()). Tests and the bench run both in one process.
   */
  storage?: Storage;
}

export interface TrainResult {
  net: Network;
  metrics: TestMetrics;
  history: EpochRecord[];
  steps: number;
  epochsRun: number;
  stoppedEarly: boolean;
  resumedFromEpoch: number | null;
  seconds: number;
  /** Threads the steps ran on, and why (see TrainRunOptions.threads). */
  threads: 1 | 2;
  threadsReason: string;
}

export async function train(
  config: ModelConfig,
  ds: MultiTaskDataset,
  options: Partial<TrainOptions> = {},
  run: TrainRunOptions = {},
): Promise<TrainResult> {
  const opts: TrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
  validateTrainOptions(opts);
  checkDataset(config, ds);
  const threadsAsked = run.threads ?? 1;
  if (threadsAsked !== 1 && threadsAsked !== 2) throw InvalidArgumentError.field('threads', `must be 1 or 2, got ${threadsAsked}`);
  const started = Date.now();
  const net = Network.create(config, opts.seed, run.storage);
  const adamOptions = { learningRate: opts.learningRate, weightDecay: opts.weightDecay };
  const adam = new Adam(net, adamOptions);
  const offsets = new OffsetCache();
  const classes = config.tasks.map((t) => t.labels.length);
  const fingerprint = runFingerprint(config, opts, ds);
  const firstSampler = new EpochSampler(ds.train, ds.inputDim, classes, opts.batchSizePerTask, opts.seed, 0);
  const stepsPerEpoch = firstSampler.stepsPerEpoch;
  // Rows per task per step are the same in every epoch.
  const plan = dataParallelPlan({
    requested: threadsAsked,
    counts: firstSampler.counts,
    backend: net.storage === 'host' ? 'native' : tf.getBackend(),
    multiplyAdds: stepMultiplyAdds(config, firstSampler.counts),
    ...(run.minSplitMultiplyAdds !== undefined ? { minMultiplyAdds: run.minSplitMultiplyAdds } : {}),
  });
  let partner: StepPartner | undefined;
  const totalSteps = stepsPerEpoch * opts.maxEpochs;
  const reg = { kind: config.architecture === 'TAAN' ? opts.regularizer : 'NONE', coefficient: opts.regCoefficient } as const;

  let state = {
    nextEpoch: 0,
    stepInEpoch: 0,
    epochLossSum: 0,
    epochSecSum: 0,
    step: 0,
    best: null as CheckpointState['best'],
    bestArrays: null as Map<string, Float32Array> | null,
    badEpochs: 0,
    history: [] as EpochRecord[],
  };
  let resumedFromEpoch: number | null = null;
  if (run.checkpointDir) {
    const ck = await loadCheckpoint(run.checkpointDir);
    if (ck) {
      if (ck.fingerprint !== fingerprint) {
        throw new FailedPreconditionError(`checkpoint in ${run.checkpointDir} belongs to a different run`);
      }
      restore(net, adam, ck);
      state = { ...ck, bestArrays: pick(ck.arrays, 'best.') };
      resumedFromEpoch = ck.nextEpoch;
    }
  }

  try {
    let stopped = false;
    for (let epoch = state.nextEpoch; epoch < opts.maxEpochs && !stopped; epoch++) {
      const sampler = new EpochSampler(ds.train, ds.inputDim, classes, opts.batchSizePerTask, opts.seed, epoch);
      // A checkpoint taken mid-epoch (shutdown) resumes at its step with the epoch's running sums.
      const firstStep = epoch === state.nextEpoch ? state.stepInEpoch : 0;
      let lossSum = firstStep ? state.epochLossSum : 0;
      let secSum = firstStep ? state.epochSecSum : 0;
      for (let s = firstStep; s < sampler.stepsPerEpoch; s++) {
        // Yield so that an abort (from a message or a timer) can land between steps.
        await new Promise((r) => setImmediate(r));
        if (run.signal?.aborted) {
          if (run.checkpointDir && run.signal.reason === run.checkpointOnAbortReason && run.checkpointOnAbortReason !== undefined) {
            Object.assign(state, { nextEpoch: epoch, stepInEpoch: s, epochLossSum: lossSum, epochSecSum: secSum });
            await saveCheckpoint(run.checkpointDir, snapshot(net, adam, state, fingerprint));
          }
          throw new CancelledError(`cancelled at step ${state.step}`);
        }
        const batch = sampler.batch(s);
        if (plan.threads === 2 && !partner) {
          // Started from the state after any resume, so both replicas begin identical.
          partner = await StepPartner.start({ net, adam, adamOptions, reg, offsets, counts: firstSampler.counts });
          run.onDataParallel?.(partner);
        }
        const t0 = performance.now();
        const loss = partner ? await partner.step(batch) : trainStep(net, adam, batch, reg, offsets);
        const sec = (performance.now() - t0) / 1000;
        if (!Number.isFinite(loss)) throw new InvalidArgumentError(`training diverged at step ${state.step}: loss ${loss}`);
        state.step++;
        lossSum += loss;
        secSum += sec;
        const every = run.progressEverySteps ?? 10;
        if (run.onProgress && every > 0 && state.step % every === 0) {
          run.onProgress({ kind: 'step', epoch: epoch + 1, step: state.step, totalSteps, loss, stepSeconds: sec });
        }
      }
      const valid = evaluateSplit(net, ds, ds.valid);
      const record: EpochRecord = {
        epoch: epoch + 1,
        step: state.step,
        trainLoss: lossSum / sampler.stepsPerEpoch,
        validMapAt10: byTask(config, valid.mapAt10),
        meanValidMapAt10: valid.meanMapAt10,
        seconds: secSum,
      };
      state.history.push(record);
      if (state.best === null || valid.meanMapAt10 > state.best.score) {
        state.best = { score: valid.meanMapAt10, epoch: epoch + 1, stats: net.getStats() };
        state.bestArrays = net.getArrays();
        state.badEpochs = 0;
      } else {
        state.badEpochs++;
        if (opts.earlyStoppingPatience > 0 && state.badEpochs >= opts.earlyStoppingPatience) stopped = true;
      }
      state.nextEpoch = stopped ? opts.maxEpochs : epoch + 1;
      state.stepInEpoch = 0;
      if (run.checkpointDir) {
        await saveCheckpoint(run.checkpointDir, snapshot(net, adam, state, fingerprint));
        run.onCheckpoint?.(epoch + 1);
      }
      run.onProgress?.({
        kind: 'epoch',
        epoch: epoch + 1,
        step: state.step,
        totalSteps,
        loss: record.trainLoss,
        stepSeconds: secSum / sampler.stepsPerEpoch,
        validMapAt10: record.validMapAt10,
      });
    }
    // The second thread's memory is not needed for the test evaluation.
    await partner?.close();
    if (state.bestArrays && state.best) net.setArrays(state.bestArrays, state.best.stats);
    const test = evaluateSplit(net, ds, ds.test);
    return {
      net,
      metrics: toTestMetrics(config, test),
      history: state.history,
      steps: state.step,
      epochsRun: state.history.length,
      stoppedEarly: state.history.length < opts.maxEpochs,
      resumedFromEpoch,
      seconds: (Date.now() - started) / 1000,
      threads: plan.threads,
      threadsReason: plan.reason,
    };
  } catch (err) {
    net.dispose();
    throw err;
  } finally {
    await partner?.close();
    adam.dispose();
    offsets.dispose();
  }
}

function snapshot(
  net: Network,
  adam: Adam,
  s: {
    nextEpoch: number;
    stepInEpoch: number;
    epochLossSum: number;
    epochSecSum: number;
    step: number;
    best: CheckpointState['best'];
    bestArrays: Map<string, Float32Array> | null;
    badEpochs: number;
    history: EpochRecord[];
  },
  fingerprint: string,
): CheckpointState {
  const arrays: NamedArrays = new Map(net.getArrays());
  const a = adam.getState();
  for (const [k, v] of a.arrays) arrays.set(k, v);
  if (s.bestArrays) for (const [k, v] of s.bestArrays) arrays.set(`best.${k}`, v);
  return {
    fingerprint,
    nextEpoch: s.nextEpoch,
    stepInEpoch: s.stepInEpoch,
    epochLossSum: s.epochLossSum,
    epochSecSum: s.epochSecSum,
    step: s.step,
    adamStep: a.step,
    stats: net.getStats(),
    best: s.best,
    badEpochs: s.badEpochs,
    history: s.history,
    arrays,
  };
}

function restore(net: Network, adam: Adam, ck: CheckpointState): void {
  const params = new Map<string, Float32Array>();
  for (const { name } of [...net.namedParams().device, ...net.namedParams().host]) {
    const a = ck.arrays.get(name);
    if (!(a instanceof Float32Array)) throw new FailedPreconditionError(`checkpoint lacks parameter ${name}`);
    params.set(name, a);
  }
  net.setArrays(params, ck.stats);
  adam.setState({ step: ck.adamStep, arrays: pickAll(ck.arrays, 'adam.') });
}

function pick(arrays: NamedArrays, prefix: string): Map<string, Float32Array> | null {
  const out = new Map<string, Float32Array>();
  for (const [k, v] of arrays) if (k.startsWith(prefix) && v instanceof Float32Array) out.set(k.slice(prefix.length), v);
  return out.size ? out : null;
}

function pickAll(arrays: NamedArrays, prefix: string): NamedArrays {
  return new Map([...arrays].filter(([k]) => k.startsWith(prefix)));
}

function byTask(config: ModelConfig, values: number[]): Record<string, number> {
  return Object.fromEntries(config.tasks.map((t, i) => [t.name, values[i] ?? Number.NaN]));
}

function toTestMetrics(config: ModelConfig, m: TaskMetrics): TestMetrics {
  return {
    mapAt10: byTask(config, m.mapAt10),
    meanMapAt10: m.meanMapAt10,
    perClassMap: byTask(config, m.perClassMap),
    meanPerClassMap: m.meanPerClassMap,
    gapAt20: m.gapAt20,
    hitAt1: byTask(config, m.hitAt1),
  };
}

function runFingerprint(config: ModelConfig, opts: TrainOptions, ds: MultiTaskDataset): string {
  const shape = { config, opts, data: [ds.name, ds.train.n, ds.valid.n, ds.test.n] };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}

function checkDataset(config: ModelConfig, ds: MultiTaskDataset): void {
  if (ds.inputDim !== config.inputDim) {
    throw InvalidArgumentError.field('input_dim', `model expects ${config.inputDim} features, dataset has ${ds.inputDim}`);
  }
  if (ds.tasks.length !== config.tasks.length) throw InvalidArgumentError.field('tasks', 'model and dataset tasks differ');
  const empty = ds.tasks.filter((_, t) => (ds.train.tasks[t]?.rows.length ?? 0) === 0).map((t) => t.name);
  if (empty.length) throw InvalidArgumentError.field('dataset', `tasks without training examples: ${empty.join(', ')}`);
}
