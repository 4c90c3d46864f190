import { describe, expect, it } from 'vitest';
import { hitAt1, mapAtK, perClassMap } from '../../src/eval/average-precision.js';
import { gapAtK } from '../../src/eval/gap.js';
import { taskMetrics } from '../../src/eval/task-metrics.js';

describe('taskMetrics', () => {
  it('reports per-task metrics and means over non-empty tasks', () => {
    // Task 0: 2 examples x 3 classes; task 1: empty; task 2: 1 example x 2 classes.
    const t0 = {
      scores: Float32Array.from([0.9, 0.3, 0.6, 0.2, 0.8, 0.7]),
      labels: Uint8Array.from([1, 1, 0, 0, 0, 1]),
      n: 2,
      C: 3,
    };
    const t1 = { scores: new Float32Array(0), labels: new Uint8Array(0), n: 0, C: 5 };
    const t2 = { scores: Float64Array.from([0.1, 0.65]), labels: Uint8Array.from([1, 0]), n: 1, C: 2 };
    const m = taskMetrics([t0, t1, t2]);

    // Task 0 mAP@10: e0 hits at ranks 1 and 3 -> (1 + 2/3)/2 = 5/6; e1 hit at rank 2 -> 1/2; mean 2/3.
    // Task 2 mAP@10: hit at rank 2 -> 1/2.  Mean over tasks 0 and 2 = (2/3 + 1/2)/2 = 7/12.
    expect(m.mapAt10[0]).toBeCloseTo(2 / 3, 12);
    expect(m.mapAt10[1]).toBeNaN();
    expect(m.mapAt10[2]).toBeCloseTo(1 / 2, 12);
    expect(m.meanMapAt10).toBeCloseTo(7 / 12, 12);

    const blocks = [t0, t1, t2];
    blocks.forEach((t, i) => {
      expect(m.perClassMap[i]).toEqual(perClassMap(t.scores, t.labels, t.n, t.C).map);
      expect(m.hitAt1[i]).toEqual(hitAt1(t.scores, t.labels, t.n, t.C));
      expect(m.mapAt10[i]).toEqual(mapAtK(t.scores, t.labels, t.n, t.C, 10).map);
    });
    expect(m.meanPerClassMap).toBeCloseTo(((m.perClassMap[0] as number) + (m.perClassMap[2] as number)) / 2, 12);
    // Hit@1: task 0 e0 top .9 positive, e1 top .8 negative -> 1/2; task 2 top .65 negative -> 0.
    expect(m.hitAt1[0]).toBe(0.5);
    expect(m.hitAt1[2]).toBe(0);
    expect(m.gapAt20).toBe(gapAtK(blocks, 20));
  });

  it('gives NaN means when every task is empty', () => {
    const m = taskMetrics([{ scores: new Float64Array(0), labels: new Uint8Array(0), n: 0, C: 3 }]);
    expect(m.meanMapAt10).toBeNaN();
    expect(m.meanPerClassMap).toBeNaN();
    expect(m.gapAt20).toBe(0);
  });
});
