/**
 * The 95% Student-t interval of a mean over a few runs (seeds): mean +- t(0.975, n - 1) * s / sqrt(n). The few seeds
 * of a sweep are too few for a bootstrap to mean much; the t interval is the textbook answer for them.
 */

/** t(0.975, df) for df = 1..30 (standard tables, 3 decimals); beyond 30 the normal's 1.960 is within 2%. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11,
  2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];

export function tQuantile975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`degrees of freedom must be a positive integer, got ${df}`);
  return df <= T975.length ? T975[df - 1]! : 1.96;
}

export interface MeanInterval {
  n: number;
  mean: number;
  /** Equal to the mean for a single value (no spread to estimate). */
  low: number;
  high: number;
}

/** NaN mean and bounds for no values. */
export function meanInterval95(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) return { n, mean: NaN, low: NaN, high: NaN };
  const mean = values.reduce((s, v) => s + v, 0) / n;
  if (n === 1) return { n, mean, low: mean, high: mean };
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1);
  const half = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return { n, mean, low: mean - half, high: mean + half };
}
