/**
 * A trained model on disk: a folder with model.json (config, task and label names, metrics, history, the
 * measure of every TAAN layer) and weights.bin (checksummed tensor file). The folder appears at once
 * (writeDirAtomic), so a reader never sees half a model. `formatVersion` lets later code read older models.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { ModelConfig, TrainOptions } from '../domain/model-spec.js';
import { CorruptDataError, NotFoundError } from '../errors/errors.js';
import { writeDirAtomic } from '../util/atomic.js';
import { Network, type LayerStats } from './network.js';
import { decodeTensorFile, encodeTensorFile } from './tensor-file.js';

export const MODEL_FORMAT_VERSION = 1;

export interface TestMetrics {
  /** Per task name. */
  mapAt10: Record<string, number>;
  meanMapAt10: number;
  perClassMap: Record<string, number>;
  meanPerClassMap: number;
  gapAt20: number;
  hitAt1: Record<string, number>;
}

export interface EpochRecord {
  epoch: number;
  step: number;
  trainLoss: number;
  validMapAt10: Record<string, number>;
  meanValidMapAt10: number;
  seconds: number;
}

export interface ModelMetadata {
  formatVersion: number;
  config: ModelConfig;
  paramCount: number;
  createdAt: string;
  trainOptions?: TrainOptions;
  metrics?: TestMetrics;
  history?: EpochRecord[];
  /** Feature standardisation applied before the network, if the dataset asked for one. */
  normalization?: { mean: number[]; std: number[] };
  stats: LayerStats[];
  weightsSha256: string;
  /** Free-form provenance (dataset name, job id, backend). */
  extra?: Record<string, unknown>;
}

export type SaveMetadata = Omit<ModelMetadata, 'formatVersion' | 'config' | 'paramCount' | 'createdAt' | 'stats' | 'weightsSha256'>;

export async function saveModel(dir: string, net: Network, meta: SaveMetadata): Promise<ModelMetadata> {
  const weights = encodeTensorFile(net.getArrays());
  const full: ModelMetadata = {
    formatVersion: MODEL_FORMAT_VERSION,
    config: net.config,
    paramCount: net.paramCount(),
    createdAt: new Date().toISOString(),
    ...meta,
    ...(net.normalization ? { normalization: { mean: Array.from(net.normalization.mean), std: Array.from(net.normalization.std) } } : {}),
    stats: net.getStats(),
    weightsSha256: createHash('sha256').update(weights).digest('hex'),
  };
  await writeDirAtomic(dir, { 'model.json': JSON.stringify(full, null, 2), 'weights.bin': weights });
  return full;
}

export async function readModelMetadata(dir: string): Promise<ModelMetadata> {
  let text: string;
  try {
    text = await fs.readFile(path.join(dir, 'model.json'), 'utf8');
  } catch {
    throw new NotFoundError('model', dir, `no model at ${dir}`);
  }
  let meta: ModelMetadata;
  try {
    meta = JSON.parse(text) as ModelMetadata;
  } catch {
    throw new CorruptDataError(`corrupt model.json in ${dir}`);
  }
  if (meta.formatVersion !== MODEL_FORMAT_VERSION) {
    throw new CorruptDataError(`model in ${dir} has format ${meta.formatVersion}; this build reads ${MODEL_FORMAT_VERSION}`);
  }
  return meta;
}

export async function loadModel(dir: string): Promise<{ net: Network; meta: ModelMetadata }> {
  const meta = await readModelMetadata(dir);
  const bytes = await fs.readFile(path.join(dir, 'weights.bin'));
  if (createHash('sha256').update(bytes).digest('hex') !== meta.weightsSha256) {
    throw new CorruptDataError(`corrupt weights.bin in ${dir}: checksum does not match model.json`);
  }
  const { arrays } = decodeTensorFile(bytes, path.join(dir, 'weights.bin'));
  const f32 = new Map<string, Float32Array>();
  for (const [k, a] of arrays) f32.set(k, a instanceof Float32Array ? a : Float32Array.from(a));
  const net = Network.fromArrays(meta.config, f32, meta.stats);
  if (meta.normalization) net.normalization = { mean: Float32Array.from(meta.normalization.mean), std: Float32Array.from(meta.normalization.std) };
  return { net, meta };
}
