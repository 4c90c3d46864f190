/**
 * Per-feature standardisation with the training split's mean and standard deviation. Used for ARFF datasets,
 * whose features come on arbitrary scales (CAL500's range from about -109 to 24); YouTube-8M's video-level features
 * stay raw, as the authors used them. The statistics travel with the model so Predict applies the same transform.
 */
import type { MultiTaskDataset, Split } from './dataset.js';

export interface Normalization {
  mean: Float32Array;
  std: Float32Array;
}

export function standardize(ds: MultiTaskDataset): { dataset: MultiTaskDataset; normalization: Normalization } {
  const D = ds.inputDim;
  const { x, n } = ds.train;
  const mean = new Float64Array(D);
  const sq = new Float64Array(D);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < D; j++) {
      const v = x[i * D + j]!;
      mean[j] = mean[j]! + v;
      sq[j] = sq[j]! + v * v;
    }
  const norm: Normalization = { mean: new Float32Array(D), std: new Float32Array(D) };
  for (let j = 0; j < D; j++) {
    const m = n ? mean[j]! / n : 0;
    const variance = n ? Math.max(0, sq[j]! / n - m * m) : 0;
    norm.mean[j] = m;
    // A constant feature is left centred, not blown up.
    norm.std[j] = variance > 1e-12 ? Math.sqrt(variance) : 1;
  }
  const apply = (s: Split): Split => ({ ...s, x: applyNormalization(s.x, D, norm) });
  return { dataset: { ...ds, train: apply(ds.train), valid: apply(ds.valid), test: apply(ds.test) }, normalization: norm };
}

export function applyNormalization(x: Float32Array, D: number, norm: Normalization): Float32Array {
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i]! - norm.mean[i % D]!) / norm.std[i % D]!;
  return out;
}
