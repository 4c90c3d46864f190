/**
 * Proto <-> domain. Incoming: proto3 zero values mean "not set" and become the authors' defaults (method.md), so
 * the Job echoes the request as accepted. Outgoing: domain records become proto messages.
 */
import type { JobEvent } from '../jobs/job-events.js';
import type { JobMetrics, JobProgress, JobRecord } from '../domain/job.js';
import type { Architecture, LossWeighting, MeasureMode, Regularizer } from '../domain/model-spec.js';
import { DEFAULT_MODEL_SHAPE, DEFAULT_NUM_EXPERTS, DEFAULT_TRAIN_OPTIONS, lossWeightingOf } from '../domain/model-spec.js';
import { DEFAULT_SPLIT, DEFAULT_YT8M_SPLIT, DEFAULT_SYNTHETIC_SOURCE as SYN, validateTrainRequest, type DatasetSource, type TaskGrouping, type TrainRequest } from '../domain/train-request.js';
import { InvalidArgumentError } from '../errors/errors.js';
import type { ActivationReport } from '../functional/activation-report.js';
import type { PredictOutput } from '../serving/predictor.js';
import type { ModelRef } from '../store/model-store.js';
import { validateLabel, validateModelName } from '../store/model-store.js';
import type { ActivationMetrics } from './generated/taan/v1/ActivationMetrics.js';
import type { Job } from './generated/taan/v1/Job.js';
import type { JobEvent as JobEventProto } from './generated/taan/v1/JobEvent.js';
import type { JobMetrics as JobMetricsProto } from './generated/taan/v1/JobMetrics.js';
import type { JobProgress as JobProgressProto } from './generated/taan/v1/JobProgress.js';
import type { Model } from './generated/taan/v1/Model.js';
import type { TrainJobRequest, TrainJobRequest__Output } from './generated/taan/v1/TrainJobRequest.js';
import type { Timestamp } from './generated/google/protobuf/Timestamp.js';

const GROUPINGS: readonly TaskGrouping[] = ['single', 'prefix', 'cal500', 'cal500-6', 'explicit'];

export function trainRequestFromProto(m: TrainJobRequest__Output): TrainRequest {
  validateModelName(m.model_name, 'model_name');
  if (m.submission_id.length > 200) throw InvalidArgumentError.field('submission_id', 'at most 200 characters');
  m.version_labels.forEach((l, i) => validateLabel(l, `version_labels[${i}]`));
  const req: TrainRequest = {
    modelName: m.model_name,
    submissionId: m.submission_id,
    dataset: datasetFromProto(m),
    architecture: m.architecture === 'ARCHITECTURE_UNSPECIFIED' ? 'TAAN' : (m.architecture as Architecture),
    hiddenSizes: m.hidden_sizes.length ? m.hidden_sizes : [...DEFAULT_MODEL_SHAPE.hiddenSizes],
    numBasis: m.num_basis || DEFAULT_MODEL_SHAPE.numBasis,
    regularizer: m.regularizer === 'REGULARIZER_UNSPECIFIED' ? 'NONE' : (m.regularizer as Regularizer),
    regCoefficient: m.reg_coefficient ?? DEFAULT_TRAIN_OPTIONS.regCoefficient,
    learningRate: m.learning_rate ?? DEFAULT_TRAIN_OPTIONS.learningRate,
    weightDecay: m.weight_decay ?? DEFAULT_TRAIN_OPTIONS.weightDecay,
    batchSizePerTask: m.batch_size_per_task || DEFAULT_TRAIN_OPTIONS.batchSizePerTask,
    maxEpochs: m.max_epochs || DEFAULT_TRAIN_OPTIONS.maxEpochs,
    earlyStoppingPatience: m.early_stopping_patience ?? DEFAULT_TRAIN_OPTIONS.earlyStoppingPatience,
    seed: m.seed,
    maxRuntimeSeconds: m.max_runtime_seconds,
    measure: m.measure === 'MEASURE_RUNNING' ? 'RUNNING' : 'STANDARD',
    versionLabels: m.version_labels,
    lossWeighting: m.loss_weighting === 'LOSS_WEIGHTING_UNSPECIFIED' ? 'EQUAL' : (m.loss_weighting as LossWeighting),
    numExperts: m.num_experts || DEFAULT_NUM_EXPERTS,
    towerHiddenSizes: m.tower_hidden_sizes,
  };
  // Fields of MMOE on another architecture are a mistake worth reporting, not ignoring.
  if (req.architecture !== 'MMOE' && m.num_experts !== 0) throw InvalidArgumentError.field('num_experts', 'only MMOE has experts');
  validateTrainRequest(req);
  return req;
}

