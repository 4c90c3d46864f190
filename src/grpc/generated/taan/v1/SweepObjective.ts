// Original file: proto/taan/v1/taan.proto

/**
 * What a sweep maximises to pick its best child. Only validation metrics: a test metric would leak the test set
 * into model selection.
 */
export const SweepObjective = {
  /**
   * VALID_MEAN_MAP_AT_10
   */
  SWEEP_OBJECTIVE_UNSPECIFIED: 'SWEEP_OBJECTIVE_UNSPECIFIED',
  /**
   * Mean over tasks of validation mAP@10, at the epoch the child kept (its best).
   */
  VALID_MEAN_MAP_AT_10: 'VALID_MEAN_MAP_AT_10',
} as const;

/**
 * What a sweep maximises to pick its best child. Only validation metrics: a test metric would leak the test set
 * into model selection.
 */
export type SweepObjective =
  /**
   * VALID_MEAN_MAP_AT_10
   */
  | 'SWEEP_OBJECTIVE_UNSPECIFIED'
  | 0
  /**
   * Mean over tasks of validation mAP@10, at the epoch the child kept (its best).
   */
  | 'VALID_MEAN_MAP_AT_10'
  | 1

/**
 * What a sweep maximises to pick its best child. Only validation metrics: a test metric would leak the test set
 * into model selection.
 */
export type SweepObjective__Output = typeof SweepObjective[keyof typeof SweepObjective]
