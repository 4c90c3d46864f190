/**
 * The multi-task dataset the engine trains on. Features live once per split in one dense matrix; each task
 * names the rows it owns (an example joins every task it has a positive label of, as the authors do) and holds
 * its own dense label block, so a video in three YouTube-8M verticals is stored once and labelled three times.
 */
import type { TaskSummary } from '../domain/job.js';
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

export function summarize(ds: MultiTaskDataset): TaskSummary[] {
  return ds.tasks.map((t, i) => ({
    task: t.name,
    classes: t.labels.length,
    trainExamples: ds.train.tasks[i]?.rows.length ?? 0,
    validExamples: ds.valid.tasks[i]?.rows.length ?? 0,
    testExamples: ds.test.tasks[i]?.rows.length ?? 0,
  }));
}

/**
 * Keeps only the tasks that have training examples (a small sample of a real set may have none for a rare task,
 * and a task that cannot be trained cannot be evaluated either). Returns the dataset and the names dropped.
 */
export function dropUntrainableTasks(ds: MultiTaskDataset): { dataset: MultiTaskDataset; dropped: string[] } {
  const keep = ds.tasks.map((_, t) => (ds.train.tasks[t]?.rows.length ?? 0) > 0);
  if (keep.every(Boolean)) return { dataset: ds, dropped: [] };
  const pick = <T>(xs: T[]): T[] => xs.filter((_, t) => keep[t]);
  return {
    dataset: {
      ...ds,
      tasks: pick(ds.tasks),
      train: { ...ds.train, tasks: pick(ds.train.tasks) },
      valid: { ...ds.valid, tasks: pick(ds.valid.tasks) },
      test: { ...ds.test, tasks: pick(ds.test.tasks) },
      ...(ds.clusters ? { clusters: pick(ds.clusters) } : {}),
    },
    dropped: ds.tasks.filter((_, t) => !keep[t]).map((t) => t.name),
  };
}