function datasetFromProto(m: TrainJobRequest__Output): DatasetSource {
  switch (m.dataset) {
    case 'synthetic': {
      const s = m.synthetic!;
      return {
        kind: 'synthetic',
        tasks: s.tasks || SYN.tasks,
        clusters: s.clusters || SYN.clusters,
        features: s.features || SYN.features,
        labelsPerTask: s.labels_per_task || SYN.labelsPerTask,
        examplesPerTask: s.examples_per_task || SYN.examplesPerTask,
        noise: s.noise ?? SYN.noise,
        seed: s.seed,
        latentDim: s.latent_dim || SYN.latentDim,
      };
    }
    case 'yt8m': {
      const y = m.yt8m!;
      if (!y.train_files.length) throw InvalidArgumentError.field('yt8m.train_files', 'needs at least one file');
      if (!y.vocabulary_path) throw InvalidArgumentError.field('yt8m.vocabulary_path', 'is required');
      return {
        kind: 'yt8m',
        trainFiles: y.train_files,
        validFiles: y.valid_files,
        testFiles: y.test_files,
        vocabularyPath: y.vocabulary_path,
        verticals: y.verticals,
        validFraction: y.valid_fraction ?? DEFAULT_YT8M_SPLIT.validFraction,
        testFraction: y.test_fraction ?? DEFAULT_YT8M_SPLIT.testFraction,
        splitSeed: y.split_seed,
        datasetId: y.dataset_id,
      };
    }
    case 'arff': {
      const a = m.arff!;
      if (!a.path) throw InvalidArgumentError.field('arff.path', 'is required');
      const grouping = (a.task_grouping || (a.groups.length ? 'explicit' : 'single')) as TaskGrouping;
      if (!GROUPINGS.includes(grouping)) throw InvalidArgumentError.field('arff.task_grouping', `must be one of ${GROUPINGS.join(', ')}`);
      return {
        kind: 'arff',
        path: a.path,
        testPath: a.test_path,
        labelsXmlPath: a.labels_xml_path,
        taskGrouping: grouping,
        groups: a.groups.map((g) => ({ task: g.task, labels: g.labels })),
        validFraction: a.valid_fraction ?? DEFAULT_SPLIT.validFraction,
        testFraction: a.test_fraction ?? DEFAULT_SPLIT.testFraction,
        splitSeed: a.split_seed,
        datasetId: a.dataset_id,
      };
    }
    case 'dataset_id':
      if (!m.dataset_id) throw InvalidArgumentError.field('dataset_id', 'is empty');
      return { kind: 'uploaded', datasetId: m.dataset_id };
    default:
      throw InvalidArgumentError.field('dataset', 'choose one of synthetic, yt8m, arff or dataset_id');
  }
}

