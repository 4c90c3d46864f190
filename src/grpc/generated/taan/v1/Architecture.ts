// Original file: proto/taan/v1/taan.proto

export const Architecture = {
  /**
   * TAAN
   */
  ARCHITECTURE_UNSPECIFIED: 'ARCHITECTURE_UNSPECIFIED',
  TAAN: 'TAAN',
  HARD_SHARE: 'HARD_SHARE',
  STL: 'STL',
  /**
   * Soft layer ordering (Meyerson & Miikkulainen 2018): every task mixes all shared layers at every depth.
   */
  SOFT_ORDER: 'SOFT_ORDER',
  /**
   * Multi-gate mixture of experts (Ma et al. 2018): shared expert MLPs, a softmax gate and a tower per task.
   */
  MMOE: 'MMOE',
} as const;

export type Architecture =
  /**
   * TAAN
   */
  | 'ARCHITECTURE_UNSPECIFIED'
  | 0
  | 'TAAN'
  | 1
  | 'HARD_SHARE'
  | 2
  | 'STL'
  | 3
  /**
   * Soft layer ordering (Meyerson & Miikkulainen 2018): every task mixes all shared layers at every depth.
   */
  | 'SOFT_ORDER'
  | 4
  /**
   * Multi-gate mixture of experts (Ma et al. 2018): shared expert MLPs, a softmax gate and a tower per task.
   */
  | 'MMOE'
  | 5

export type Architecture__Output = typeof Architecture[keyof typeof Architecture]
