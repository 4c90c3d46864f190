import { describe, expect, it } from 'vitest';
import { meanInterval95, tQuantile975 } from '../../src/eval/t-interval.js';

describe('95% t-interval of a mean', () => {
  it('uses the t quantile of n - 1 degrees of freedom', () => {
    // Values 1, 2, 3: mean 2, s = 1, half-width t(0.975, 2) / sqrt(3).
    const i = meanInterval95([1, 2, 3]);
    expect(i.mean).toBe(2);
    expect(i.high - i.mean).toBeCloseTo(4.303 / Math.sqrt(3), 12);
    expect(i.mean - i.low).toBeCloseTo(i.high - i.mean, 12);
    expect(tQuantile975(1)).toBe(12.706);
    expect(tQuantile975(100)).toBe(1.96);
  });

  it('has no width for one value and NaN for none', () => {
    expect(meanInterval95([0.4])).toEqual({ n: 1, mean: 0.4, low: 0.4, high: 0.4 });
    expect(Number.isNaN(meanInterval95([]).mean)).toBe(true);
    expect(() => tQuantile975(0)).toThrow(RangeError);
  });
});