export function trainRequestToProto(r: TrainRequest): TrainJobRequest {
  const d = r.dataset;
  const dataset: Partial<TrainJobRequest> =
    d.kind === 'synthetic'
      ? { synthetic: { tasks: d.tasks, clusters: d.clusters, features: d.features, labels_per_task: d.labelsPerTask, examples_per_task: d.examplesPerTask, noise: d.noise, seed: d.seed, latent_dim: d.latentDim } }
      : d.kind === 'yt8m'
        ? { yt8m: { train_files: d.trainFiles, valid_files: d.validFiles, test_files: d.testFiles, vocabulary_path: d.vocabularyPath, verticals: d.verticals, valid_fraction: d.validFraction, test_fraction: d.testFraction, split_seed: d.splitSeed, dataset_id: d.datasetId } }
        : d.kind === 'arff'
          ? { arff: { path: d.path, test_path: d.testPath, labels_xml_path: d.labelsXmlPath, task_grouping: d.taskGrouping, groups: d.groups, valid_fraction: d.validFraction, test_fraction: d.testFraction, split_seed: d.splitSeed, dataset_id: d.datasetId } }
          : { dataset_id: d.datasetId };
  return {
    model_name: r.modelName,
    submission_id: r.submissionId,
    ...dataset,
    architecture: r.architecture,
    hidden_sizes: r.hiddenSizes,
    num_basis: r.numBasis,
    regularizer: r.regularizer,
    reg_coefficient: r.regCoefficient,
    learning_rate: r.learningRate,
    weight_decay: r.weightDecay,
    batch_size_per_task: r.batchSizePerTask,
    max_epochs: r.maxEpochs,
    early_stopping_patience: r.earlyStoppingPatience,
    seed: r.seed,
    max_runtime_seconds: r.maxRuntimeSeconds,
    measure: measureToProto(r.measure),
    version_labels: r.versionLabels,
    loss_weighting: r.lossWeighting ?? 'EQUAL',
    num_experts: r.architecture === 'MMOE' ? (r.numExperts ?? DEFAULT_NUM_EXPERTS) : 0,
    tower_hidden_sizes: r.towerHiddenSizes ?? [],
  };
}

export function measureToProto(m: MeasureMode): 'MEASURE_STANDARD' | 'MEASURE_RUNNING' {
  return m === 'RUNNING' ? 'MEASURE_RUNNING' : 'MEASURE_STANDARD';
}

export function timestamp(iso: string | null): Timestamp | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return { seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 };
}

function progressToProto(p: JobProgress | null): JobProgressProto | null {
  if (!p) return null;
  return {
    epoch: p.epoch,
    step: p.step,
    total_steps: p.totalSteps,
    fraction: p.fraction,
    loss: p.loss ?? 0,
    step_seconds: p.stepSeconds ?? 0,
    valid_map_at_10: p.validMapAt10 ?? {},
  };
}

export function metricsToProto(m: JobMetrics | null | undefined): JobMetricsProto | null {
  if (!m) return null;
  return {
    test_map_at_10: m.testMapAt10,
    mean_test_map_at_10: m.meanTestMapAt10,
    gap_at_20: m.gapAt20,
    per_class_map: m.perClassMap,
    loss: m.loss,
    per_class_map_by_task: m.perClassMapByTask,
    hit_at_1: m.hitAt1,
    parameter_count: m.parameterCount ?? 0,
  };
}

export function jobToProto(j: JobRecord): Job {
  return {
    job_id: j.jobId,
    submission_id: j.submissionId,
    model_name: j.modelName,
    state: j.state,
    create_time: timestamp(j.createTime),
    start_time: timestamp(j.startTime),
    end_time: timestamp(j.endTime),
    progress: progressToProto(j.progress),
    transitions: j.transitions.map((t) => ({ state: t.state, time: timestamp(t.time), message: t.message })),
    failure_reason: j.failureReason,
    model_version: j.modelVersion,
    metrics: metricsToProto(j.metrics),
    dataset_summary: j.datasetSummary
      ? {
          name: j.datasetSummary.name,
          tasks: j.datasetSummary.tasks.map((t) => ({
            task: t.task,
            classes: t.classes,
            train_examples: t.trainExamples,
            valid_examples: t.validExamples,
            test_examples: t.testExamples,
          })),
        }
      : null,
    runner: j.runner,
    request: trainRequestToProto(j.request),
  };
}

