/** model.json files written by hand, for tests of the readers that need no trained network (and no tfjs). */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MODEL_FORMAT_VERSION, type ModelMetadata } from '../../src/model/model-metadata.js';

export const SAMPLE_META: ModelMetadata = {
  formatVersion: MODEL_FORMAT_VERSION,
  config: { architecture: 'TAAN', inputDim: 4, hiddenSizes: [8], numBasis: 4, tasks: [{ name: 't0', labels: ['a', 'b'] }], measure: 'STANDARD' },
  paramCount: 70,
  createdAt: '2026-01-02T03:04:05.000Z',
  history: [{ epoch: 1, step: 10, trainLoss: Number.NaN, validMapAt10: { t0: 0.5 }, meanValidMapAt10: 0.5, seconds: 1.5 }],
  stats: [{ mu: 0, sigma: 1, statSteps: 0 }],
  weightsSha256: 'ab'.repeat(32),
  extra: { jobId: 'job-1' },
};

/** Writes `meta` (an object as JSON, a string as it is) as `<parent>/<version>/model.json`; returns the version's folder. */
export async function writeModelJson(parent: string, meta: unknown, version = 1): Promise<string> {
  const dir = path.join(parent, String(version));
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'model.json'), typeof meta === 'string' ? meta : JSON.stringify(meta));
  return dir;
}
