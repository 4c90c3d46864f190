/**
 * All §5 metrics for a multi-task evaluation, one block per task.
 */
import { hitAt1, mapAtK, perClassMap } from './average-precision.js';
import { gapAtK } from './gap.js';
import type { ScoreBlock } from './ranking.js';

export interface TaskMetrics {
  /** The paper's headline metric per task (NaN for a task with no examples). */
  mapAt10: number[];
  meanMapAt10: number;
  perClassMap: number[];
  meanPerClassMap: number;
  /** Pooled over all tasks, so it has no per-task breakdown. */
  gapAt20: number;
  hitAt1: number[];
}

/**
 * Means run over tasks with n > 0: an empty task has no examples to score and must not drag the headline
 * towards 0. A task with examples but no positives at all (impossible under §5's membership rule, but not
 * prevented here) has an undefined per-class mAP, which is likewise left out of meanPerClassMap.
 */
export function taskMetrics(perTask: ScoreBlock[]): TaskMetrics {
  const mapAt10: number[] = [];
  const perClass: number[] = [];
  const hit: number[] = [];
  for (const { scores, labels, n, C } of perTask) {
    mapAt10.push(mapAtK(scores, labels, n, C, 10).map);
    perClass.push(perClassMap(scores, labels, n, C).map);
    hit.push(hitAt1(scores, labels, n, C));
  }
  const nonEmpty = (values: number[]): number[] => values.filter((_, t) => (perTask[t]?.n ?? 0) > 0);
  return {
    mapAt10,
    meanMapAt10: mean(nonEmpty(mapAt10)),
    perClassMap: perClass,
    meanPerClassMap: mean(nonEmpty(perClass).filter((v) => !Number.isNaN(v))),
    gapAt20: gapAtK(perTask, 20),
    hitAt1: hit,
  };
}

function mean(values: number[]): number {
  if (values.length === 0) return NaN;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
