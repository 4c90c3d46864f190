/**
 * The multi-task dataset the engine trains on. Features live once per split in one dense matrix; each task
 * names the rows it owns (an example joins every task it has a positive label of, as the authors do) and holds
 * its own dense label block, so a video in three YouTube-8M verticals is stored once and labelled three times.
 */
import type { TaskSpec } from '../domain/model-spec.js';

export interface TaskRows {
  /** Indices into the split's feature matrix. */
  rows: Int32Array;
  /** rows.length x classes, 1 = positive. */
  labels: Uint8Array;
}

export interface Split {
  /** n x inputDim, row-major. */
  x: Float32Array;
  n: number;
  /** Ids of the n examples, if the source has them. */
  ids?: string[];
  /** Parallel to the dataset's tasks. */
  tasks: TaskRows[];
}

export interface MultiTaskDataset {
  name: string;
  inputDim: number;
  tasks: TaskSpec[];
  train: Split;
  valid: Split;
  test: Split;
  /** Known task clusters (synthetic data only): cluster index per task. */
  clusters?: number[];
}

export interface TaskSummary {
  task: string;
  classes: number;
  trainExamples: number;
  validExamples: number;
  testExamples: number;
}

export function summarize(ds: MultiTaskDataset): TaskSummary[] {
  return ds.tasks.map((t, i) => ({
    task: t.name,
    classes: t.labels.length,
    trainExamples: ds.train.tasks[i]?.rows.length ?? 0,
    validExamples: ds.valid.tasks[i]?.rows.length ?? 0,
    testExamples: ds.test.tasks[i]?.rows.length ?? 0,
  }));
}
