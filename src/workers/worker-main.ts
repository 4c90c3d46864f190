/**
 * Entry of a worker thread: one tfjs instance that trains at most one job at a time and, between that job's steps,
 * answers Predict and activation-metrics calls from a small cache of loaded models. All tensor code of the server
 * runs here, never on the gRPC event loop.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { parentPort } from 'node:worker_threads';
import { buildDataset } from '../data/build-dataset.js';
import { summarize } from '../data/dataset.js';
import type { DatasetSummary, JobMetrics } from '../domain/job.js';
import { DEFAULT_NUM_EXPERTS, type ModelConfig, type TrainOptions } from '../domain/model-spec.js';
import type { TrainRequest } from '../domain/train-request.js';
import { storageError } from '../errors/storage.js';
import { lowerThreadPriority } from '../util/thread-priority.js';
import { toWire } from '../errors/wire.js';
import { activationReport, type ActivationReport } from '../functional/activation-report.js';
import { loadModel, saveModel } from '../model/artifact.js';
import { initBackend, type BackendInfo } from '../model/backend.js';
import type { Network } from '../model/network.js';
import { predictAllScores, predictTopK } from '../model/predict.js';
import { train, type TrainProgress, type TrainResult } from '../training/trainer.js';
import type {
  ActivationCall,
  FromWorker,
  PredictCall,
  PredictResult,
  StopReason,
  ToWorker,
  TrainJobPayload,
  WorkerCall,
  WorkerResult,
  WorkerStats,
} from './protocol.js';

const port = parentPort;
if (!port) throw new Error('worker-main.ts must run in a worker thread');

let backend: BackendInfo | undefined;
/** Set by the 'init' message (TAAN_MODEL_CACHE_SIZE, TAAN_WORKERS), which comes before any other. */
let cacheSize: number;
let workerIndex: number;
const models = new Map<string, Promise<{ net: Network; measure: string }>>();
const running = new Map<string, AbortController>();

function send(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port!.postMessage(msg, transfer);
}

port.on('message', (msg: ToWorker) => {
  switch (msg.type) {
    case 'init':
      cacheSize = msg.modelCacheSize;
      workerIndex = msg.workerIndex;
      initBackend(msg.backend).then(
        (b) => {
          backend = b;
          send({ type: 'ready', backend: b.name, provider: b.provider, reason: b.reason, path: b.path, skipped: b.skipped });
        },
        (err: unknown) => send({ type: 'initFailed', error: toWire(err) }),
      );
      break;
    case 'train':
      void runJob(msg.job);
      break;
    case 'stop':
      running.get(msg.jobId)?.abort(msg.reason);
      break;
    case 'call': {
      const { id, call } = msg;
      answer(call).then(
        ({ result, transfer }) => send({ type: 'result', id, result }, transfer),
        (err: unknown) => send({ type: 'callFailed', id, error: toWire(err) }),
      );
      break;
    }
  }
});

async function runJob(job: TrainJobPayload): Promise<void> {
  const ctl = new AbortController();
  running.set(job.jobId, ctl);
  const deadline = job.maxRuntimeSeconds > 0 ? setTimeout(() => ctl.abort('deadline' satisfies StopReason), job.maxRuntimeSeconds * 1000) : undefined;
  const restorePriority = lowerThreadPriority();
  try {
    const req = job.request;
    const { dataset: ds, normalization } = await buildDataset(req.dataset);
    const datasetSummary = { name: ds.name, tasks: summarize(ds) };
    const config: ModelConfig = {
      architecture: req.architecture,
      inputDim: ds.inputDim,
      hiddenSizes: req.hiddenSizes,
      numBasis: req.numBasis,
      tasks: ds.tasks,
      measure: req.measure,
      lossWeighting: req.lossWeighting ?? 'EQUAL',
      ...(req.architecture === 'MMOE' ? { numExperts: req.numExperts ?? DEFAULT_NUM_EXPERTS, towerHiddenSizes: req.towerHiddenSizes ?? [] } : {}),
    };
    const progress = throttledProgress(job.jobId, datasetSummary);
    const result = await train(config, ds, trainOptions(req), {
      checkpointDir: path.join(job.jobDir, 'checkpoint'),
      signal: ctl.signal,
      checkpointOnAbortReason: 'shutdown' satisfies StopReason,
      progressEverySteps: 1,
      onProgress: progress,
      threads: job.trainThreads,
    });
    result.net.normalization = normalization;
    const modelDir = path.join(job.jobDir, 'model');
    // A model left by an attempt that died before publishing is replaced by this one.
    await fs.rm(modelDir, { recursive: true, force: true });
    await saveModel(modelDir, result.net, {
      trainOptions: trainOptions(req),
      metrics: result.metrics,
      history: result.history,
      extra: { jobId: job.jobId, modelName: req.modelName, dataset: ds.name, backend: backend?.name ?? 'unknown' },
    });
    result.net.dispose();
    send({ type: 'trained', jobId: job.jobId, modelDir, metrics: jobMetrics(result) });
  } catch (err) {
    const reason = ctl.signal.aborted ? (ctl.signal.reason as StopReason) : undefined;
    send({ type: 'jobFailed', jobId: job.jobId, error: toWire(storageError(err, 'training stopped on a storage fault')), ...(reason ? { stoppedBy: reason } : {}) });
  } finally {
    clearTimeout(deadline);
    restorePriority();
    running.delete(job.jobId);
  }
}

