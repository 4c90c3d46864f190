// Original file: proto/taan/v1/taan.proto

/**
 * How the tasks' losses are combined (docs/baselines.md).
 */
export const LossWeighting = {
  /**
   * EQUAL
   */
  LOSS_WEIGHTING_UNSPECIFIED: 'LOSS_WEIGHTING_UNSPECIFIED',
  /**
   * mean over tasks
   */
  EQUAL: 'EQUAL',
  /**
   * Kendall et al. 2018: mean of L_t exp(-s_t) + s_t, s_t a learned log-variance
   */
  UNCERTAINTY: 'UNCERTAINTY',
} as const;

/**
 * How the tasks' losses are combined (docs/baselines.md).
 */
export type LossWeighting =
  /**
   * EQUAL
   */
  | 'LOSS_WEIGHTING_UNSPECIFIED'
  | 0
  /**
   * mean over tasks
   */
  | 'EQUAL'
  | 1
  /**
   * Kendall et al. 2018: mean of L_t exp(-s_t) + s_t, s_t a learned log-variance
   */
  | 'UNCERTAINTY'
  | 2

/**
 * How the tasks' losses are combined (docs/baselines.md).
 */
export type LossWeighting__Output = typeof LossWeighting[keyof typeof LossWeighting]
