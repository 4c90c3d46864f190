/**
 * Everything a training run needs to continue after a crash: parameters, optimizer moments, layer statistics,
 * the best epoch's parameters for early stopping, and where it was. One file, replaced atomically after every
 * epoch, so a kill -9 leaves either the previous checkpoint or the new one.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { EPOCH_RECORD, LAYER_STATS, type EpochRecord, type LayerStats } from '../model/model-metadata.js';
import { decodeTensorFile, encodeTensorFile, type NamedArrays } from '../model/tensor-file.js';
import { writeFileAtomic } from '../util/atomic.js';
import { arrayOf, integer, measurement, nullable, object, parseShape, string, type Shape } from '../util/json-shape.js';

export const CHECKPOINT_FILE = 'checkpoint.bin';

export interface CheckpointState {
  /** Identifies the config and options the run was started with; a resume with others is refused. */
  fingerprint: string;
  /** The next epoch to run (0-based). */
  nextEpoch: number;
  /** Steps of nextEpoch already taken (a checkpoint written at shutdown, mid-epoch); 0 after a completed epoch. */
  stepInEpoch: number;
  /** Running sums of that partial epoch, so its reported mean loss and step time stay exact. */
  epochLossSum: number;
  epochSecSum: number;
  /** Optimizer steps taken so far (continues across resumes). */
  step: number;
  adamStep: number;
  stats: LayerStats[];
  best: { score: number; epoch: number; stats: LayerStats[] } | null;
  badEpochs: number;
  history: EpochRecord[];
  /** Parameters by name, `adam.*` moments, and `best.*` parameters of the best epoch so far. */
  arrays: NamedArrays;
}

const CHECKPOINT_META: Shape<Omit<CheckpointState, 'arrays'>> = object({
  fingerprint: string,
  nextEpoch: integer,
  stepInEpoch: integer,
  epochLossSum: measurement,
  epochSecSum: measurement,
  step: integer,
  adamStep: integer,
  stats: arrayOf(LAYER_STATS),
  best: nullable(object({ score: measurement, epoch: integer, stats: arrayOf(LAYER_STATS) })),
  badEpochs: integer,
  history: arrayOf(EPOCH_RECORD),
});

export async function saveCheckpoint(dir: string, state: CheckpointState): Promise<void> {
  const { arrays, ...meta } = state;
  await writeFileAtomic(path.join(dir, CHECKPOINT_FILE), encodeTensorFile(arrays, meta));
}

/**
 * The checkpoint in `dir`, or undefined when there is none. A corrupt one (bad checksum, or a header that is not a
 * checkpoint's) throws CorruptDataError.
 */
export async function loadCheckpoint(dir: string): Promise<CheckpointState | undefined> {
  const file = path.join(dir, CHECKPOINT_FILE);
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  const { arrays, meta } = decodeTensorFile(bytes, file);
  return { ...parseShape(CHECKPOINT_META, meta, `corrupt checkpoint ${file}`), arrays };
}