export function jobEventToProto(e: JobEvent): JobEventProto {
  return { job_id: e.jobId, time: timestamp(e.time), state: e.state, message: e.message, progress: progressToProto(e.progress) };
}

export function modelToProto(ref: ModelRef, versions: number[], labels: Record<string, number>): Model {
  const c = ref.meta.config;
  const m = ref.meta.metrics;
  return {
    name: ref.name,
    version: ref.version,
    versions,
    version_labels: labels,
    tasks: c.tasks.map((t) => ({ name: t.name, labels: t.labels })),
    input_dim: c.inputDim,
    architecture: c.architecture,
    parameter_count: ref.meta.paramCount,
    test_metrics: m
      ? {
          test_map_at_10: m.mapAt10,
          mean_test_map_at_10: m.meanMapAt10,
          gap_at_20: m.gapAt20,
          per_class_map: m.meanPerClassMap,
          loss: ref.meta.history?.at(-1)?.trainLoss ?? 0,
          per_class_map_by_task: m.perClassMap,
          hit_at_1: m.hitAt1,
        }
      : null,
    create_time: timestamp(ref.meta.createdAt),
    hidden_sizes: c.hiddenSizes,
    num_basis: c.architecture === 'TAAN' ? c.numBasis : 0,
    job_id: String(ref.meta.extra?.['jobId'] ?? ''),
    measure: measureToProto(c.measure),
    history: (ref.meta.history ?? []).map((h) => ({
      epoch: h.epoch,
      step: h.step,
      train_loss: h.trainLoss,
      mean_valid_map_at_10: h.meanValidMapAt10,
      valid_map_at_10: h.validMapAt10,
      seconds: h.seconds,
    })),
    loss_weighting: lossWeightingOf(c),
    num_experts: c.architecture === 'MMOE' ? (c.numExperts ?? DEFAULT_NUM_EXPERTS) : 0,
    tower_hidden_sizes: c.towerHiddenSizes ?? [],
  };
}

export function activationToProto(ref: ModelRef, r: ActivationReport): ActivationMetrics {
  return {
    model: { name: ref.name, version: ref.version, version_label: '' },
    tasks: ref.meta.config.tasks.map((t) => t.name),
    layers: r.layers.map((l) => ({
      layer: l.layer,
      mu: l.mu,
      sigma: l.sigma,
      basis_locations: l.basisLocations,
      alpha: l.alpha,
      distance: l.distance,
      cosine: l.cosine,
      curves: l.curves,
    })),
    task_order: r.taskOrder,
    measure: measureToProto(ref.meta.config.measure),
  };
}

/**
 * PredictResponse in protobuf wire format, written straight from the worker's typed arrays: no object per example,
 * task or class, and no protobufjs pass. Field numbers follow proto/taan/v1/taan.proto (PredictResponse: model = 1,
 * results = 2; ModelSpec: name = 1, version = 2; ExampleResult: id = 1, tasks = 2; TaskPrediction: task = 1,
 * classes = 2; ClassScore: index = 1, label = 2, score = 3). Fields at their proto3 default are left out (except
 * scores, always written), as protobuf encoders do; any decoder reads the same message either way.
 */
