import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_OPTIONS } from '../../src/domain/model-spec.js';
import type { SweepSpec } from '../../src/domain/sweep.js';
import type { TrainRequest } from '../../src/domain/train-request.js';
import { InvalidArgumentError } from '../../src/errors/errors.js';
import { childRequest, childSubmissionId, expandGrid, gridSize, planPoints, pointText, samplePoints, validateSweepSpec } from '../../src/jobs/sweep-plan.js';

const base: TrainRequest = {
  ...DEFAULT_TRAIN_OPTIONS,
  modelName: 'm',
  submissionId: '',
  dataset: { kind: 'synthetic', tasks: 2, clusters: 1, features: 4, labelsPerTask: 3, examplesPerTask: 50, noise: 0.3, seed: 0, latentDim: 2 },
  architecture: 'TAAN',
  hiddenSizes: [8],
  numBasis: 4,
  maxRuntimeSeconds: 0,
  measure: 'STANDARD',
  versionLabels: ['stable'],
};

const spec = (over: Partial<SweepSpec>): SweepSpec => ({ base, axes: {}, sampleCount: 0, sampleSeed: 0, objective: 'VALID_MEAN_MAP_AT_10', bestLabel: 'best', ...over });

describe('sweep plan', () => {
  it('expands every combination, the first axis slowest', () => {
    const points = expandGrid({ seed: [1, 2, 3], architecture: ['TAAN', 'STL'] });
    expect(points.map((p) => `${p.architecture}/${p.seed}`)).toEqual(['TAAN/1', 'TAAN/2', 'TAAN/3', 'STL/1', 'STL/2', 'STL/3']);
    expect(gridSize({ seed: [1, 2, 3], architecture: ['TAAN', 'STL'] })).toBe(6);
    expect(expandGrid({})).toEqual([{}]);
  });

  it('samples distinct points, the same for the same seed, in grid order', () => {
    const grid = expandGrid({ learningRate: [1e-4, 3e-4, 1e-3, 3e-3], regCoefficient: [0, 0.01, 0.1, 1] });
    const a = samplePoints(grid, 5, 7);
    expect(a).toHaveLength(5);
    expect(new Set(a.map((p) => JSON.stringify(p))).size).toBe(5);
    expect(samplePoints(grid, 5, 7)).toEqual(a);
    expect(a.map((p) => grid.indexOf(p))).toEqual([...a.map((p) => grid.indexOf(p))].sort((x, y) => x - y));
    const seeds = new Set(Array.from({ length: 10 }, (_, s) => JSON.stringify(samplePoints(grid, 5, s))));
    expect(seeds.size).toBeGreaterThan(1);
    expect(samplePoints(grid, 0, 7)).toBe(grid);
  });

  it("gives each child the point's values and a submission id derived from the sweep and index", () => {
    const s = spec({ axes: { hiddenSizes: [[8], [16, 16]], regCoefficient: [0, 0.1] } });
    const points = planPoints(s);
    const r = childRequest(s, points[3]!, 'sweep-x', 3);
    expect(r.hiddenSizes).toEqual([16, 16]);
    expect(r.regCoefficient).toBe(0.1);
    expect(r.submissionId).toBe(childSubmissionId('sweep-x', 3));
    expect(r.versionLabels).toEqual([]);
    expect(r.learningRate).toBe(base.learningRate);
    expect(pointText(points[3]!)).toEqual({ reg_coefficient: '0.1', hidden_sizes: '16x16' });
  });

  it('rejects a bad value, a repeated value, a sample larger than the grid', () => {
    const bad = (s: SweepSpec): string => {
      try {
        validateSweepSpec(s);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidArgumentError);
        return (err as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad(spec({ axes: { learningRate: [1e-3, -1] } }))).toMatch(/axes\.learning_rate.*-1/);
    expect(bad(spec({ axes: { seed: [1, 1] } }))).toMatch(/twice/);
    expect(bad(spec({ axes: { seed: [1, 2] }, sampleCount: 3 }))).toMatch(/sample_count/);
    expect(bad(spec({ axes: { seed: Array.from({ length: 1001 }, (_, i) => i) } }))).toMatch(/at most 1000/);
    expect(() => validateSweepSpec(spec({ axes: { seed: Array.from({ length: 1001 }, (_, i) => i) }, sampleCount: 10 }))).not.toThrow();
  });
});
