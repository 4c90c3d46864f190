import { describe, expect, it } from 'vitest';
import type { SweepRecord } from '../../src/domain/sweep.js';
import { chooseBest } from '../../src/jobs/sweep-service.js';
import { aggregateOverSeeds, type SweepChildView } from '../../src/jobs/sweep-view.js';

const child = (index: number, config: Record<string, string>, objective: number | null, state: SweepChildView['state'] = 'SUCCEEDED'): SweepChildView => ({
  index,
  config,
  jobId: `j${index}`,
  state,
  validObjective: objective,
  testMapAt10: objective === null ? null : objective / 2,
  seconds: 1,
  modelVersion: index + 1,
  runner: '',
});

describe('sweep aggregation and choice', () => {
  it('groups succeeded children by configuration without the seed', () => {
    const groups = aggregateOverSeeds([
      child(0, { reg_coefficient: '0', seed: '1' }, 0.5),
      child(1, { reg_coefficient: '0', seed: '2' }, 0.7),
      child(2, { reg_coefficient: '0.1', seed: '1' }, 0.6),
      child(3, { reg_coefficient: '0.1', seed: '2' }, null, 'FAILED'),
    ]);
    expect(groups.map((g) => [g.config, g.seeds])).toEqual([[{ reg_coefficient: '0' }, 2], [{ reg_coefficient: '0.1' }, 1]]);
    expect(groups[0]!.mean).toBeCloseTo(0.6, 12);
    expect(groups[0]!.high - groups[0]!.mean).toBeCloseTo((12.706 * Math.sqrt(0.02)) / Math.sqrt(2), 9);
    expect(groups[0]!.meanTestMapAt10).toBeCloseTo(0.3, 12);
    expect([groups[1]!.low, groups[1]!.high]).toEqual([0.6, 0.6]);
  });

  it('chooses the highest validation objective among succeeded children, the lowest index on a tie', () => {
    const rec = (objectives: Array<[number | null, 'SUCCEEDED' | 'FAILED']>): SweepRecord =>
      ({
        children: objectives.map(([objective, state], index) => ({ index, point: {}, jobId: `j${index}`, state, objective, testMapAt10: null, modelVersion: index + 1 })),
      }) as unknown as SweepRecord;
    expect(chooseBest(rec([[0.4, 'SUCCEEDED'], [0.6, 'SUCCEEDED'], [0.6, 'SUCCEEDED'], [0.9, 'FAILED']]))).toEqual({ index: 1, jobId: 'j1', modelVersion: 2, objective: 0.6 });
    expect(chooseBest(rec([[null, 'FAILED']]))).toBeNull();
  });
});
