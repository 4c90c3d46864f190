/** Scores a split task by task (a row of task t is scored with task t's activations and head). */
import type { MultiTaskDataset, Split } from '../data/dataset.js';
import { taskMetrics, type TaskMetrics } from '../eval/task-metrics.js';
import type { ScoreBlock } from '../eval/ranking.js';
import { predictTask } from '../model/predict.js';
import type { Network } from '../model/network.js';

export function scoreSplit(net: Network, ds: MultiTaskDataset, split: Split): ScoreBlock[] {
  const D = ds.inputDim;
  return ds.tasks.map((task, t) => {
    const rows = split.tasks[t]!.rows;
    const x = new Float32Array(rows.length * D);
    rows.forEach((r, i) => x.set(split.x.subarray(r * D, r * D + D), i * D));
    const C = task.labels.length;
    return { scores: predictTask(net, x, rows.length, t), labels: split.tasks[t]!.labels, n: rows.length, C };
  });
}

export function evaluateSplit(net: Network, ds: MultiTaskDataset, split: Split): TaskMetrics {
  return taskMetrics(scoreSplit(net, ds, split));
}