export function encodePredictResponse(out: PredictOutput): Buffer {
  const { n, tasks } = out;
  const T = tasks.length;
  // Sizes first (nested messages are length-prefixed), kept in a scratch array in the order they are written:
  // per example its size, then per task its size and its classes' sizes. Then one pass of writes into one buffer.
  let slots = n;
  for (const t of tasks) for (let i = 0; i < n; i++) slots += 1 + t.counts[i]!;
  const sizes = scratch(slots);
  const ids = out.ids;
  const modelSize = stringField(out.model.name) + uintField(out.model.version);
  let total = lenField(modelSize);
  let at = 0;
  for (let i = 0; i < n; i++) {
    const exampleAt = at++;
    let size = stringField(ids ? ids[i]! : String(i));
    for (let t = 0; t < T; t++) {
      const task = tasks[t]!;
      const taskAt = at++;
      let ts = stringField(task.name);
      for (let c = 0, slot = i * task.k; c < task.counts[i]!; c++, slot++) {
        const index = task.indices[slot]!;
        const cs = (sizes[at++] = uintField(index) + stringField(task.labels[index] ?? '') + 5);
        ts += lenField(cs);
      }
      sizes[taskAt] = ts;
      size += lenField(ts);
    }
    sizes[exampleAt] = size;
    total += lenField(size);
  }
  const w = new ProtoWriter(total);
  w.tag(1, 2).varint(modelSize).string(1, out.model.name).uint(2, out.model.version);
  at = 0;
  for (let i = 0; i < n; i++) {
    w.tag(2, 2).varint(sizes[at++]!).string(1, ids ? ids[i]! : String(i));
    for (let t = 0; t < T; t++) {
      const task = tasks[t]!;
      w.tag(2, 2).varint(sizes[at++]!).string(1, task.name);
      for (let c = 0, slot = i * task.k; c < task.counts[i]!; c++, slot++) {
        const index = task.indices[slot]!;
        w.tag(2, 2).varint(sizes[at++]!).uint(1, index).string(2, task.labels[index] ?? '').float(3, task.scores[slot]!);
      }
    }
  }
  return w.finish();
}

let scratchSizes = new Int32Array(1024);

/** A reused array of at least `n` ints (the encoder is synchronous, so one is enough). */
function scratch(n: number): Int32Array {
  if (scratchSizes.length < n) scratchSizes = new Int32Array(Math.max(n, scratchSizes.length * 2));
  return scratchSizes;
}

/** UTF-8 bytes of `s`: its length when it is ASCII (labels and ids usually are), without a call into C++. */
function utf8Length(s: string): number {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return Buffer.byteLength(s, 'utf8');
  return s.length;
}

/** Bytes of a string field with a one-byte tag; 0 when empty (left out). */
function stringField(s: string): number {
  if (!s) return 0;
  const len = utf8Length(s);
  return 1 + varintSize(len) + len;
}

/** Bytes of a non-negative int32 field with a one-byte tag; 0 when 0 (left out). */
function uintField(v: number): number {
  return v ? 1 + varintSize(v) : 0;
}

function varintSize(v: number): number {
  let size = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 128);
    size++;
  }
  return size;
}

/** Bytes of a length-delimited field with a one-byte tag (field numbers < 16) around `size` bytes of payload. */
function lenField(size: number): number {
  return 1 + varintSize(size) + size;
}

class ProtoWriter {
  private readonly buf: Buffer;
  private pos = 0;

  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
  }

  tag(field: number, wireType: number): this {
    this.buf[this.pos++] = (field << 3) | wireType;
    return this;
  }

  varint(v: number): this {
    while (v >= 0x80) {
      this.buf[this.pos++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.pos++] = v;
    return this;
  }

  /** A non-negative int32 field; left out when 0. */
  uint(field: number, v: number): this {
    return v ? this.tag(field, 0).varint(v) : this;
  }

  /** A string field; left out when empty. */
  string(field: number, s: string): this {
    if (!s) return this;
    const len = utf8Length(s);
    this.tag(field, 2).varint(len);
    if (len === s.length) {
      for (let i = 0; i < len; i++) this.buf[this.pos++] = s.charCodeAt(i);
    } else {
      this.pos += this.buf.write(s, this.pos, len, 'utf8');
    }
    return this;
  }

  /** A float field, always written (so a score of exactly 0 is still visible on the wire). */
  float(field: number, v: number): this {
    this.tag(field, 5);
    this.pos = this.buf.writeFloatLE(v, this.pos);
    return this;
  }

  finish(): Buffer {
    if (this.pos !== this.buf.length) throw new Error(`PredictResponse encoder wrote ${this.pos} of ${this.buf.length} bytes`);
    return this.buf;
  }
}
