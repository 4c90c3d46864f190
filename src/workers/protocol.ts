/** Messages between the pool (main thread) and a worker thread; imported by both sides. */
// BackendChoice from config/, not model/backend.ts: the pool's side must not reach tfjs, even for a type.
import type { BackendChoice } from '../config/config.js';
import type { DatasetSummary, JobMetrics, JobProgress } from '../domain/job.js';
import type { TaskTopClasses } from '../domain/top-classes.js';
import type { TrainRequest } from '../domain/train-request.js';
import type { WireError } from '../errors/wire.js';
import type { ActivationReport } from '../functional/activation-report.js';

export type { BackendChoice };

/** Why a running job is being stopped. */
export type StopReason = 'cancel' | 'shutdown' | 'deadline';

export interface TrainJobPayload {
  jobId: string;
  /** Dataset paths already resolved to absolute paths inside the data roots. */
  request: TrainRequest;
  /** The job's private folder: checkpoint/ and the finished model/ go here. */
  jobDir: string;
  /** Seconds; 0 = none. The job fails with a reason naming the limit when it is exceeded. */
  maxRuntimeSeconds: number;
  /** Threads the job's steps run on (1 or 2; TAAN_TRAIN_THREADS_PER_JOB): train()'s `threads`. */
  trainThreads: number;
}

export interface PredictCall {
  kind: 'predict';
  modelDir: string;
  /** Identifies the model version in the worker's cache. */
  modelKey: string;
  /** n x inputDim, row-major (transferred, not copied). */
  x: Float32Array;
  n: number;
  tasks: number[];
  topK: number;
  /** Only classes scoring at least this; null = no threshold. */
  threshold: number | null;
  /** Every class's probability in class order instead of the top-k (topK and threshold unused). */
  allScores: boolean;
}

export type PredictTaskResult = TaskTopClasses;

/** A Predict batch's answer: per asked task, in order; and how long the worker computed it (the batcher's pacing). */
export interface PredictResult {
  tasks: PredictTaskResult[];
  computeMs: number;
}

export interface ActivationCall {
  kind: 'activation';
  modelDir: string;
  modelKey: string;
  gridPoints: number;
}

/** Memory of one worker's tfjs instance (the `taan_worker_*` gauges; tensor counts must stay flat under load). */
export interface StatsCall {
  kind: 'stats';
}

export interface WorkerStats {
  worker: number;
  /** tf.memory(): live tensors and the bytes they hold. */
  numTensors: number;
  numBytes: number;
  /** Size of the wasm backend's linear memory (it only grows); 0 on other backends. */
  wasmHeapBytes: number;
  /** V8 heap of the worker's isolate in use. */
  jsHeapBytes: number;
}

export type WorkerCall = PredictCall | ActivationCall | StatsCall;

/** What each kind of call answers: the pool's call() is typed by it, so no caller casts a result. */
export interface WorkerResults {
  predict: PredictResult;
  activation: ActivationReport;
  stats: WorkerStats;
}

export type CallKind = WorkerCall['kind'];

/** A call's answer as it travels back, tagged with the kind of call it answers. */
export type WorkerResult = { [K in CallKind]: { kind: K; value: WorkerResults[K] } }[CallKind];

export type ToWorker =
  | { type: 'init'; backend: BackendChoice; modelCacheSize: number; workerIndex: number }
  | { type: 'train'; job: TrainJobPayload }
  | { type: 'stop'; jobId: string; reason: StopReason }
  | { type: 'call'; id: number; call: WorkerCall };

export type FromWorker =
  | {
      type: 'ready';
      backend: string;
      provider: string;
      reason: string;
      /** Compute path (BackendInfo.path): native-blas or tfjs-<backend>. */
      path: string;
      /** Candidates skipped before it, with why (e.g. why the native BLAS addon is not used). */
      skipped: Array<{ provider: string; error: string }>;
    }
  | { type: 'initFailed'; error: WireError }
  | {
      type: 'progress';
      jobId: string;
      progress: JobProgress;
      datasetSummary?: DatasetSummary;
      /** Durations of the steps taken since the previous message, for the step histogram. */
      stepSeconds: number[];
      epochEnd: boolean;
    }
  | { type: 'trained'; jobId: string; modelDir: string; metrics: JobMetrics }
  | { type: 'jobFailed'; jobId: string; error: WireError; stoppedBy?: StopReason }
  | { type: 'result'; id: number; result: WorkerResult }
  | { type: 'callFailed'; id: number; error: WireError };

/** What a worker reports about the job it runs (the pool hands these to the job's listener). */
export type JobReport = Extract<FromWorker, { type: 'progress' | 'trained' | 'jobFailed' }>;
