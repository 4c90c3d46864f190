import { describe, expect, it } from 'vitest';
import { summarize } from '../../src/data/dataset.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { InvalidArgumentError } from '../../src/errors/errors.js';

describe('synthetic data', () => {
  it('is deterministic for a seed and different across seeds', () => {
    const a = generateSynthetic({ seed: 5 });
    const b = generateSynthetic({ seed: 5 });
    const c = generateSynthetic({ seed: 6 });
    expect(b.train.x).toEqual(a.train.x);
    expect(b.test.tasks[3]!.labels).toEqual(a.test.tasks[3]!.labels);
    expect(c.train.x).not.toEqual(a.train.x);
  });

  it('has the requested shape, ground-truth clusters and only examples with a positive label', () => {
    const ds = generateSynthetic({ tasks: 16, clusters: 4, labelsPerTask: 12, examplesPerTask: 500, features: 20 });
    expect(ds.inputDim).toBe(20);
    expect(ds.clusters).toEqual(Array.from({ length: 16 }, (_, t) => t % 4));
    const s = summarize(ds);
    expect(s).toHaveLength(16);
    for (const t of s) {
      expect(t.classes).toBe(12);
      expect(t.trainExamples + t.validExamples + t.testExamples).toBeLessThanOrEqual(500);
      expect(t.trainExamples).toBeGreaterThan(200);
    }
    for (const split of [ds.train, ds.valid, ds.test]) {
      for (const task of split.tasks) {
        for (let i = 0; i < task.rows.length; i++) {
          expect(task.labels.subarray(i * 12, (i + 1) * 12).some((v) => v === 1)).toBe(true);
        }
      }
    }
  });

  it('rejects bad options naming the field', () => {
    expect(() => generateSynthetic({ clusters: 9, tasks: 4 })).toThrow(InvalidArgumentError);
    expect(() => generateSynthetic({ noise: -1 })).toThrow(/synthetic.noise/);
  });
});
