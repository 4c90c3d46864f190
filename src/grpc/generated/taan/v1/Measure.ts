// Original file: proto/taan/v1/taan.proto

/**
 * The measure under which activation functions are compared (method.md §2).
 */
export const Measure = {
  /**
   * MEASURE_STANDARD
   */
  MEASURE_UNSPECIFIED: 'MEASURE_UNSPECIFIED',
  /**
   * N(0, 1), as in the paper
   */
  MEASURE_STANDARD: 'MEASURE_STANDARD',
  /**
   * per layer, running mean/std of the pre-activations
   */
  MEASURE_RUNNING: 'MEASURE_RUNNING',
} as const;

/**
 * The measure under which activation functions are compared (method.md §2).
 */
export type Measure =
  /**
   * MEASURE_STANDARD
   */
  | 'MEASURE_UNSPECIFIED'
  | 0
  /**
   * N(0, 1), as in the paper
   */
  | 'MEASURE_STANDARD'
  | 1
  /**
   * per layer, running mean/std of the pre-activations
   */
  | 'MEASURE_RUNNING'
  | 2

/**
 * The measure under which activation functions are compared (method.md §2).
 */
export type Measure__Output = typeof Measure[keyof typeof Measure]
