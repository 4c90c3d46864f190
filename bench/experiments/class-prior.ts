/**
 * The class-prior predictor: every video of a split gets, for each task, the training set's class frequencies as
 * scores. It learns nothing about the video, so a model whose validation mAP@10 sits at this level has learned only
 * the label frequencies (what the old training defaults did on YouTube-8M: docs/results/recipe.md).
 */
import type { MultiTaskDataset, Split } from '../../src/data/dataset.js';
import { mapAtK } from '../../src/eval/average-precision.js';

/** Per-task mAP@10 of the class prior on `split`, and their mean. */
export function classPriorMapAt10(ds: MultiTaskDataset, split: Split): { mean: number; byTask: Record<string, number> } {
  const byTask: Record<string, number> = {};
  ds.tasks.forEach((task, i) => {
    const classes = task.labels.length;
    const train = ds.train.tasks[i]!;
    const freq = new Float32Array(classes);
    for (let k = 0; k < train.labels.length; k++) freq[k % classes]! += train.labels[k]!;
    const target = split.tasks[i]!;
    const n = target.rows.length;
    const scores = new Float32Array(n * classes);
    for (let e = 0; e < n; e++) scores.set(freq, e * classes);
    byTask[task.name] = mapAtK(scores, target.labels, n, classes, 10).map;
  });
  const values = Object.values(byTask);
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, byTask };
}
