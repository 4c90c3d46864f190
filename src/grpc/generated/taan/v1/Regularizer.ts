// Original file: proto/taan/v1/taan.proto

export const Regularizer = {
  /**
   * NONE
   */
  REGULARIZER_UNSPECIFIED: 'REGULARIZER_UNSPECIFIED',
  NONE: 'NONE',
  /**
   * Nuclear norm of alpha, as the paper defines it.
   */
  TRACE_NORM: 'TRACE_NORM',
  COSINE: 'COSINE',
  DISTANCE: 'DISTANCE',
  /**
   * Sum of the row norms of alpha, what the authors' code computes under the name "trace norm".
   */
  ROW_NORM: 'ROW_NORM',
} as const;

export type Regularizer =
  /**
   * NONE
   */
  | 'REGULARIZER_UNSPECIFIED'
  | 0
  | 'NONE'
  | 1
  /**
   * Nuclear norm of alpha, as the paper defines it.
   */
  | 'TRACE_NORM'
  | 2
  | 'COSINE'
  | 3
  | 'DISTANCE'
  | 4
  /**
   * Sum of the row norms of alpha, what the authors' code computes under the name "trace norm".
   */
  | 'ROW_NORM'
  | 5

export type Regularizer__Output = typeof Regularizer[keyof typeof Regularizer]
