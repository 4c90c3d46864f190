/**
 * A trained model on disk: a folder with model.json (config, task and label names, metrics, history, the
 * measure of every TAAN layer) and weights.bin (checksummed tensor file). The folder appears at once
 * (writeDirAtomic), so a reader never sees half a model. `formatVersion` lets later code read older models.
 * model.json itself (types, shape, reader) is model-metadata.ts, which the main thread reads without tfjs.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { CorruptDataError } from '../errors/errors.js';
import { writeDirAtomic } from '../util/atomic.js';
import { MODEL_FORMAT_VERSION, readModelMetadata, type ModelMetadata } from './model-metadata.js';
import { Network } from './network.js';
import { decodeTensorFile, encodeTensorFile } from './tensor-file.js';

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