/** Step events are batched (at most one message per 250 ms); epoch events always go out. */
function throttledProgress(jobId: string, datasetSummary: DatasetSummary): (p: TrainProgress) => void {
  let steps: number[] = [];
  let last = 0;
  let first = true;
  return (p: TrainProgress): void => {
    steps.push(p.stepSeconds);
    const now = Date.now();
    const epochEnd = p.kind === 'epoch';
    if (epochEnd) steps.pop(); // an epoch event repeats the mean step time; only 'step' events are real steps
    if (!epochEnd && now - last < 250 && !first) return;
    last = now;
    send({
      type: 'progress',
      jobId,
      progress: {
        epoch: p.epoch,
        step: p.step,
        totalSteps: p.totalSteps,
        fraction: p.totalSteps ? Math.min(1, p.step / p.totalSteps) : 0,
        loss: p.loss,
        stepSeconds: p.stepSeconds,
        ...(p.validMapAt10 ? { validMapAt10: p.validMapAt10 } : {}),
      },
      ...(first ? { datasetSummary } : {}),
      stepSeconds: steps,
      epochEnd,
    });
    first = false;
    steps = [];
  };
}

function trainOptions(req: TrainRequest): TrainOptions {
  return {
    regularizer: req.regularizer,
    regCoefficient: req.regCoefficient,
    learningRate: req.learningRate,
    weightDecay: req.weightDecay,
    batchSizePerTask: req.batchSizePerTask,
    maxEpochs: req.maxEpochs,
    earlyStoppingPatience: req.earlyStoppingPatience,
    seed: req.seed,
  };
}

function jobMetrics(r: TrainResult): JobMetrics {
  return {
    testMapAt10: r.metrics.mapAt10,
    meanTestMapAt10: r.metrics.meanMapAt10,
    gapAt20: r.metrics.gapAt20,
    perClassMap: r.metrics.meanPerClassMap,
    perClassMapByTask: r.metrics.perClassMap,
    hitAt1: r.metrics.hitAt1,
    loss: r.history.at(-1)?.trainLoss ?? Number.NaN,
    parameterCount: r.net.paramCount(),
  };
}

function getModel(key: string, dir: string): Promise<{ net: Network; measure: string }> {
  let entry = models.get(key);
  if (entry) {
    // Re-insert to mark it most recently used.
    models.delete(key);
    models.set(key, entry);
    return entry;
  }
  entry = loadModel(dir).then(({ net, meta }) => {
    net.frozen = true;
    return { net, measure: meta.config.measure };
  });
  entry.catch(() => models.delete(key));
  models.set(key, entry);
  while (models.size > cacheSize) {
    const [oldKey, old] = models.entries().next().value as [string, Promise<{ net: Network }>];
    models.delete(oldKey);
    void old.then(({ net }) => net.dispose(), () => undefined);
  }
  return entry;
}

/** A call's result, tagged with its kind, and the buffers to transfer rather than copy. */
async function answer(call: WorkerCall): Promise<{ result: WorkerResult; transfer: ArrayBuffer[] }> {
  switch (call.kind) {
    case 'predict': {
      const value = await predict(call);
      return { result: { kind: 'predict', value }, transfer: transferable(value) };
    }
    case 'activation':
      return { result: { kind: 'activation', value: await activation(call) }, transfer: [] };
    case 'stats':
      return { result: { kind: 'stats', value: stats() }, transfer: [] };
  }
}

async function predict(call: PredictCall): Promise<PredictResult> {
  const { net } = await getModel(call.modelKey, call.modelDir);
  const started = performance.now();
  // One forward pass for every asked task (on the native path the tasks share layer 1 and batch the later layers).
  const tasks = call.allScores ? predictAllScores(net, call.x, call.n, call.tasks) : predictTopK(net, call.x, call.n, call.tasks, call.topK, call.threshold);
  return { tasks, computeMs: performance.now() - started };
}

/** The result's buffers, each once (all-scores results share one empty buffer; a duplicate fails the transfer). */
function transferable(value: PredictResult): ArrayBuffer[] {
  return [...new Set(value.tasks.flatMap((r) => [r.indices.buffer, r.scores.buffer, r.counts.buffer] as ArrayBuffer[]))];
}

function stats(): WorkerStats {
  const m = tf.memory();
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return {
    worker: workerIndex,
    numTensors: m.numTensors,
    numBytes: m.numBytes,
    wasmHeapBytes: wasm?.HEAPU8?.buffer.byteLength ?? 0,
    jsHeapBytes: v8.getHeapStatistics().used_heap_size,
  };
}

async function activation(call: ActivationCall): Promise<ActivationReport> {
  const { net, measure } = await getModel(call.modelKey, call.modelDir);
  const layers = net.towers[0]!.layers.flatMap((l) =>
    l.act
      ? [{ alpha: l.act.alpha, hinges: l.act.beta, ...(measure === 'RUNNING' ? { mu: l.act.mu, sigma: l.act.sigma } : { mu: 0, sigma: 1 }) }]
      : [],
  );
  return activationReport(layers, net.config.tasks.length, call.gridPoints);
}
